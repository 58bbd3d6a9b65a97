from .base import ImportRefused, Plan
from .checklist import OfflineChecklistImport
from .standards import StandardSetImport
from .tasks import TaskListImport
from .units import UnitTreeImport

IMPORTERS = {importer.identifier: importer for importer in (
    UnitTreeImport, StandardSetImport, TaskListImport, OfflineChecklistImport)}

__all__ = ["IMPORTERS", "ImportRefused", "Plan"]
