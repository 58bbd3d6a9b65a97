"""The item page: the unit saves and submits, the office approves with a score or returns with a comment."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from checklists import services
from checklists.models import ChecklistItem, Evidence, ItemStatus, UnitStanding

from . import factories as f


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_liaison_saves_progress_and_the_draft_moves_in_progress(client, world):
    client.force_login(world.liaison_a)
    response = client.post(reverse("item_save", args=[world.item_a.pk]),
                           {"progress": 60, "account": "已召开两次会议", "version": 1})
    assert response.status_code == 302
    item = ChecklistItem.objects.get(pk=world.item_a.pk)
    assert (item.progress, item.account, item.status, item.version) == (60, "已召开两次会议", "in_progress", 2)


def test_progress_over_100_re_renders_the_form_and_keeps_the_text(client, world):
    client.force_login(world.liaison_a)
    response = client.post(reverse("item_save", args=[world.item_a.pk]),
                           {"progress": 120, "account": "我写的说明", "version": 1})
    assert response.status_code == 400
    assert "progress" in response.context["unit_form"].errors
    assert "我写的说明" in response.content.decode()
    assert ChecklistItem.objects.get(pk=world.item_a.pk).progress == 0


def test_a_stale_save_shows_the_other_persons_change_and_keeps_mine(client, world):
    services.item_update(item=world.item_a, user=world.leader_a, expected_version=1, account="负责人的版本")
    client.force_login(world.liaison_a)
    response = client.post(reverse("item_save", args=[world.item_a.pk]),
                           {"progress": 30, "account": "联络员的版本", "version": 1})
    assert response.status_code == 409
    page = response.content.decode()
    assert "负责人的版本" in page and "联络员的版本" in page and "已有他人保存了修改" in page
    assert ChecklistItem.objects.get(pk=world.item_a.pk).account == "负责人的版本"


def test_review_loop_through_the_web(client, world):
    item_url = reverse("item_detail", args=[world.item_a.pk])
    client.force_login(world.liaison_a)
    client.post(reverse("item_submit", args=[world.item_a.pk]))
    client.force_login(world.office_x)
    page = client.get(item_url)
    assert "approve_form" in page.context and "return_form" in page.context
    client.post(reverse("item_return", args=[world.item_a.pk]), {"comment": "请补充照片"})
    assert ChecklistItem.objects.get(pk=world.item_a.pk).status == ItemStatus.RETURNED
    client.force_login(world.liaison_a)
    assert "请补充照片" in client.get(item_url).content.decode()
    client.post(reverse("item_save", args=[world.item_a.pk]), {"progress": 100, "account": "已补充", "version": 3})
    client.post(reverse("item_submit", args=[world.item_a.pk]))
    client.force_login(world.office_x)
    client.post(reverse("item_approve", args=[world.item_a.pk]), {"score": "4.5", "comment": "同意"})
    item = ChecklistItem.objects.get(pk=world.item_a.pk)
    assert (item.status, item.score) == (ItemStatus.APPROVED, Decimal("4.5"))
    history = [(t.to_status, t.by.username) for t in item.transitions.all()]
    assert history == [("submitted", "liaison_a"), ("returned", "office_x"), ("submitted", "liaison_a"),
                       ("approved", "office_x")]


def test_a_score_above_the_points_is_refused_with_the_limit(client, world, submitted_item):
    client.force_login(world.office_x)
    response = client.post(reverse("item_approve", args=[submitted_item.pk]), {"score": "6"})
    assert response.status_code == 400
    assert "5" in str(response.context["approve_form"].errors["score"])
    assert ChecklistItem.objects.get(pk=submitted_item.pk).status == ItemStatus.SUBMITTED


def test_returning_without_a_comment_changes_nothing(client, world, submitted_item):
    client.force_login(world.office_x)
    response = client.post(reverse("item_return", args=[submitted_item.pk]), {"comment": ""})
    assert response.status_code == 400
    assert ChecklistItem.objects.get(pk=submitted_item.pk).status == ItemStatus.SUBMITTED


@pytest.mark.parametrize("name", ["item_save", "item_submit", "evidence_upload"])
def test_office_and_viewer_cannot_do_the_units_work(client, world, name):
    for user in (world.office_x, world.viewer_x):
        client.force_login(user)
        assert client.post(reverse(name, args=[world.item_a.pk]), {"version": 1}).status_code == 403


@pytest.mark.parametrize("name", ["item_approve", "item_return"])
def test_liaison_and_viewer_cannot_review(client, world, submitted_item, name):
    for user in (world.liaison_a, world.viewer_x):
        client.force_login(user)
        assert client.post(reverse(name, args=[submitted_item.pk]), {"score": 5, "comment": "x"}).status_code == 403


def test_viewer_reads_the_item_without_any_form(client, world):
    client.force_login(world.viewer_x)
    response = client.get(reverse("item_detail", args=[world.item_a.pk]))
    assert response.status_code == 200
    for form in ("unit_form", "approve_form", "return_form", "upload_form"):
        assert form not in response.context


def test_evidence_upload_download_and_remove_before_submission(client, world):
    client.force_login(world.liaison_a)
    files = [SimpleUploadedFile("会议记录.pdf", b"%PDF-1.4 a"), SimpleUploadedFile("照片.jpg", b"\xff\xd8\xff")]
    client.post(reverse("evidence_upload", args=[world.item_a.pk]), {"files": files})
    evidence = list(world.item_a.evidence.order_by("name"))
    assert [e.name for e in evidence] == ["会议记录.pdf", "照片.jpg"]
    download = client.get(reverse("evidence_download", args=[evidence[0].pk]))
    assert b"".join(download.streaming_content) == b"%PDF-1.4 a"
    client.post(reverse("evidence_remove", args=[evidence[1].pk]))
    assert list(world.item_a.evidence.values_list("name", flat=True)) == ["会议记录.pdf"]
    services.item_submit(item=world.item_a, user=world.liaison_a)
    client.post(reverse("evidence_remove", args=[evidence[0].pk]))
    assert Evidence.objects.filter(pk=evidence[0].pk).exists()


def test_an_oversized_upload_is_refused_by_name(client, world, settings):
    settings.EVIDENCE_MAX_BYTES = 10
    client.force_login(world.liaison_a)
    response = client.post(reverse("evidence_upload", args=[world.item_a.pk]),
                           {"files": [SimpleUploadedFile("大文件.pdf", b"x" * 11)]})
    assert response.status_code == 400 and "大文件.pdf" in response.content.decode()
    assert not Evidence.objects.exists()


def test_item_list_filters_and_keeps_them_in_the_url(client, world, submitted_item):
    client.force_login(world.office_city)
    response = client.get(reverse("item_list"), {"status": "submitted", "county": world.county_x.path})
    assert [row.record.pk for row in response.context["table"].page.object_list] == [submitted_item.pk]
    assert "status=submitted" in response.content.decode()  # sort and page links carry the filters


def _add_units(world, count):
    for n in range(count):
        f.unit(f"甲县单位{n}", world.county_x)
    services.campaign_generate_items(campaign=world.campaign)


@pytest.mark.parametrize("cold", [False, True], ids=["standings-kept", "standings-counted"])
@pytest.mark.parametrize("name", ["item_list", "home"])
@pytest.mark.parametrize("who", ["office_city", "liaison_a"])
def test_list_pages_run_a_fixed_number_of_queries(client, world, name, who, cold):
    """Whether the units' standings are there or must be counted first, the count does not grow."""
    client.force_login(getattr(world, who))

    def measure():
        client.get(reverse(name))  # warm the session and, unless cold, the standings
        if cold:
            UnitStanding.objects.all().delete()
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse(name))
        return queries

    small = measure()
    _add_units(world, 30)
    large = measure()
    assert len(large) == len(small), [q["sql"] for q in large.captured_queries]


