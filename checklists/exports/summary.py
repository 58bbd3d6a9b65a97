"""年度总结（草稿）: the year-end summary of a body's clean-institution work, drafted from its ledgers as a
Word document laid out like an official one (A4, 仿宋 三号 at a fixed 28 points, 一、 headings in 黑体,
page numbers). It is written in Chinese, as the reports it replaces are: the sentences are built from a
template per ledger (`summary_text`), the figures written exact or "N余" as the workbooks write them, and
each sentence and figure is numbered [n] against the appendix naming the records it counts."""

import datetime
import re

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import Problem, ProblemStatus
from ..selectors.summary import PROBLEMS_FOUND, summary_content
from .base import Exporter, chinese_date
from .summary_text import Wording, written

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
NUMERALS = "一二三四五六七八九十"
SHOWN_PROBLEMS = 20  # open problems named in the text; all of them in appendix 2

# Fonts as an official document names them; where one is missing, the reader's system substitutes its
# nearest CJK face (here LibreOffice takes Noto Serif/Sans CJK SC).
TITLE_FONT, BODY_FONT, HEADING_FONT, SUBHEADING_FONT = "方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312"
BODY_SIZE, LINE = Pt(16), Pt(28)  # 三号, a fixed 28-point line

def half_bounds(text):
    """"2023" → the year; "2023-H1" or 2023上半年 → its half; a clear ValueError otherwise."""
    text = (text or "").strip().replace(" ", "").upper()
    match = re.fullmatch(r"(\d{4})年?(?:-?H([12])|(上|下)半年)?", text)
    if not match:
        raise ValueError(_("Write a year as YYYY, or a half-year as YYYY-H1 or YYYY-H2, for example 2023-H1."))
    year, half = int(match.group(1)), match.group(2) or {"上": "1", "下": "2"}.get(match.group(3) or "")
    if not half:
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return (datetime.date(year, 1, 1), datetime.date(year, 6, 30)) if half == "1" else (
        datetime.date(year, 7, 1), datetime.date(year, 12, 31))


def period_name(start, end):
    if (start.month, end.month) == (1, 12):
        return f"{start.year}年"
    return f"{start.year}年{'上' if start.month == 1 else '下'}半年"


class SummaryDraft(Exporter):
    identifier = "summary"
    verbose_name = _("Year-end summary (draft)")
    period_help = _("a year YYYY, or a half-year YYYY-H1 or YYYY-H2")
    period_input = "half"
    content_type = CONTENT_TYPE

    @classmethod
    def period_bounds(cls, text):
        return half_bounds(text)

    @classmethod
    def period_of(cls, day):
        return str(day.year)

    @classmethod
    def period_refusal(cls, campaign, start, end):
        if start < campaign.period_start or end > campaign.period_end:
            return _("%(campaign)s runs from %(start)s to %(end)s: choose a year or a half-year within it, or the "
                     "task list of that year.") % {"campaign": campaign, "start": chinese_date(campaign.period_start),
                                                  "end": chinese_date(campaign.period_end)}
        return None

    @property
    def filename(self):
        return f"{self.document_title()}（草稿）.docx"

    def document_title(self):
        scope = self.scope
        topic = re.search(r"清廉\w{0,8}?建设", scope.campaign.name)  # 清廉机关建设 of 2023年清廉机关建设任务清单
        topic = topic.group(0) if topic else "清廉建设"
        return f"{self.scope.body.name.replace('·', '')}{period_name(scope.start, scope.end)}{topic}工作总结"

    def write_document(self, into):
        scope = self.scope
        content = summary_content(user=scope.user, body=scope.body, campaign=scope.campaign, start=scope.start,
                                  end=scope.end)
        Draft(content, self.document_title(), scope.generated_at).write(into)


