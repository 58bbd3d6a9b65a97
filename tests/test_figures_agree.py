"""One unit's overdue count, completion and rating are the same number wherever they are shown: the
dashboard, the units table, the reminders and the monthly bulletin (taken as of a month after every
item fell due, so that it and today count the same items); a county's completion is the same on the
dashboard and in the bimonthly analysis ending this month."""

import datetime
import io
from decimal import Decimal

from django.utils import timezone
from openpyxl import load_workbook

from checklists import ratings, selectors, services
from checklists.selectors import reminders
from checklists.exports import EXPORTERS, ExportScope, render

from . import factories as f


def unit_a_with_items(world, submitted, approved):
    """Unit A with four items due: the first `submitted` of them submitted, the first `approved` approved."""
    for code in ("S-A", "S-B", "S-C"):
        f.StandardItemFactory(standard_set=world.standard_set, dimension=world.standard_item.dimension, code=code)
    services.campaign_generate_items(campaign=world.campaign)
    items = list(world.campaign.items.filter(unit=world.unit_a).order_by("pk"))
    for item in items[:submitted]:
        services.item_submit(item=item, user=world.liaison_a)
    for item in items[:approved]:
        services.item_approve(item=item, user=world.office_x, score=Decimal("1"))
    f.backdate(items, timezone.make_aware(datetime.datetime(2023, 6, 1, 10, 0)))  # the bulletin reads moves by then


def test_a_units_figures_agree_on_every_page_and_workbook(world):
    unit_a_with_items(world, submitted=3, approved=2)

    today = datetime.date.today()
    dashboard = {row.name: row for row in selectors.office_home(user=world.office_x, campaign=world.campaign)["top"]}
    table = {unit.name: unit for unit in selectors.unit_scores(user=world.office_x, campaign=world.campaign)}
    reminded = {row.name: row.overdue for row in reminders.reminders_for(world.office_x).units_overdue}
    end = today.replace(day=1) - datetime.timedelta(days=1)  # the end of last month: after every due date
    scope = ExportScope(user=world.office_x, campaign=world.campaign, start=end.replace(day=1), end=end)
    book = load_workbook(io.BytesIO(render(EXPORTERS["monthly"](scope))[2]))
    rows = [list(row) for row in book["单位"].iter_rows(min_row=4, values_only=True)]
    bulletin = {row[1]: row for row in rows}

    name = world.unit_a.name
    assert dashboard[name].overdue == table[name].overdue == reminded[name] == bulletin[name][8] == 1  # the submitted one is not
    assert dashboard[name].completion == table[name].completion == round(100 * bulletin[name][6], 1) == 50.0
    assert str(ratings.NAMES[dashboard[name].rag]) == str(ratings.NAMES[ratings.rating(table[name].completion)]) \
        == bulletin[name][9] == "红"


def test_a_countys_completion_agrees_on_the_dashboard_and_in_the_bimonthly_analysis(world):
    unit_a_with_items(world, submitted=3, approved=3)

    today = datetime.date.today()
    exporter = EXPORTERS["bimonthly"]
    start, end = exporter.period_bounds(exporter.period_of(today))
    book = load_workbook(io.BytesIO(render(exporter(ExportScope(
        user=world.office_city, campaign=world.campaign, start=start, end=end)))[2]))
    sheet = book["分县（区）走势"]
    header = next(row for row in sheet.iter_rows(values_only=True) if row[0] == "县（区）")
    analysis = {row[0]: row[len(header) - 1] for row in sheet.iter_rows(values_only=True) if row[0] in ("甲县", "乙县")}
    dashboard = {row.name: row.completion
                 for row in selectors.office_home(user=world.office_city, campaign=world.campaign)["by_county"]}

    assert dashboard["甲县"] == round(100 * analysis["甲县"], 1) > 0
    assert dashboard["乙县"] == round(100 * analysis["乙县"], 1) == 0