def test_signoff_through_the_web(client, world):
    world.campaign.leader_signoff_required = True
    world.campaign.save()
    url = reverse("item_detail", args=[world.item_a.pk])
    client.force_login(world.liaison_a)
    assert "提交单位负责人审签" in client.get(url).content.decode()
    client.post(reverse("item_submit", args=[world.item_a.pk]))
    client.force_login(world.leader_a)
    page = client.get(url)
    assert "decline_form" in page.context and "审签后报送工作专班" in page.content.decode()
    client.post(reverse("item_decline_signoff", args=[world.item_a.pk]), {"comment": "请补充"})
    assert ChecklistItem.objects.get(pk=world.item_a.pk).status == ItemStatus.IN_PROGRESS
    client.post(reverse("item_submit", args=[world.item_a.pk]))
    assert ChecklistItem.objects.get(pk=world.item_a.pk).status == ItemStatus.SUBMITTED


def test_the_item_page_shows_who_changed_what_and_from_where(client, world):
    services.item_update(item=world.item_a, user=world.liaison_a, expected_version=1, progress=40, account="初稿")
    client.force_login(world.leader_a)
    client.post(reverse("item_save", args=[world.item_a.pk]), {"version": 2, "progress": 80, "account": "初稿"})
    client.force_login(world.office_x)
    response = client.get(reverse("item_detail", args=[world.item_a.pk]))
    edits = response.context["edits"]
    assert [(who.username, str(source), [(str(field), old, new) for field, old, new in changes])
            for _, who, source, changes, _reason in edits] == [
        ("leader_a", "网页", [("进度（%）", 40, 80)]),
        ("liaison_a", "命令或后台任务", [("进度（%）", 0, 40), ("完成情况", "", "初稿")]),
    ]