class Draft(Wording):
    """The document, written top to bottom; `notes` gathers, for each [n], its figures and records."""

    def __init__(self, content, title, generated_at):
        self.content, self.title, self.generated_at = content, title, generated_at
        self.notes = []  # (what the sentence or figure says, what it counts, the records' numbers)
        self.cited_in = {}  # entry pk → the [n] of the sentences that count it
        self.numbers = {}  # entry pk → its number in appendix 2 (1-3: the first dimension's third)
        self.problem_numbers = {problem.pk: f"问-{i}" for i, problem in enumerate(self._problems(), 1)}
        groups = [work.entries for work in content.dimensions] + [content.others]
        for d, entries in enumerate(groups, 1):
            for i, entry in enumerate(entries, 1):
                self.numbers.setdefault(entry.pk, f"{d}-{i}")
        self.document = Document()

    def _problems(self):
        found = {}
        for counted in self.content.headline:
            for record in counted.records:
                if getattr(record, "found_on", None):
                    found[record.pk] = record
        return sorted(found.values(), key=lambda problem: (problem.found_on, problem.pk))

    # The document

    def write(self, into):
        self.layout()
        self.paragraph(f"【草稿】本稿由清廉台账于{chinese_date(timezone.localtime(self.generated_at))}根据台账记录自动生成，"
                       "文中方括号内的编号对应附件中的数字来源和台账记录，请核对、修改后使用。",
                       font=SUBHEADING_FONT, size=Pt(12), indent=False, draft_line=True)
        self.paragraph(self.title, font=TITLE_FONT, size=Pt(22), indent=False, center=True, space_after=Pt(14))
        self.opening()
        number = 0
        for number, work in enumerate(self.content.dimensions, 1):
            self.heading(f"{NUMERALS[number - 1]}、{work.dimension.heading}")
            self.dimension(work)
        tail = [("其他工作", self.others), ("问题整改情况", self.problems), ("下一步工作", self.next_steps)]
        for title, section in tail:
            if section is self.others and not self.content.others:
                continue
            number += 1
            self.heading(f"{NUMERALS[number - 1] if number <= 10 else number}、{title}")
            section()
        self.appendices()
        self.document.save(into)

    def layout(self):
        section = self.document.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
        section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
        normal = self.document.styles["Normal"]
        normal.font.size = BODY_SIZE
        normal.font.name = BODY_FONT
        normal.element.rPr.rFonts.set(qn("w:eastAsia"), BODY_FONT)
        language = OxmlElement("w:lang")
        language.set(qn("w:val"), "zh-CN")
        language.set(qn("w:eastAsia"), "zh-CN")
        normal.element.rPr.append(language)
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self.run(footer, "— ", font="宋体", size=Pt(14))
        self.page_number(footer)
        self.run(footer, " —", font="宋体", size=Pt(14))

    def page_number(self, paragraph):
        run = self.run(paragraph, "", font="宋体", size=Pt(14))
        for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
            if kind:
                element = OxmlElement("w:fldChar")
                element.set(qn("w:fldCharType"), kind)
            else:
                element = OxmlElement("w:instrText")
                element.set(qn("xml:space"), "preserve")
                element.text = text
            run._r.append(element)

    def run(self, paragraph, text, font=BODY_FONT, size=BODY_SIZE, bold=False, superscript=False):
        run = paragraph.add_run(text)
        run.font.name, run.font.size, run.font.bold = font, size, bold
        run.font.superscript = superscript
        run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
        return run

    def paragraph(self, text="", font=BODY_FONT, size=BODY_SIZE, indent=True, center=False, bold=False,
                  space_after=Pt(0), draft_line=False):
        paragraph = self.document.add_paragraph()
        form = paragraph.paragraph_format
        form.line_spacing_rule, form.line_spacing = WD_LINE_SPACING.EXACTLY, LINE if size == BODY_SIZE else None
        if size != BODY_SIZE:
            form.line_spacing_rule = WD_LINE_SPACING.SINGLE
        form.space_before, form.space_after = Pt(0), space_after
        if indent:
            form.first_line_indent = Pt(32)
        if center:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif not draft_line:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        if text:
            self.run(paragraph, text, font=font, size=size, bold=bold)
        return paragraph

    def heading(self, text):
        self.paragraph(text, font=HEADING_FONT).paragraph_format.keep_with_next = True

    def cite(self, paragraph, says, counts, records, entries=()):
        """A reference [n] after what `says`, noted for appendix 1 with the records it counts; each of
        `entries` names it in appendix 2, so that a reader adds them up."""
        self.notes.append((says, counts, records))
        for entry in entries:
            self.cited_in.setdefault(entry.pk, []).append(f"[{len(self.notes)}]")
        self.run(paragraph, f"[{len(self.notes)}]", size=Pt(10), superscript=True)

    def record_numbers(self, records):
        """The records' numbers in appendix 2: 1-3 for an entry, 问-2 for a problem."""
        numbers = [(self.problem_numbers if isinstance(record, Problem) else self.numbers).get(record.pk, "")
                   for record in records]
        numbers = [number for number in numbers if number]
        if len(numbers) > 12:
            return f"{'、'.join(numbers[:12])}等{len(numbers)}条（见附件2）"
        return "、".join(numbers)

    # The sections

    def opening(self):
        content = self.content
        paragraph = self.paragraph()
        when = period_name(content.start, content.end)
        body = self.short(content.body.name)
        if content.is_empty:
            self.run(paragraph, f"{when}，{body}在清廉台账中未登记台账记录，本稿无可总结的工作内容。"
                                "请先在台账中登记开展的会议、培训、活动等，再生成总结。")
            return
        self.run(paragraph, f"{when}，{body}坚持以政治建设为统领，扎实推进清廉建设各项任务。据台账统计，")
        for index, counted in enumerate(content.headline):
            self.figure(paragraph, counted)
            if counted.parts:
                self.run(paragraph, "（其中")
                for number, part in enumerate(counted.parts):
                    self.run(paragraph, "、" if number else "")
                    self.figure(paragraph, part)
                self.run(paragraph, "）")
            self.run(paragraph, "；" if index < len(content.headline) - 1 else "。")
        if content.figures:
            paragraph = self.paragraph()
            self.run(paragraph, "其中：")
            for index, (value, records) in enumerate(content.figures):
                self.run(paragraph, f"{value.figure.label}{value.written}")
                self.cite(paragraph, f"{value.figure.label}{value.value}{value.figure.unit_word}",
                          value.figure.description(), self.record_numbers(records))
                self.run(paragraph, "；" if index < len(content.figures) - 1 else "。")

    def figure(self, paragraph, counted):
        """召开会议290余次[1]: the figure as the reports write it, numbered against what it counts."""
        self.run(paragraph, f"{counted.label}{written(counted.value, counted.unit_word, counted.headcount)}")
        self.cite(paragraph, f"{counted.label}{counted.value}{counted.unit_word}", counted.counts,
                  self.record_numbers(counted.records))

    def dimension(self, work):
        if not work.measures:
            self.paragraph("本期台账中未登记该方面的工作。")
            return
        for number, measure in enumerate(work.measures, 1):
            paragraph = self.paragraph()
            self.run(paragraph, f"（{NUMERALS[number - 1] if number <= 10 else number}）{measure.standard_item.title}。",
                     font=SUBHEADING_FONT, bold=True)
            self.sentences(paragraph, measure.entries, measure.standard_item.measure_word)

    def others(self):
        paragraph = self.paragraph()
        self.run(paragraph, "以下工作已登记台账，但未关联任务清单事项：", )
        self.sentences(paragraph, self.content.others, "")

    def sentences(self, paragraph, entries, word):
        """One sentence per entry, but one for all the entries of the same ledger, kind and title when
        there are three or more, and one for the rest of a kind when three or more are left."""
        by_title, by_kind = {}, {}
        for entry in entries:
            by_title.setdefault((entry.kind, entry.subkind, entry.title), []).append(entry)
        sentences = []
        for group in by_title.values():
            if len(group) >= 3:
                sentences.append((group, self.group_sentence(group, word, group[0].title)))
            else:
                for entry in group:
                    by_kind.setdefault((entry.kind, entry.subkind), []).append(entry)
        for group in by_kind.values():
            if len(group) >= 3:
                sentences.append((group, self.group_sentence(group, word, str(group[0].get_subkind_display()))))
            else:
                sentences += [([entry], self.entry_sentence(entry, word)) for entry in group]
        for group, (text, says) in sorted(sentences, key=lambda pair: (pair[0][0].occurred_on, pair[0][0].pk)):
            self.run(paragraph, text)
            self.cite(paragraph, says, "", self.record_numbers(group), entries=group)
            self.run(paragraph, "。")

    def problems(self):
        content = self.content
        found = next((counted for counted in content.headline if counted.label == PROBLEMS_FOUND), None)
        if found is None:
            self.paragraph("本期未登记发现的问题。")
            return
        paragraph = self.paragraph()
        self.run(paragraph, f"督导检查和自查中共发现问题{written(found.value, '个')}")
        self.cite(paragraph, f"发现问题{found.value}个", found.counts, self.record_numbers(found.records))
        reported = [problem for problem in content.problems_open if problem.status == ProblemStatus.REPORTED]
        self.run(paragraph, f"，已整改销号{found.value - len(content.problems_open)}个，尚未销号"
                            f"{len(content.problems_open)}个（其中已报整改、待核实{len(reported)}个）。")
        for problem in content.problems_open[:SHOWN_PROBLEMS]:
            paragraph = self.paragraph()
            late = "，已超期" if problem.deadline and problem.deadline < timezone.localdate() else ""
            self.run(paragraph, f"{self.unit_name(problem.unit)}：{problem.description.rstrip('。')}"
                                f"（{problem.get_status_display()}，整改期限"
                                f"{chinese_date(problem.deadline) if problem.deadline else '未定'}{late}）")
            self.cite(paragraph, problem.description[:40], "", self.problem_numbers.get(problem.pk, ""))
            self.run(paragraph, "。")
        if len(content.problems_open) > SHOWN_PROBLEMS:
            self.paragraph(f"另有{len(content.problems_open) - SHOWN_PROBLEMS}个问题未列出，见附件2。")

    def next_steps(self):
        unfinished = self.content.unfinished
        if not self.content.units_in_scope:
            self.paragraph("本单位不在所选任务清单的责任范围内，没有需要推进的任务清单事项。")
            return
        if not unfinished:
            self.paragraph("本期到期的任务清单事项均已审核通过。下一步，将继续巩固清廉建设成果，推动各项工作常态长效。")
            return
        self.paragraph(f"对照任务清单，到期事项中尚有{len(unfinished)}项举措的部分事项未经审核通过（未报送或待审核，"
                       "多为按月、按季度的事项），下一步将重点推进：")
        for number, item in enumerate(unfinished, 1):
            self.paragraph(f"{number}．{item.standard_item.title}（{self.who_named(item.units)}，"
                           f"{item.items}项）" + ("；" if number < len(unfinished) else "。"))

    # The appendices

    def appendices(self):
        self.page_break()
        self.heading("附件1：数字来源")
        if not self.notes:
            self.paragraph("本稿没有引用数字。")
        else:
            table = self.table(["编号", "正文所述", "统计口径", "所计记录"], [Cm(1.4), Cm(5), Cm(4.6), Cm(4.6)])
            for number, (says, counts, records) in enumerate(self.notes, 1):
                self.row(table, [f"[{number}]", says, counts, records])
        self.page_break()
        self.heading("附件2：所用台账记录（按维度）")
        groups = [(work.dimension.heading, work.entries) for work in self.content.dimensions]
        groups.append(("其他工作（未关联任务清单事项）", self.content.others))
        problems = self._problems()
        if not (self.numbers or problems):
            self.paragraph("本稿没有引用台账记录。")
        for heading, entries in groups:
            if not entries:
                continue
            self.paragraph(heading, font=SUBHEADING_FONT, bold=True, indent=False)
            table = self.table(["编号", "日期", "单位", "台账", "标题", "次/人", "正文"],
                               [Cm(1.3), Cm(3.2), Cm(3.0), Cm(1.4), Cm(4.0), Cm(1.5), Cm(1.2)])
            for entry in entries:
                self.row(table, [self.numbers[entry.pk], chinese_date(entry.occurred_on), self.unit_name(entry.unit),
                                 str(entry.get_kind_display()), entry.title, f"{entry.count}/{entry.participants}",
                                 "".join(dict.fromkeys(self.cited_in.get(entry.pk, [])))])
        if problems:
            self.paragraph("发现的问题", font=SUBHEADING_FONT, bold=True, indent=False)
            table = self.table(["编号", "发现日期", "单位", "问题", "状态"], [Cm(1.3), Cm(3.2), Cm(3.0), Cm(6.1), Cm(2)])
            for problem in problems:
                self.row(table, [self.problem_numbers[problem.pk], chinese_date(problem.found_on),
                                 self.unit_name(problem.unit), problem.description, str(problem.get_status_display())])
        self.page_break()
        self.heading("附件3：未登记台账的单位")
        if not self.content.units_in_scope:
            self.paragraph("本单位不在所选任务清单的责任范围内。")
            return
        for work in self.content.dimensions:
            names = "、".join(self.short(name) for name in work.units_without) if work.units_without else "无"
            paragraph = self.paragraph()
            self.run(paragraph, f"{work.dimension.heading}：", font=SUBHEADING_FONT, bold=True)
            self.run(paragraph, names)

    def page_break(self):
        self.document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def table(self, headers, widths):
        table = self.document.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        for column, width in zip(table.columns, widths):  # the grid LibreOffice reads; Word reads the cells'
            column.width = width
        self.widths = widths
        self.row(table, headers, cells=table.rows[0].cells, bold=True)
        header = table.rows[0]._tr.get_or_add_trPr()
        header.append(OxmlElement("w:tblHeader"))  # repeated at the top of each page
        return table

    def row(self, table, values, cells=None, bold=False):
        if cells is None:
            row = table.add_row()
            row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # a row is never split across pages
            cells = row.cells
        for cell, value, width in zip(cells, values, self.widths):
            cell.width = width
            paragraph = cell.paragraphs[0]
            self.run(paragraph, str(value), size=Pt(10.5), bold=bold)
