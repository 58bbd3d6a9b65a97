"""Reads for the pages, the reminders and the workbooks: each starts from `for_user`, so a page and its
export can never disagree. One module per area; the names are re-exported here."""

from .campaigns import asked_id, campaign_items, campaign_items_due, chosen_campaign, current_campaign
from .figures import Row, completion_by_month, cumulative_completion, percent
from .items import ITEM_LIST_RELATED, earlier_items, item_list, unit_home
from .queue import waited, work_queue
from .standings import county_rows, office_home, unit_overdue_rows, unit_scores

__all__ = [
    "ITEM_LIST_RELATED",
    "Row",
    "asked_id",
    "campaign_items",
    "campaign_items_due",
    "chosen_campaign",
    "completion_by_month",
    "county_rows",
    "cumulative_completion",
    "current_campaign",
    "earlier_items",
    "item_list",
    "office_home",
    "percent",
    "unit_home",
    "unit_overdue_rows",
    "unit_scores",
    "waited",
    "work_queue",
]
