"""Reading the Excel lists offices already keep, tolerantly, and refusing them clearly.

Tolerated: title rows (merged or not) above the header, full-width characters and stray spaces in
what is matched (headers, codes, numbers, kinds: `key`), trailing empty rows, numbers stored as text.
Text that is stored (names, titles, accounts: each importer's `text_columns`) is kept as written,
only the spaces around it dropped (`text`): a full-width ，；（）： is never rewritten. Refused, with the sheet, row, column and the fix:
anything else, formulas included (their results are not in every file: values only are imported);
and as a whole, a file too big, packed too tightly (a "zip bomb") or too long. An import checks
every row first and writes nothing unless all of them are good; then it writes in one transaction.
"""

import datetime
import io
import itertools
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

MAX_BYTES = 10 * 1024 * 1024
MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # a full 20,000-row list unpacks to well under this
MAX_ROWS = 20000
HEADER_SEARCH_ROWS = 15
NOTE_IN_HEADER = re.compile(r"[（(][^）)]*[）)]$")  # 完成时限（年月日）: the header without its note


def _plain(value):
    """Dates stay dates (a datetime its day); a whole float is an int; None is empty."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def key(value):
    """A cell read to be matched (a header, a code, a number, a kind): full-width to half-width, no
    stray spaces; dates stay dates, numbers become their text. Never stored as text."""
    value = _plain(value)
    if isinstance(value, datetime.date):
        return value
    return " ".join(unicodedata.normalize("NFKC", str(value)).split())


def text(value):
    """A cell read to be stored (a name, a title, an account): as written, without the spaces and line
    breaks around it. The same reading serves to tell whether stored text was changed."""
    value = _plain(value)
    if isinstance(value, datetime.date):
        return value
    return str(value).strip()


class RowValues(dict):
    """A row's values by header; `cells` is every non-empty cell of the row, as text."""

    cells: list = []


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

    lines: list = field(default_factory=list)  # (row, action, description, data)
    problems: list = field(default_factory=list)
    skipped: list = field(default_factory=list)  # (row, description): rows read and left as they are

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
    text_columns = frozenset()  # headers whose text is stored: read with `text`, the others with `key`
    synonyms = {}  # header -> other headers offices give the same column
    any_sheet = False  # True: the first sheet with the header, whatever its name

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
        self.written = {}  # header -> the column's name as the file heads it

    @classmethod
    def row_count(cls, upload):
        """About how many rows the upload's sheet has (0 if it cannot be read), to decide whether to
        import it in the background; the upload is left ready to read again."""
        try:
            book = open_workbook(upload)
            names = [cls.sheet] if cls.sheet in book.sheetnames else book.sheetnames if cls.any_sheet else []
            count = max([book[name].max_row or 0 for name in names], default=0)
        except ImportRefused:
            count = 0
        upload.seek(0)
        return count

    def rows(self, upload):
        """(row number, {header: value read}) for each non-empty row under the header; `values.cells` holds
        the row's every non-empty cell as text.

        The whole sheet is read first, so that a file too long is refused before any row is checked."""
        found = list(self._read(upload))
        for done, row in enumerate(found, 1):
            if done % 500 == 0:
                self.progress(done, len(found))
            yield row

    def _read(self, upload):
        sheet, rows, number, positions = self._find_header(open_workbook(upload))
        self.sheet = sheet
        names = {index: self.written.get(header, header) for header, index in positions.items()}
        for offset, row in enumerate(rows, number + 1):
            if offset - number > MAX_ROWS:
                if any(value not in (None, "") for value in row) or offset - number > 2 * MAX_ROWS:
                    raise ImportRefused(_("More than %(n)d rows: split the file.") % {"n": MAX_ROWS})
                continue
            formulas = [index for index, value in enumerate(row) if is_formula(value)]
            if formulas:
                self.cell_problems.extend(
                    Problem(sheet, offset, names.get(index, get_column_letter(index + 1)),
                            _("a formula (%(formula)s); only values are imported: copy the column and paste it "
                              "back as values.") % {"formula": str(getattr(row[index], "text", row[index]))[:40]})
                    for index in formulas)
                continue
            values = RowValues({header: (text if header in self.text_columns else key)(
                row[index] if index < len(row) else None) for header, index in positions.items()})
            values.cells = [cell for cell in (text(value) for value in row) if cell != ""]
            if any(values.values()):
                yield offset, values

    def _find_header(self, book):
        """(sheet name, the rows after the header, the header's row number, {header: column index}).

        The template's sheet, or (for `any_sheet` importers) the first sheet with such a header, within
        its first rows; a header cell merged over two rows counts for the row below it too."""
        if self.sheet in book.sheetnames:
            names = [self.sheet]
        elif self.any_sheet:
            names = book.sheetnames
        else:
            raise ImportRefused(_("The workbook has no sheet “%(sheet)s”; download the template and use its sheet.")
                                % {"sheet": self.sheet})
        for name in names:
            rows = book[name].iter_rows(values_only=True)
            raw = list(itertools.islice(rows, HEADER_SEARCH_ROWS + 1))
            head = [[key(value) for value in row] for row in raw]
            above = []
            for number, cells in enumerate(head[:HEADER_SEARCH_ROWS], 1):
                merged = _under(cells, above)
                positions = self._positions(merged)
                if positions is not None:
                    below = _under(head[number], merged) if number < len(head) else []
                    lower = self._positions(below) if below else None
                    if lower is not None and len(lower) > len(positions):  # 责任分工 over 牵头单位 | 责任单位
                        positions, number, merged = lower, number + 1, below
                    # The messages name a column as the file heads it (牵头单位, not the template's 牵头部门).
                    self.written = {header: _written(raw[:number], index) or header
                                    for header, index in positions.items()}
                    rest = book[name].iter_rows(min_row=number + 1, values_only=True)
                    return name, rest, number, positions
                above = cells
        required = [header for header, needed, *_rest in self.columns if needed]
        raise ImportRefused(_("No header row with %(headers)s in the first %(n)d rows of %(sheets)s; use the "
                              "template's header.") % {
            "headers": "、".join(self.header_forms(header) for header in required), "n": HEADER_SEARCH_ROWS,
            "sheets": "、".join(f"“{name}”" for name in names)})

    def _positions(self, cells):
        """{header: column index} if every required header (or a synonym of it) is among the cells."""
        found = {}
        plain = [NOTE_IN_HEADER.sub("", str(cell)) for cell in cells]
        for header, required, *_rest in self.columns:
            forms = {key(form) for form in (header, *self.synonyms.get(header, ()))}
            index = next((i for i, cell in enumerate(cells) if cell in forms or plain[i] in forms), None)
            if index is None:
                if required:
                    return None
                continue
            found[header] = index
        return found

    @classmethod
    def header_forms(cls, header):
        """A header as the messages name it: 任务（或 重点任务、主要任务）."""
        synonyms = cls.synonyms.get(header, ())
        return _("%(header)s (or %(synonyms)s)") % {"header": header, "synonyms": "、".join(synonyms)} \
            if synonyms else header

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
        plan.problems.append(Problem(self.sheet, row, self.written.get(column, column), message))

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


def _written(rows, index):
    """The text of a header cell as written: the header row's cell, or above it where merged over two."""
    for row in reversed(rows[-2:]):
        if index < len(row) and row[index] not in (None, ""):
            return text(row[index])
    return ""


def _under(cells, above):
    """A header row with the cells merged down from the row above filled in."""
    width = max(len(cells), len(above))
    return [(cells[i] if i < len(cells) else "") or (above[i] if i < len(above) else "") for i in range(width)]


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
