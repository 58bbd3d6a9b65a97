"""Reading the Excel lists offices already keep, tolerantly, and refusing them clearly.

Tolerated: title rows (merged or not) above the header, full-width characters and stray spaces,
trailing empty rows, numbers stored as text. Refused, with the sheet, row, column and the fix:
anything else, formulas included (their results are not in every file: values only are imported);
and as a whole, a file too big, packed too tightly (a "zip bomb") or too long. An import checks
every row first and writes nothing unless all of them are good; then it writes in one transaction.
"""

import datetime
import io
import unicodedata
import zipfile
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

MAX_BYTES = 10 * 1024 * 1024
MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # a full 20,000-row list unpacks to well under this
MAX_ROWS = 20000
HEADER_SEARCH_ROWS = 10


def clean(value):
    """Full-width to half-width, no stray spaces; dates stay dates, numbers become their text."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFKC", str(value))
    return " ".join(text.split())


@dataclass
class Problem:
    sheet: str
    row: int
    column: str
    message: str

    def __str__(self):
        return _("Sheet “%(sheet)s”, row %(row)s, column “%(column)s”: %(message)s") % {
            "sheet": self.sheet, "row": self.row, "column": self.column, "message": self.message}


class ImportRefused(Exception):
    """The file as a whole cannot be read; the message says why and what to do."""


@dataclass
class Plan:
    """What an import would do: one line per row, and the problems that stop it."""

    lines: list = field(default_factory=list)  # (row, action, description)
    problems: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.problems


class Importer:
    """Subclasses name their sheet and columns, check each row into the plan, and apply the plan."""

    identifier = ""
    verbose_name = ""
    sheet = ""
    do_not_call_in_templates = True  # templates list the classes themselves
    has_template = True
    columns = []  # (header, required, instructions, example)

    @classmethod
    def allowed(cls, reach):
        """Who may use this import: by default the task-force offices."""
        from ..models import Role

        return reach.is_all or Role.OFFICE in reach.roles

    def __init__(self, *, user, progress=None, **options):
        self.user = user
        self.options = options
        self.progress = progress or (lambda done, total: None)  # (rows done, rows in all or None)
        self.cell_problems = []  # what `rows` refused on its own: formulas

    @classmethod
    def row_count(cls, upload):
        """About how many rows the upload's sheet has (0 if it cannot be read), to decide whether to
        import it in the background; the upload is left ready to read again."""
        try:
            book = open_workbook(upload)
            count = book[cls.sheet].max_row or 0 if cls.sheet in book.sheetnames else 0
        except ImportRefused:
            count = 0
        upload.seek(0)
        return count

    def rows(self, upload):
        """(row number, {header: cleaned value}) for each non-empty row under the header.

        The whole sheet is read first, so that a file too long is refused before any row is checked."""
        found = list(self._read(upload))
        for done, row in enumerate(found, 1):
            if done % 500 == 0:
                self.progress(done, len(found))
            yield row

    def _read(self, upload):
        book = open_workbook(upload)
        if self.sheet not in book.sheetnames:
            raise ImportRefused(_("The workbook has no sheet “%(sheet)s”; download the template and use its sheet.")
                                % {"sheet": self.sheet})
        rows = book[self.sheet].iter_rows(values_only=True)
        headers = [header for header, *_rest in self.columns]
        required = {header for header, needed, *_rest in self.columns if needed}
        positions = None
        for number, row in enumerate(rows, 1):
            cells = [clean(value) for value in row]
            if {clean(header) for header in required} <= set(cells):
                positions = {header: cells.index(clean(header)) for header in headers if clean(header) in cells}
                break
            if number >= HEADER_SEARCH_ROWS:
                break
        if positions is None:
            raise ImportRefused(_("No header row with %(headers)s in the first %(n)d rows of “%(sheet)s”; "
                                  "use the template's header.")
                                % {"headers": "、".join(h for h in headers if h in required), "n": HEADER_SEARCH_ROWS,
                                   "sheet": self.sheet})
        for offset, row in enumerate(rows, number + 1):
            if offset - number > MAX_ROWS:
                if any(value not in (None, "") for value in row) or offset - number > 2 * MAX_ROWS:
                    raise ImportRefused(_("More than %(n)d rows: split the file.") % {"n": MAX_ROWS})
                continue
            raw = {header: row[index] if index < len(row) else None for header, index in positions.items()}
            formulas = [header for header, value in raw.items() if is_formula(value)]
            if formulas:
                self.cell_problems.extend(
                    Problem(self.sheet, offset, header, _("a formula (%(formula)s); only values are imported: copy "
                                                          "the column and paste it back as values.")
                            % {"formula": str(getattr(raw[header], "text", raw[header]))[:40]})
                    for header in formulas)
                continue
            values = {header: clean(value) for header, value in raw.items()}
            if any(values.values()):
                yield offset, values

    def plan(self, upload) -> Plan:
        raise NotImplementedError

    def apply(self, plan):
        raise NotImplementedError

    def run(self, upload, *, dry_run):
        """Check every row; unless this is a dry run and all rows are good, write them in one transaction."""
        from ..models.audit import Source, recorded_as

        plan = self.plan(upload)
        plan.problems = sorted([*self.cell_problems, *plan.problems], key=lambda problem: problem.row)
        if plan.ok and not dry_run:
            with transaction.atomic(), recorded_as(Source.IMPORT):
                self.apply(plan)
        return plan

    def problem(self, plan, row, column, message):
        plan.problems.append(Problem(self.sheet, row, column, message))

    @classmethod
    def template(cls):
        """A blank workbook: the sheet with its header and an example row, and an instructions sheet."""
        book = Workbook()
        sheet = book.active
        sheet.title = cls.sheet
        sheet.append([header for header, *_rest in cls.columns])
        sheet.append([example for *_rest, example in cls.columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="D9E1F2")
        for index, (header, *_rest) in enumerate(cls.columns):
            sheet.column_dimensions[chr(ord("A") + index)].width = max(12, 2 * len(header) + 4)
        notes = book.create_sheet(_("Instructions"))
        notes.append([_("column"), _("required"), _("how to fill it")])
        for header, required, instructions, _example in cls.columns:
            notes.append([header, _("yes") if required else _("no"), instructions])
        notes.append([])
        notes.append([_("Delete the example row. Rows above the header (a title) and empty rows are ignored.")])
        notes.column_dimensions["C"].width = 70
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()


def is_formula(value):
    """A formula cell (read with `data_only=False`), or text that Excel would take for one."""
    return isinstance(value, (ArrayFormula, DataTableFormula)) or (isinstance(value, str) and value.startswith("="))


def open_workbook(upload):
    """The upload as a read-only workbook, or ImportRefused saying what is wrong with the file."""
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:
        raise ImportRefused(_("The file is larger than %(mb)d MB.") % {"mb": MAX_BYTES // 1024 // 1024})
    data = upload.read() if hasattr(upload, "read") else open(upload, "rb").read()
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ImportRefused(_("This is not an Excel .xlsx file; save it as “Excel workbook (.xlsx)” and try again."))
    try:
        unpacked = sum(member.file_size for member in zipfile.ZipFile(io.BytesIO(data)).infolist())
    except (zipfile.BadZipFile, OSError):
        unpacked = 0  # load_workbook says it cannot be read
    if unpacked > MAX_UNPACKED_BYTES:
        raise ImportRefused(_("The file unpacks to %(mb)d MB, more than an Excel list of %(rows)d rows can; it is "
                              "not an ordinary workbook and was not opened.")
                            % {"mb": unpacked // 1024 // 1024, "rows": MAX_ROWS})
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds for a damaged file
        raise ImportRefused(_("The workbook cannot be read; open it in Excel, save it as .xlsx and try again.")) \
            from None
