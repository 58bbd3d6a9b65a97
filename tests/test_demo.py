"""The demo city reproduces every figure DOMAIN.md quotes from the reports."""

import datetime
import io

from django.contrib.auth import get_user_model
from openpyxl import load_workbook

from checklists.exports import EXPORTERS, ExportScope, render
from checklists.selectors.statistics import FIGURES
from django.core.management import call_command

from checklists.models import (
    Campaign,
    ChecklistItem,
    ItemTransition,
    LedgerEntry,
    Membership,
    Problem,
    Role,
    StandardItem,
    Unit,
    UnitKind,
)
from checklists.selectors.statistics import figures_for

# DOMAIN.md's table: figure key -> what the report says (exact, or "N余" for "N-odd").
REPORTED = {
    "standing_committee_meetings": "8",
    "booklets": "350余",
    "counties": "10",
    "demonstration_sites": "240余",
    "visits": "540余",
    "problems_closed": "800余",
    "pledge_show_cadres": "5万余",
    "integrity_lectures": "500余",
    "organ_standards": "50",
    "entrepreneurs_trained": "80余",
    "village_cases": "30",
    "hospital_models": "500余",
    "opera_shows": "52",
    "micro_videos": "36",
    "calligraphy_exhibitions": "200",
    "sites_visited_by_reporters": "100余",
    "seminar_cadres": "4",
    "special_trainings": "2",
    "special_training_attendees": "400余",
    "licence_separation": "86",
}


def counts():
    return {model.__name__: model.objects.count() for model in
            (Unit, Membership, Campaign, StandardItem, ChecklistItem, ItemTransition, LedgerEntry, Problem)}


def test_load_demo_reproduces_the_reports_is_idempotent_and_scoped(db, capsys):
    call_command("load_demo")
    first = counts()
    call_command("load_demo")
    assert counts() == first
    output = capsys.readouterr().out
    for username in ("office", "county_office", "liaison", "leader", "viewer", "admin"):
        assert f"  {username} " in output

    admin = get_user_model().objects.get(username="admin")
    figures = {value.figure.key: value for value in figures_for(admin, start="2023-01-01", end="2023-12-31")}
    for key, reported in REPORTED.items():
        value = figures[key]
        if reported.endswith("余"):
            assert value.approximate == reported, key
        else:
            assert str(value.value) == reported, key

    assert Unit.objects.filter(kind=UnitKind.COUNTY).count() == 10
    roles = set(Membership.objects.filter(user__username__in=["office", "county_office", "liaison", "leader",
                                                              "viewer"]).values_list("role", flat=True))
    assert roles == set(Role.values)
    assert set(ChecklistItem.objects.values_list("status", flat=True)) == {
        "draft", "in_progress", "submitted", "returned", "approved"}
    assert ChecklistItem.objects.filter(quantity_achieved__gt=0).exists()

    # The statistics sheet of the monthly bulletin gives the same figures, exact and as the reports write them.
    campaign = Campaign.objects.get(year=2023)
    scope = ExportScope(user=admin, campaign=campaign, start=datetime.date(2023, 12, 1), end=datetime.date(2023, 12, 31))
    book = load_workbook(io.BytesIO(render(EXPORTERS["monthly"](scope))[2]))
    sheet_rows = list(book["统计"].iter_rows(min_row=4, values_only=True))
    sheet = {figure.key: row for figure, row in zip(FIGURES, sheet_rows)}
    for key, reported in REPORTED.items():
        exact, written = sheet[key][1], sheet[key][2]
        assert exact == figures[key].value and written.startswith(figures[key].approximate), key

    # The same figures over a district's reach: itself and below, not the nine others.
    county_office = get_user_model().objects.get(username="county_office")
    district = {value.figure.key: value.value for value in figures_for(county_office)}
    assert district["counties"] == 1
    assert district["seminar_cadres"] == 4 and district["licence_separation"] == 86
    assert district["visits"] < figures["visits"].value
