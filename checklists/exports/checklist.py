from django.utils.translation import gettext_lazy as _

from ..models import ChecklistItem, reach_of
from .base import Column, Exporter, Sheet

# The columns the offline round trip reads back; the rest are there to read.
ITEM_ID, VERSION, PROGRESS, ACCOUNT = "事项ID", "版本", "进度（%）", "完成情况"


def offline_items(user, campaign):
    """The items the user may fill in: those of the units they act for."""
    reach = reach_of(user)
    items = ChecklistItem.objects.for_user(user).filter(campaign=campaign)
    if not reach.is_all:
        items = items.filter(unit__in=reach.acting_unit_ids)
    return items.select_related("unit", "standard_item").order_by("unit__path", "due_date", "standard_item__code")


class OfflineChecklist(Exporter):
    """A unit's checklist to fill in offline: change 进度 and 完成情况, keep 事项ID and 版本, upload it back."""

    identifier = "checklist"
    verbose_name = _("Checklist for offline work")

    def sheets(self):
        scope = self.scope
        items = offline_items(scope.user, scope.campaign)
        yield Sheet(
            name="清单事项",
            columns=[Column(ITEM_ID, 8, "id"), Column(VERSION, 6, "id"), Column(_("unit"), 24),
                     Column(_("code"), 8), Column(_("measure"), 40), Column(_("period"), 9),
                     Column(_("due date"), 14, "date"), Column(_("status"), 10), Column(_("quantity target"), 10),
                     Column(_("quantity achieved"), 10, "int"), Column(PROGRESS, 10, "int"), Column(ACCOUNT, 50)],
            rows=([i.pk, i.version, i.unit.name, i.standard_item.code, i.standard_item.title, i.period, i.due_date,
                   i.get_status_display(), i.standard_item.target_display, i.quantity_achieved, i.progress,
                   i.account] for i in items.iterator(chunk_size=2000)),
            note=str(_("Fill in 进度（%） and 完成情况 only; keep 事项ID and 版本 as they are, then upload the file.")),
        )
