"""Issuing a report: numbered 第N期 per issuing office, report and year; the file kept exactly as issued
and downloaded unchanged whatever changes later; listed and downloaded only by those who reach the
issuing office's whole subtree; issued only by the office over it."""

import io
from decimal import Decimal
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from checklists import services
from checklists.exports import EXPORTERS, ExportScope
from checklists.models import Bulletin, ChecklistItem, Job
from checklists.models.bulletins import BulletinQuerySet

from . import factories as f


def issue(client, user, world, period="2023-12", kind="monthly", county=""):
    client.force_login(user)
    return client.post(reverse("export_page"), {"kind": kind, "campaign": world.campaign.pk, "period": period,
                                                "county": county, "issue": "on"})


def downloaded(client, bulletin):
    response = client.get(bulletin.get_download_url())
    return response.status_code, b"".join(response.streaming_content) if response.status_code == 200 else b""


def test_an_office_issues_numbered_reports_kept_as_issued(client, reviewed):
    world = reviewed
    issue(client, world.office_x, world)
    first = Bulletin.objects.get()
    assert (first.issuer, first.kind, first.year, first.number, first.issued_by) == (
        world.county_x, "monthly", 2023, 1, world.office_x)
    assert first.title == "甲县清廉建设工作月通报2023年第1期（2023年12月）"
    assert first.filename == "甲县月通报_2023年第1期_20231201-20231231.xlsx"
    status, issued = downloaded(client, first)
    book = load_workbook(io.BytesIO(issued))
    assert status == 200 and book["概况"]["A1"].value == f"{first.title} · 概况"
    assert book["单位"]["A2"].value.startswith("甲县清廉建设工作专班") and "发布时间：" in book["单位"]["A2"].value

    job = Job.objects.get()
    assert job.result["issue"] == "2023年第1期" and job.filename == first.filename
    page = client.get(job.get_absolute_url()).content.decode()
    assert "已发布为2023年第1期" in page and reverse("bulletin_list") in page

    # Later work changes the figures; the issued file does not change, and issuing again is a new number.
    item = ChecklistItem.objects.get(unit=world.unit_b)
    liaison_b = f.member("liaison_b", world.unit_b, "liaison")
    services.item_update(item=item, user=liaison_b, progress=100, account="补报", expected_version=item.version)
    services.item_submit(item=item, user=liaison_b)
    services.item_approve(item=item, user=world.office_x, score=Decimal("5"))
    assert downloaded(client, Bulletin.objects.get(pk=first.pk)) == (200, issued)
    issue(client, world.office_x, world)
    second = Bulletin.objects.get(number=2)
    assert second.title == "甲县清廉建设工作月通报2023年第2期（2023年12月）"
    assert downloaded(client, second)[1] != issued

    # Numbers run per issuing office: the city's first monthly bulletin is its 第1期.
    issue(client, world.office_city, world)
    city = Bulletin.objects.get(issuer=world.city)
    assert city.number == 1 and city.title.startswith("山水市清廉建设工作月通报2023年第1期")


def test_issued_reports_are_listed_and_downloaded_only_by_who_reaches_the_whole_issuer(client, reviewed):
    world = reviewed
    issue(client, world.office_x, world)
    bulletin = Bulletin.objects.get()
    for user, sees in ((world.office_x, True), (world.office_city, True), (world.viewer_x, True),
                       (world.superuser, True), (world.liaison_a, False), (world.leader_a, False),
                       (world.office_y, False)):
        client.force_login(user)
        page = client.get(reverse("bulletin_list"))
        assert page.status_code == (200 if user not in (world.liaison_a, world.leader_a) else 403)
        assert (bulletin.title in page.content.decode()) is sees, user
        assert (downloaded(client, bulletin)[0] == 200) is sees, user
    client.logout()
    assert client.get(reverse("bulletin_list")).status_code == 302


def test_only_the_office_over_the_body_issues_and_only_the_reports_offices_issue(client, reviewed):
    world = reviewed
    response = issue(client, world.office_x, world, kind="items", period="2023")
    assert response.status_code == 400 and "只有周调度、月通报和双月分析可以正式发布" in response.context["form"].errors["issue"][0]
    response = issue(client, world.office_x, world, county=world.county_y.pk)
    assert response.status_code == 400 and "county" in response.context["form"].errors
    response = issue(client, world.office_city, world, county=world.county_x.pk)  # the county's own series
    assert response.status_code == 400 and "只有甲县工作专班可以发布" in response.context["form"].errors["issue"][0]
    for user in (world.liaison_a, world.viewer_x):
        client.force_login(user)
        assert "issue" not in client.get(reverse("export_page")).context["form"].fields
        issue(client, user, world)  # the box is not there: a plain workbook, never issued
    assert not Bulletin.objects.exists() and Job.objects.filter(parameters__issue=True).count() == 0
    scope = ExportScope(user=world.liaison_a, campaign=world.campaign, start=world.campaign.period_start,
                        end=world.campaign.period_end)
    with pytest.raises(services.NotPermitted):
        services.bulletin_issue(user=world.liaison_a, exporter=EXPORTERS["monthly"](scope), write=None)


def test_a_number_taken_at_the_same_moment_is_written_again_with_the_next(reviewed):
    world = reviewed
    scope = ExportScope(user=world.office_x, campaign=world.campaign, start=world.campaign.period_start,
                        end=world.campaign.period_end)
    Bulletin.objects.create(issuer=world.county_x, kind="monthly", year=2023, number=1, campaign=world.campaign,
                            period_start=scope.start, period_end=scope.end, title="已发布", file="x.xlsx",
                            filename="x.xlsx", issued_by=world.office_x)
    titles = []

    def write(exporter):
        titles.append(str(exporter.title()))
        return "name.xlsx", "", b"content"

    with mock.patch.object(BulletinQuerySet, "next_number", side_effect=[1, 2]):
        bulletin = services.bulletin_issue(user=world.office_x, exporter=EXPORTERS["monthly"](scope), write=write)
    assert bulletin.number == 2 and Bulletin.objects.count() == 2
    assert ["2023年第1期" in titles[0], "2023年第2期" in titles[1]] == [True, True]


def test_the_export_command_issues_too(reviewed, tmp_path):
    world = reviewed
    out, output = tmp_path / "月通报.xlsx", io.StringIO()
    call_command("export_summary", kind="monthly", period="2023-12", out=str(out), user="office_x",
                 campaign=world.campaign.pk, issue=True, stdout=output)
    bulletin = Bulletin.objects.get()
    assert output.getvalue().startswith("甲县清廉建设工作月通报2023年第1期（2023年12月）")
    assert out.read_bytes() == bulletin.file.read()
    with pytest.raises(CommandError, match="--issue: 只有周调度"):
        call_command("export_summary", kind="ledgers", period="2023", out=str(out), user="office_x",
                     campaign=world.campaign.pk, issue=True, stdout=io.StringIO())
    assert Bulletin.objects.count() == 1
