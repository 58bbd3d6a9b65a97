"""One unit's overdue count, completion and rating are the same number wherever they are shown: the
dashboard, the units table, the reminders and the monthly bulletin (taken as of a month after every
item fell due, so that it and today count the same items)."""

import datetime
import io
from decimal import Decimal

from openpyxl import load_workbook

from checklists import ratings, selectors, services
from checklists.selectors import reminders
from checklists.exports import EXPORTERS, ExportScope, render

from . import factories as f


def test_a_units_figures_agree_on_every_page_and_workbook(world):
    for code in ("S-A", "S-B", "S-C"):
        f.StandardItemFactory(standard_set=world.standard_set, dimension=world.standard_item.dimension, code=code)
    services.campaign_generate_items(campaign=world.campaign)
    items = list(world.campaign.items.filter(unit=world.unit_a).order_by("pk"))
    for item in items[:3]:
        services.item_submit(item=item, user=world.liaison_a)
    for item in items[:2]:
        services.item_approve(item=item, user=world.office_x, score=Decimal("1"))

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
