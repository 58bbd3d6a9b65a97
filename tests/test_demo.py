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
# Every figure of DOMAIN.md, as the reports write it: exact or "N余", with its measure word.
REPORTED = {
    "standing_committee_meetings": "8次",
    "booklets": "350余册",
    "counties": "10个",
    "demonstration_sites": "240余家",
    "visits": "540余次",
    "problems_closed": "800余个",
    "pledge_show_cadres": "5万余人",
    "integrity_lectures": "500余次",
    "organ_standards": "50条",
    "entrepreneurs_trained": "80余名",
    "village_cases": "30个",
    "hospital_models": "500余人次",
    "opera_shows": "52场",
    "micro_videos": "36部",
    "calligraphy_exhibitions": "200场次",
    "sites_visited_by_reporters": "100余个",
    "seminar_cadres": "4名",
    "special_trainings": "2场",
    "special_training_attendees": "400余人",
    "licence_separation": "86户",
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
        assert value.written == reported, key
        if "余" not in reported:  # written exactly: the demo's count is the report's
            assert f"{value.value}{value.figure.unit_word}" == reported, key

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
        assert (exact, written) == (figures[key].value, reported), key

    # The same figures over a district's reach: itself and below, not the nine others.
    county_office = get_user_model().objects.get(username="county_office")
    district = {value.figure.key: value.value for value in figures_for(county_office)}
    assert district["counties"] == 1
    assert district["seminar_cadres"] == 4 and district["licence_separation"] == 86
    assert district["visits"] < figures["visits"].value
