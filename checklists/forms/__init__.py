"""The web pages' and the admin's forms, by area."""

from .base import BootstrapForm, DatePicker, bootstrap
from .items import (
    ACCEPT,
    ApproveForm,
    BulkReviewForm,
    EvidenceUploadForm,
    EvidenceVerdictForm,
    EvidenceVersionForm,
    ItemUnitForm,
    MultipleFileField,
    ReturnForm,
    check_uploads,
)
from .ledgers import (
    DutyFormSet,
    LedgerEntryForm,
    ProblemFormSet,
    RectificationForm,
    RenewalForm,
    VerifyForm,
    ledger_form,
    units_for_entries,
)
from .reports import AccountLanguageForm, ExportForm, ImportForm, NextYearForm, YearTurnForm

__all__ = [
    "ACCEPT", "AccountLanguageForm", "ApproveForm", "BootstrapForm", "BulkReviewForm", "DatePicker", "DutyFormSet",
    "EvidenceUploadForm", "EvidenceVerdictForm", "EvidenceVersionForm", "ExportForm", "ImportForm", "ItemUnitForm",
    "LedgerEntryForm", "MultipleFileField", "NextYearForm", "ProblemFormSet", "RectificationForm", "RenewalForm", "ReturnForm",
    "VerifyForm", "YearTurnForm", "bootstrap", "check_uploads", "ledger_form", "units_for_entries",
]
