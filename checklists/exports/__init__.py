from .base import ExportScope
from .writing import download, render, write
from .bimonthly import BimonthlyAnalysis
from .items import ItemLedger
from .ledgers import LedgerWorkbook
from .monthly import MonthlyBulletin
from .summary import SummaryDraft
from .weekly import WeeklyDispatch

EXPORTERS = {exporter.identifier: exporter for exporter in (
    WeeklyDispatch, MonthlyBulletin, BimonthlyAnalysis, LedgerWorkbook, ItemLedger, SummaryDraft)}

__all__ = ["EXPORTERS", "ExportScope", "download", "render", "write"]
