"""The first page of the weekly dispatch and of the monthly bulletin: a one-page summary whose every
figure is the sum of what the appendices list, on the demo city."""

import collections
import datetime
import io

from django.contrib.auth import get_user_model
from django.core.management import call_command
from openpyxl import load_workbook

from checklists.exports import EXPORTERS, ExportScope, render
from checklists.models import Campaign

from .test_exports import summary_table, table


def workbook(kind, period, user="office"):
    start, end = EXPORTERS[kind].period_bounds(period)
    scope = ExportScope(user=get_user_model().objects.get(username=user), campaign=Campaign.objects.get(year=2023),
                        start=start, end=end)
    return load_workbook(io.BytesIO(render(EXPORTERS[kind](scope))[2]))


def test_the_summaries_add_up_what_their_appendices_list(db):
    call_command("load_demo", stdout=io.StringIO())

    book = workbook("monthly", "2023-05")
    assert book.sheetnames == ["概况", "单位", "逾期事项", "统计"]
    summary = book["概况"]
    assert summary["A1"].value == "山水市清廉建设工作月通报（2023年5月） · 概况"
    assert book["逾期事项"]["A1"].value.endswith(" · 附表2 逾期事项")
    assert summary.page_setup.orientation == "portrait" and summary.page_setup.fitToHeight == 1
    header, units = table(book["单位"])
    assert header[:3] == ["排名", "单位", "县（区）"] and len(units) > 20
    _, counties = summary_table(summary, "各县（区）完成情况")
    rated = collections.Counter((row[2], row[9]) for row in units)
    overdue = collections.Counter(row[1] for row in table(book["逾期事项"])[1])
    for county, due, approved, _submitted, completion, late, red, amber, green in counties[:-1]:
        assert (red, amber, green) == (rated[(county, "红")], rated[(county, "黄")], rated[(county, "绿")]), county
        assert late == overdue[county] and completion == round(100 * approved / due, 1) / 100, county
    total = counties[-1]
    assert total[0] == "合计" and total[1:4] == [sum(row[i] for row in counties[:-1]) for i in (1, 2, 3)]
    assert total[6:] == [sum(1 for row in units if row[9] == rag) for rag in ("红", "黄", "绿")]
    first = summary_table(summary, "排名前十位的单位")[1]
    last = summary_table(summary, "排名后十位的单位")[1]
    as_listed = [[row[1], row[2], row[0], row[6], row[7], row[8], row[9]] for row in units]
    tenth, tenth_last = as_listed[9][2], as_listed[-10][2]  # a shared rank at the cut names all who share it
    assert first == [row for row in as_listed if row[2] <= tenth] and len(first) >= 10
    assert last == [row for row in as_listed if row[2] >= tenth_last] and len(last) >= 10

    book = workbook("weekly", "2023-05-03")
    assert book.sheetnames == ["概况", "本周进展", "下周到期", "逾期（按单位）", "本周问题", "统计"]
    summary = book["概况"]
    header, counties = summary_table(summary, "本周各县（区）情况")
    assert header == ["县（区）", "本周报送", "本周通过", "本周退回", "下周到期", "逾期", "本周发现问题", "本周销号问题"]
    moves = table(book["本周进展"])[1]
    assert len(moves) > 0
    total = counties[-1]
    assert total[0] == "合计" and total[1:] == [sum(row[i] for row in counties[:-1]) for i in range(1, 8)]
    for column, status in ((1, "已报送"), (2, "已通过"), (3, "已退回")):
        assert total[column] == sum(1 for row in moves if row[5] == status), status
    late = table(book["逾期（按单位）"])[1]
    assert total[5] == sum(row[2] for row in late)
    assert summary_table(summary, "逾期事项最多的单位")[1] == late[:10]
    _, problems = table(book["本周问题"])
    found = sum(1 for row in problems if datetime.date(2023, 5, 1) <= row[2].date() <= datetime.date(2023, 5, 7))
    assert total[6] == found
