"""The year-end summary drafts itself: a Word document in the six dimensions, read back with python-docx
and every figure compared with the ledgers."""

import datetime
import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Sum
from django.urls import reverse
from docx import Document

from checklists.exports import ExportScope, render
from checklists.exports.summary import SummaryDraft, half_bounds
from checklists.models import Campaign, Dimension, LedgerEntry, Problem, ProblemStatus, Unit
from checklists.selectors.statistics import approximate, figures_for
from checklists.selectors.summary import HEADLINE, PROBLEMS_CLOSED, PROBLEMS_FOUND, RESTATED

from . import factories as f

YEAR = (datetime.date(2023, 1, 1), datetime.date(2023, 12, 31))
MARKER = re.compile(r"\[\d+\]")
# The departments of the district summary the demo records (DOMAIN.md's 郊区).
DEPARTMENTS = ["区委组织部", "区直机关工委", "区政府办", "区司法局", "区委统战部", "区行政审批局",
               "区生态环境保护综合行政执法大队", "区退役军人事务局"]
FONTS = Path(__file__).resolve().parent.parent / "docs" / "fontconfig" / "official-fonts.conf"


def draft(user, campaign, body, period=YEAR):
    content = render(SummaryDraft(ExportScope(user=user, campaign=campaign, start=period[0], end=period[1],
                                              county=body)))[2]
    return content, Document(io.BytesIO(content))


def text_of(document):
    return [paragraph.text for paragraph in document.paragraphs]


def tables_of(document):
    return [[[cell.text for cell in row.cells] for row in table.rows[1:]] for table in document.tables]


def written(value, word):
    return f"{approximate(value, headcount=word in {'人', '名', '人次'})}{word}"


def check_sentences_add_up(document, body):
    """Every ledger entry appendix 2 lists is a real entry of the body in 2023, and each sentence's
    figures [n] are the sum of the entries that name it."""
    notes, *entry_tables = tables_of(document)
    entries, sums = {}, {}
    for row in (row for table in entry_tables for row in table if len(row) == 7):
        number, day, unit, _ledger, title, figures, cited = row
        entries[number] = (day, unit, title, figures, cited)
    for number, (day, unit, title, figures, cited) in entries.items():
        day = datetime.date(*map(int, re.findall(r"\d+", day)))  # 2023年2月16日
        found = LedgerEntry.objects.filter(title=title, occurred_on=day, unit__path__startswith=body.path,
                                           unit__name__endswith=unit)
        count, participants = map(int, figures.split("/"))
        assert found.filter(count=count, participants=participants).exists(), (number, title)
        for marker in MARKER.findall(cited):
            sums.setdefault(marker, [0, 0])
            sums[marker][0] += count
            sums[marker][1] += participants
    checked = 0
    for marker, says, _counts, _records in notes:
        match = re.search(r"：(\d+)\D+，(\d+)(人|个单位)$", says)
        if match and marker in sums:
            assert int(match.group(1)) == sums[marker][0], (marker, says)
            if match.group(3) == "人":
                assert int(match.group(2)) == sums[marker][1], (marker, says)
            checked += 1
    return checked


def test_the_districts_draft_has_the_six_dimensions_the_departments_and_the_ledgers_figures(db):
    call_command("load_demo", stdout=io.StringIO())
    office = get_user_model().objects.get(username="office")
    campaign, suburb = Campaign.objects.get(year=2023), Unit.objects.get(name="郊区")
    _content, document = draft(office, campaign, suburb)
    lines = text_of(document)
    assert lines[0].startswith("【草稿】") and lines[1] == "郊区2023年清廉机关建设工作总结"
    headings = [line for line in lines if re.match(r"^[一二三四五六]、聚焦", line)]
    dimensions = Dimension.objects.filter(standard_set=campaign.standard_set).order_by("order")
    assert headings == [f"{'一二三四五六'[n]}、聚焦{d.name}，{d.slogan}" for n, d in enumerate(dimensions)]
    assert headings[0] == "一、聚焦政治建设，构建清廉生态"
    body = MARKER.sub("", "\n".join(lines))
    for department in DEPARTMENTS:
        assert department in body, department
    assert "区委组织部于2月16日召开2023年全面从严治党暨“清廉机关”工作会，60人参加" in body
    assert "区委组织部于3月20日组织4名县级领导干部参加市委党校第九期二十大专题研讨班" in body
    assert "区委组织部于4月14日举办《学习党的二十大精神凝聚奋进力量》专题培训，由党的二十大代表李杰主讲" in body
    assert "印发《2023年全面从严治党工作要点》" in body
    entries = LedgerEntry.objects.filter(unit__path__startswith=suburb.path, occurred_on__range=YEAR)
    meetings = entries.filter(kind="meeting", subkind="first_agenda_item").aggregate(total=Sum("count"))["total"]
    assert f"“第一议题”学习{written(meetings, '次')}" in body.split("一、")[0]  # meetings by kind, in the opening
    for kind, label, word, added in HEADLINE:
        of_kind = entries.filter(kind=kind)
        total = of_kind.count() if added == "entries" else of_kind.aggregate(total=Sum(added))["total"] or 0
        if total:
            assert f"{label}{written(total, word)}" in body, label
    problems = Problem.objects.filter(unit__path__startswith=suburb.path, found_on__range=YEAR)
    assert f"{PROBLEMS_FOUND}{written(problems.count(), '个')}" in body
    assert f"{PROBLEMS_CLOSED}{written(problems.filter(status=ProblemStatus.CLOSED).count(), '个')}" in body
    assert check_sentences_add_up(document, suburb) > 20
    notes = tables_of(document)[0]
    found = next(row for row in notes if row[1].startswith(PROBLEMS_FOUND))
    assert found[3] and all(number.startswith("问-") for number in re.findall(r"[^、（]+-\d+", found[3]))


