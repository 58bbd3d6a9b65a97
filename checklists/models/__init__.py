from .access import Reach, reach_of
from .accounts import AccountFlags
from .bulletins import Bulletin
from .campaigns import Campaign, Period, Task, years_later
from .items import ChecklistItem, Evidence, ItemStatus, ItemTransition, Verdict, YearEnd
from .jobs import Job, JobKind, JobStatus
from .ledgers import (
    LEDGER_MODELS,
    LEDGER_SLUGS,
    SEVEN_INTEGRITY,
    SUBKINDS,
    Activity,
    ActivityKind,
    DocumentIssued,
    DocumentKind,
    Duty,
    LedgerEntry,
    LedgerKind,
    LedgerLink,
    Meeting,
    MeetingKind,
    ResponsibilityKind,
    ResponsibilityList,
    SelfInspection,
    SelfInspectionKind,
    SupervisionVisit,
    Training,
    TrainingKind,
    VisitKind,
)
from .notifications import Notification, NotificationKind
from .problems import Problem, ProblemStatus, ProblemTransition
from .reminders import ReminderSent
from .standards import (Dimension, MeasureKind, MeasureWord, Recurrence, StandardItem, StandardSet,
                        StandardSetDifference)
from .standings import UnitStanding
from .units import Membership, Role, Unit, UnitAlias, UnitKind

__all__ = [
    "AccountFlags", "Activity", "ActivityKind", "Bulletin", "Campaign", "ChecklistItem", "Dimension", "DocumentIssued", "DocumentKind", "Duty",
    "Evidence", "ItemStatus", "ItemTransition", "Job", "JobKind", "JobStatus", "LEDGER_MODELS", "LEDGER_SLUGS", "LedgerEntry", "LedgerKind", "LedgerLink", "MeasureKind",
    "MeasureWord", "Meeting", "MeetingKind", "Membership", "Notification", "NotificationKind", "Period", "Problem", "ProblemStatus", "ProblemTransition",
    "Reach", "Recurrence", "ReminderSent", "ResponsibilityKind", "ResponsibilityList", "Role", "SEVEN_INTEGRITY", "SUBKINDS",
    "SelfInspection", "SelfInspectionKind", "StandardItem", "StandardSet", "StandardSetDifference", "SupervisionVisit", "Task", "Training",
    "TrainingKind", "Unit", "UnitAlias", "UnitKind", "Verdict", "UnitStanding", "VisitKind", "YearEnd", "reach_of", "years_later",
]