@pytest.mark.parametrize("asked, rows", [(None, 25), ("100", 100), ("100000", 100), ("abc", 25), ("0", 1)])
def test_a_list_page_holds_25_rows_and_never_more_than_100(client, world, asked, rows):
    client.force_login(world.office_city)
    response = client.get(reverse("item_list"), {"per_page": asked} if asked else {})
    assert response.status_code == 200 and response.context["table"].paginator.per_page == rows


def test_choosing_a_file_before_saving_keeps_the_text_typed(client, world):
    client.force_login(world.liaison_a)
    response = client.post(reverse("item_save", args=[world.item_a.pk]), {
        "progress": 40, "account": "已召开会议，材料见附件；", "version": 1,
        "files": [SimpleUploadedFile("签到表.pdf", b"%PDF-1.4 sign-in")], "upload": ""})
    assert response.status_code == 302
    item = ChecklistItem.objects.get(pk=world.item_a.pk)
    assert (item.progress, item.account) == (40, "已召开会议，材料见附件；")
    assert list(item.evidence.values_list("name", flat=True)) == ["签到表.pdf"]
    page = client.get(reverse("item_detail", args=[item.pk])).content.decode()
    assert 'data-confirm="数量尚未达标（0/≥2次），仍要报送吗？"' in page  # a warning, not a block
    refused = client.post(reverse("item_save", args=[world.item_a.pk]), {
        "progress": 50, "account": "改后的说明", "version": item.version,
        "files": [SimpleUploadedFile("病毒.pdf", b"MZ\x90\x00 an executable")]})
    assert refused.status_code == 400 and "改后的说明" in refused.content.decode()
    assert ChecklistItem.objects.get(pk=world.item_a.pk).account == "已召开会议，材料见附件；"


def test_the_reviewer_sees_each_linked_entrys_files_and_what_it_adds(client, world):
    world.liaison_a.first_name = "王小明"
    world.liaison_a.save()
    entry = f.LedgerEntryFactory(unit=world.unit_a, kind="meeting", subkind="first_topic", title="第一议题学习会",
                                 count=1, occurred_on="2023-05-10")
    services.entry_link_items(entry=entry, items=[world.item_a], user=world.liaison_a)
    sign_in = services.evidence_attach(owner=entry, upload=SimpleUploadedFile("签到表.pdf", b"%PDF-1.4 sign-in"),
                                       user=world.liaison_a)
    services.evidence_attach(owner=entry, upload=SimpleUploadedFile("纪要.docx", b"PK\x03\x04 docx"),
                             user=world.liaison_a)
    services.item_submit(item=ChecklistItem.objects.get(pk=world.item_a.pk), user=world.liaison_a)
    client.force_login(world.office_x)
    page = client.get(reverse("item_detail", args=[world.item_a.pk])).content.decode()
    assert reverse("ledger_detail", args=[entry.pk]) in page
    assert reverse("evidence_download", args=[sign_in.pk]) + "?preview=1" in page and "纪要.docx" in page
    assert "王小明" in page and "第一议题学习会" in page
    assert "1/≥2次：会议 2023年5月10日（1次）" in page
    preview = client.get(reverse("evidence_download", args=[sign_in.pk]), {"preview": "1"})
    assert preview["Content-Disposition"].startswith("inline") and preview["Content-Type"] == "application/pdf"
    word = Evidence.objects.get(name="纪要.docx")
    assert client.get(reverse("evidence_download", args=[word.pk]), {"preview": "1"})[
        "Content-Disposition"].startswith("attachment")


def test_filters_start_at_all_and_a_liaison_sees_only_those_that_apply(client, world):
    client.force_login(world.office_x)
    form = client.get(reverse("item_list")).context["filter"].form
    assert {"county", "unit_kind"} <= set(form.fields)
    assert list(form.fields["overdue"].widget.choices)[0] == ("", "全部")
    assert list(form.fields["status"].choices)[0] == ("", "全部") and list(form.fields["campaign"].choices)[0][1] == "全部"
    client.force_login(world.liaison_a)
    form = client.get(reverse("item_list")).context["filter"].form
    assert not {"county", "unit_kind"} & set(form.fields) and "status" in form.fields
