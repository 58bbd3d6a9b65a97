from .base import ImportRefused, Plan
from .tasks import TaskListImport
from .units import UnitTreeImport

IMPORTERS = {importer.identifier: importer for importer in (UnitTreeImport, TaskListImport)}

__all__ = ["IMPORTERS", "ImportRefused", "Plan"]
