from .base import ExportScope, render
from .monthly import MonthlyBulletin

EXPORTERS = {exporter.identifier: exporter for exporter in (MonthlyBulletin,)}

__all__ = ["EXPORTERS", "ExportScope", "render"]
