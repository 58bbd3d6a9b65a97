"""Every write that touches more than one object, or follows a rule of the workflow: one module per
area, each function re-exported here (`services.item_submit`). Background jobs live with their tasks
(`checklists.tasks`).

Views, admin actions, imports and commands call these; each runs in one transaction
and records who did what. A refusal raises ServiceError with a message for the user.
"""

from .errors import ServiceError, IllegalTransition, NotPermitted, EditConflict
from .units import unit_save, unit_delete, unit_aliases_save, membership_refusal, membership_save, membership_delete
from .bulletins import bulletin_check, bulletin_issue
from .standards import standard_set_import_apply, standard_record_save, standard_record_delete, standard_set_revise
from .campaigns import (
    campaign_missing_items,
    campaign_generate_items,
    campaign_copy,
    task_list_import_apply,
    campaign_record_save,
    campaign_record_delete,
)
from .items import (
    item_update,
    item_submit,
    item_decline_signoff,
    item_approve,
    item_return,
    items_review,
    item_refresh_quantities,
    items_delete,
)
from .ledgers import (
    entry_describe,
    entry_link_items,
    evidence_attach_blocker,
    evidence_attach,
    evidence_judge,
    evidence_new_version,
    evidence_reuse,
    evidence_set_validity,
    record_archive,
    record_restore,
    entry_save,
    entry_figures_moved,
    visit_record,
    visit_record_problems,
)
from .year_turn import items_carry_over, items_close_not_done
from .responsibility import responsibility_list_renew
from .problems import problem_save, problem_report_rectification, problem_close, problem_send_back
from .reminders import reminder_send
from .accounts import account_change_password, account_set_language, account_require_password_change

__all__ = [
    "ServiceError",
    "IllegalTransition",
    "NotPermitted",
    "EditConflict",
    "bulletin_check",
    "bulletin_issue",
    "unit_save",
    "unit_delete",
    "unit_aliases_save",
    "membership_refusal",
    "membership_save",
    "membership_delete",
    "standard_record_save",
    "standard_set_revise",
    "campaign_copy",
    "items_carry_over",
    "items_close_not_done",
    "responsibility_list_renew",
    "standard_record_delete",
    "campaign_record_save",
    "campaign_record_delete",
    "campaign_missing_items",
    "campaign_generate_items",
    "task_list_import_apply",
    "standard_set_import_apply",
    "item_update",
    "item_submit",
    "item_decline_signoff",
    "item_approve",
    "item_return",
    "items_review",
    "item_refresh_quantities",
    "items_delete",
    "entry_describe",
    "entry_link_items",
    "evidence_attach_blocker",
    "evidence_attach",
    "evidence_judge",
    "evidence_new_version",
    "evidence_reuse",
    "evidence_set_validity",
    "record_archive",
    "record_restore",
    "entry_save",
    "entry_figures_moved",
    "visit_record",
    "visit_record_problems",
    "problem_save",
    "problem_report_rectification",
    "problem_close",
    "problem_send_back",
    "reminder_send",
    "account_change_password",
    "account_set_language",
    "account_require_password_change",
]