def test_the_citys_draft_gives_the_city_reports_figures_as_the_statistics_sheet_does(db):
    call_command("load_demo", stdout=io.StringIO())
    office = get_user_model().objects.get(username="office")
    campaign = Campaign.objects.get(year=2023)
    city = Unit.objects.get(name="山水市")
    _content, document = draft(office, campaign, None)
    opening = MARKER.sub("", "\n".join(text_of(document)[:4]))
    for text in ("督导检查540余次", "整改销号800余个", "领导干部诺廉示廉5万余人", "戏曲文艺晚会巡演52场"):
        assert text in opening, text
    for value in figures_for(office, start=YEAR[0], end=YEAR[1], within=city):
        if value.value and value.figure.key not in RESTATED:
            assert f"{value.figure.label}{value.written}" in opening, value.figure.key


def test_a_body_with_nothing_recorded_says_so(world):
    _content, document = draft(world.office_city, world.campaign, world.unit_b)
    lines = text_of(document)
    assert lines[1] == "甲县司法局2023年清廉建设工作总结"
    assert any("未登记台账记录" in line for line in lines)
    assert any(line.startswith("一、") for line in lines)  # the sections are there, each saying so


def test_a_liaison_drafts_its_own_unit_only(client, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    f.LedgerEntryFactory(unit=world.unit_a, title="“三会一课”", occurred_on=datetime.date(2023, 3, 1),
                         participants=12)
    client.force_login(world.liaison_a)
    assert client.get(reverse("summary_draft", args=[world.unit_b.pk])).status_code == 404
    assert client.post(reverse("summary_draft", args=[world.unit_b.pk]),
                       {"kind": "summary", "campaign": world.campaign.pk, "period": "2023"}).status_code == 404
    bad = client.post(reverse("summary_draft", args=[world.unit_a.pk]),
                      {"kind": "summary", "campaign": world.campaign.pk, "period": "2023年第三季度"})
    assert bad.status_code == 400 and "2023-H1" in bad.content.decode()
    response = client.post(reverse("summary_draft", args=[world.unit_a.pk]),
                           {"kind": "summary", "campaign": world.campaign.pk, "period": "2023-H1"}, follow=True)
    job = response.context["job"]
    assert job.filename == "甲县组织部2023年上半年清廉建设工作总结（草稿）.docx"
    download = client.get(reverse("job_download", args=[job.pk]))
    document = Document(io.BytesIO(b"".join(download.streaming_content)))
    assert "召开“三会一课”，12人参加" in MARKER.sub("", "\n".join(text_of(document)))


def test_a_visit_is_told_as_the_inspecting_bodys_and_a_period_outside_the_list_is_refused(client, world):
    f.LedgerEntryFactory(unit=world.unit_a, kind="visit", subkind="routine", title="日常督导：甲县组织部",
                         occurred_on=datetime.date(2023, 3, 1), inspector_unit=world.county_x)
    _content, document = draft(world.office_city, world.campaign, world.unit_a)
    assert "甲县于3月1日对甲县组织部开展日常督导" in MARKER.sub("", "\n".join(text_of(document)))
    client.force_login(world.office_x)
    refused = client.post(reverse("summary_draft", args=[world.unit_a.pk]),
                          {"kind": "summary", "campaign": world.campaign.pk, "period": "2026"})
    assert refused.status_code == 400 and "2023年1月1日" in refused.content.decode()


def test_a_half_year_is_read_as_written_and_anything_else_refused():
    assert half_bounds("2023") == YEAR
    assert half_bounds("2023-H2") == (datetime.date(2023, 7, 1), datetime.date(2023, 12, 31))
    assert half_bounds("2023上半年") == (datetime.date(2023, 1, 1), datetime.date(2023, 6, 30))
    with pytest.raises(ValueError):
        half_bounds("2023-Q3")


def test_the_command_writes_the_draft(world, tmp_path):
    out = tmp_path / "总结.docx"
    call_command("summary_draft", "--unit", "甲县", "--year", "2023", "--out", str(out), stdout=io.StringIO())
    assert text_of(Document(str(out)))[1] == "甲县2023年清廉建设工作总结"


def test_the_draft_converts_to_pdf_on_a4_with_page_numbers(world, tmp_path):
    if shutil.which("soffice") is None or shutil.which("pdftotext") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("soffice or pdftotext missing; CI must convert the draft")
        pytest.skip("soffice or pdftotext missing: apt-get install libreoffice-writer-nogui poppler-utils")
    for day in range(1, 30):
        f.LedgerEntryFactory(unit=world.unit_a, title=f"第{day}次“三会一课”", occurred_on=datetime.date(2023, 3, day),
                             participants=day)
    content, _document = draft(world.office_city, world.campaign, world.county_x)
    (tmp_path / "draft.docx").write_bytes(content)
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(tmp_path / "draft.docx")], check=True, capture_output=True, timeout=300,
                   env={**os.environ, "HOME": str(tmp_path), "FONTCONFIG_FILE": str(FONTS)})
    info = subprocess.run(["pdfinfo", str(tmp_path / "draft.pdf")], capture_output=True, text=True).stdout
    assert "595.3" in info and "841.89" in info  # A4
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "draft.pdf"), "-"], check=True,
                          capture_output=True, text=True).stdout
    pages = [re.sub(r"\s+", "", page) for page in text.split("\f") if page.strip()]  # pdftotext spaces out
    assert "甲县2023年清廉建设工作总结" in pages[0] and any("附件1：数字来源" in page for page in pages)
    for number, page in enumerate(pages, 1):
        assert page.endswith(f"—{number}—"), number
