from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import services
from ..exports.checklist import ACCOUNT, ITEM_ID, PROGRESS, VERSION
from ..models import ChecklistItem, reach_of
from .base import Importer, Plan, text


class OfflineChecklistImport(Importer):
    """The offline checklist back: progress and account only, the unit's own items only, and an item
    changed on the web since the download is a conflict, never overwritten."""

    identifier = "checklist"
    verbose_name = gettext_lazy("Checklist filled in offline")
    sheet = "清单事项"
    columns = [(ITEM_ID, True, "", ""), (VERSION, True, "", ""), (PROGRESS, True, "", ""), (ACCOUNT, True, "", "")]
    text_columns = frozenset({ACCOUNT})
    has_template = False

    @classmethod
    def allowed(cls, reach):
        return reach.is_all or bool(reach.acting_unit_ids)

    def plan(self, upload):
        plan = Plan()
        reach = reach_of(self.user)
        rows = list(self.rows(upload))
        ids = [values[ITEM_ID] for _row, values in rows]
        items = ChecklistItem.objects.for_user(self.user).select_related("unit", "standard_item").in_bulk(
            [int(i) for i in ids if str(i).isdigit()])
        for row, values in rows:
            raw_id = str(values[ITEM_ID])
            item = items.get(int(raw_id)) if raw_id.isdigit() else None
            if item is None or not reach.acts_for(item.unit):
                self.problem(plan, row, ITEM_ID, _("Item %(id)s is not one of your unit's items; keep the 事项ID "
                                                   "column as downloaded.") % {"id": raw_id})
                continue
            progress, problem = self.progress_read(values[PROGRESS])
            if problem:
                self.problem(plan, row, PROGRESS, problem)
                continue
            account = values[ACCOUNT]
            described = f"{item.standard_item.code} {item.period}"
            if (progress, account) == (item.progress, text(item.account)):
                if item.is_locked:
                    plan.skipped.append((row, _("%(item)s: %(status)s, not changed, skipped.")
                                           % {"item": described, "status": item.get_status_display()}))
                continue
            if item.is_locked:
                self.problem(plan, row, PROGRESS if progress != item.progress else ACCOUNT, _(
                    "%(item)s is %(status)s and cannot be changed; ask the office to return it first, or put "
                    "back what was downloaded.") % {"item": described, "status": item.get_status_display()})
                continue
            version = str(values[VERSION])
            if not version.isdigit() or int(version) != item.version:
                latest = item.history.select_related("history_user").first()
                who = latest.history_user if latest and latest.history_user else None
                self.problem(plan, row, VERSION, _("Conflict: %(item)s (%(period)s) was changed by %(who)s "
                                                   "(%(how)s) since this file was downloaded, and this row is not "
                                                   "as it is now. Download the file again and copy your text into "
                                                   "it; nothing was overwritten.")
                             % {"item": item.standard_item.code, "period": item.period,
                                "who": (who.first_name or who.username) if who else "—",
                                "how": latest.get_history_source_display() if latest else "—"})
                continue
            plan.lines.append((row, "change", self.describe(item, described, progress, account), {
                "item": item, "progress": progress, "account": account, "version": item.version}))
        return plan

    @staticmethod
    def progress_read(value):
        """(progress, None), or (None, what is wrong): a whole number from 0 to 100; a fraction such as
        0.6 is what a spreadsheet keeps of "60%" typed into the cell, and is refused with that hint."""
        try:
            number = float(str(value) or 0)
        except ValueError:
            number = None
        if number is not None and 0 <= number <= 100 and number == int(number):
            return int(number), None
        if number is not None and 0 < number < 1:
            return None, _("“%(value)s” is a percentage the spreadsheet keeps as a fraction; write %(whole)s "
                           "(a whole number from 0 to 100).") % {"value": value, "whole": round(number * 100)}
        return None, _("Write a whole number from 0 to 100, not “%(value)s”.") % {"value": value}

    @staticmethod
    def describe(item, described, progress, account):
        """The change field by field: the progress from and to, the account's new text."""
        changes = []
        if progress != item.progress:
            changes.append(_("progress %(old)d%% → %(new)d%%") % {"old": item.progress, "new": progress})
        if account != text(item.account):
            shown = account if len(account) <= 60 else account[:60] + "…"
            changes.append(_("account: “%(text)s”") % {"text": shown} if account else _("account emptied"))
        return _("%(item)s: %(changes)s") % {"item": described, "changes": "；".join(changes)}

    def apply(self, plan):
        """Item by item through the service, which checks each version and records the history."""
        for done, (_row, _action, _text, data) in enumerate(plan.lines, 1):
            services.item_update(item=data["item"], user=self.user, expected_version=data["version"],
                                 progress=data["progress"], account=data["account"])
            if done % 100 == 0:
                self.progress(done, len(plan.lines))
