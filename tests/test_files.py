"""Stored files (evidence, exported and uploaded workbooks) only through a check of the user's reach."""

import datetime
import importlib
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import Resolver404, clear_url_caches, resolve, reverse

from checklists import services, tasks

PDF = b"%PDF-1.4 signed attendance sheet"


@pytest.fixture
def evidence(world):
    return services.evidence_attach(owner=world.item_a, upload=SimpleUploadedFile("签到表.pdf", PDF, "application/pdf"),
                                    user=world.liaison_a)


@pytest.fixture
def export_job(world):
    return monthly_export(world.liaison_a, world.campaign)


def monthly_export(user, campaign):
    job = tasks.export_start(user=user, exporter="monthly", campaign=campaign,
                                start=datetime.date(2023, 3, 1), end=datetime.date(2023, 3, 31))
    job.refresh_from_db()
    return job


def file_urls(evidence, export_job):
    return [reverse("evidence_download", args=[evidence.pk]), evidence.file.url,
            reverse("job_download", args=[export_job.pk]), export_job.file.url]


def test_every_stored_file_link_goes_to_the_checked_view(evidence, export_job):
    for name, url in ((evidence.file.name, evidence.file.url), (export_job.file.name, export_job.file.url)):
        assert url == reverse("stored_file", args=[name])
        assert resolve(url).url_name == "stored_file"


def test_an_anonymous_request_for_any_file_is_sent_to_the_login(client, evidence, export_job):
    for url in file_urls(evidence, export_job):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url


def test_a_user_outside_the_unit_gets_404_for_its_files(client, world, evidence, export_job):
    client.force_login(world.office_y)
    for url in file_urls(evidence, export_job):
        assert client.get(url).status_code == 404, url


def test_an_export_is_its_starters_only_even_for_the_office_over_the_unit(client, world, export_job):
    client.force_login(world.office_x)
    assert client.get(export_job.file.url).status_code == 404
    assert client.get(reverse("job_download", args=[export_job.pk])).status_code == 404


def test_the_user_in_reach_downloads_an_attachment_that_is_not_sniffed(client, world, evidence, export_job):
    for user, url, body in ((world.liaison_a, evidence.file.url, PDF), (world.office_x, evidence.file.url, PDF),
                            (world.liaison_a, reverse("evidence_download", args=[evidence.pk]), PDF)):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == body
        assert response["Content-Disposition"].startswith("attachment;")
        assert "%E7%AD%BE%E5%88%B0%E8%A1%A8.pdf" in response["Content-Disposition"]  # 签到表.pdf
        assert response["X-Content-Type-Options"] == "nosniff"
    client.force_login(world.liaison_a)
    workbook = client.get(export_job.file.url)
    assert workbook.status_code == 200 and b"".join(workbook.streaming_content)[:2] == b"PK"
    assert workbook["Content-Disposition"].startswith("attachment;")


def test_archived_evidence_is_for_the_office_only(client, world, evidence):
    services.record_archive(record=evidence, user=world.liaison_a)
    client.force_login(world.liaison_a)
    assert client.get(evidence.file.url).status_code == 404
    client.force_login(world.office_x)
    assert client.get(evidence.file.url).status_code == 200


def test_stored_names_carry_a_random_part(world, evidence, export_job):
    again = monthly_export(world.liaison_a, world.campaign)
    pattern = r"jobs/\d{4}/\d{2}/[\w-]{16}/[^/]+\.xlsx"
    assert re.fullmatch(pattern, export_job.file.name) and re.fullmatch(pattern, again.file.name)
    assert export_job.file.name.rsplit("/", 1)[-1] == again.file.name.rsplit("/", 1)[-1]  # the same workbook name
    assert export_job.file.name != again.file.name
    assert re.fullmatch(rf"evidence/{world.unit_a.pk}/\d{{4}}/\d{{2}}/[\w-]{{16}}/签到表\.pdf", evidence.file.name)


def test_no_media_route_even_in_debug(client, world, settings, evidence):
    settings.DEBUG = True
    import tracker.urls

    try:
        importlib.reload(tracker.urls)
        clear_url_caches()
        for path in ("/media/" + evidence.file.name, "/" + evidence.file.name):
            with pytest.raises(Resolver404):
                resolve(path)
    finally:
        settings.DEBUG = False
        importlib.reload(tracker.urls)
        clear_url_caches()


def test_the_admin_links_evidence_to_the_checked_view(client, world, evidence):
    client.force_login(world.office_x)
    for url in (reverse("admin:checklists_evidence_change", args=[evidence.pk]),
                reverse("admin:checklists_checklistitem_change", args=[world.item_a.pk])):
        page = client.get(url).content.decode()
        assert f'href="{evidence.file.url}"' in page, url
        assert "/media/" not in page


def test_nginx_sends_the_bytes_after_the_check_when_asked(client, world, settings, evidence):
    settings.FILES_ACCEL_REDIRECT = "/protected-files/"
    client.force_login(world.liaison_a)
    response = client.get(evidence.file.url)
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"].startswith(f"/protected-files/evidence/{world.unit_a.pk}/")
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    client.force_login(world.office_y)
    outsider = client.get(evidence.file.url)
    assert outsider.status_code == 404 and "X-Accel-Redirect" not in outsider


def test_a_long_file_name_is_kept_for_the_download_and_shortened_on_disk(client, world):
    name = "关于开展清廉机关建设专题培训暨" * 6 + ".pdf"
    evidence = services.evidence_attach(owner=world.item_a, upload=SimpleUploadedFile(name, PDF, "application/pdf"),
                                        user=world.liaison_a)
    assert evidence.name == name and len(evidence.file.name) <= 100 and evidence.file.name.endswith(".pdf")
    client.force_login(world.liaison_a)
    response = client.get(evidence.file.url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
