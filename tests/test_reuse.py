"""Last time, in view: an item shows the same measure's item of the previous period and of last year;
the unit copies an account forward or re-uses a file (the same stored file, recorded as re-used)."""

import datetime

import pytest
from django.utils import timezone
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from checklists import services
from checklists.models import Evidence

from . import factories as f


@pytest.fixture
def years(world, settings, tmp_path):
    """Unit A's 2023 item with an account, a review and a file; the list copied to 2024."""
    settings.MEDIA_ROOT = tmp_path
    old = services.item_update(item=world.item_a, user=world.liaison_a, expected_version=world.item_a.version,
                               progress=100, account="签订责任书12份")
    world.old_file = services.evidence_attach(owner=old, upload=SimpleUploadedFile("责任书.pdf", b"%PDF-1.4"),
                                              user=world.liaison_a)
    services.item_submit(item=old, user=world.liaison_a)
    services.item_approve(item=old, user=world.office_x, score=4, comment="材料齐全")
    world.old_item = old
    next_list = services.campaign_copy(campaign=world.campaign, year=2024)[0].campaign
    world.new_item = next_list.items.get(unit=world.unit_a)
    return world


def test_the_item_shows_last_year_with_its_account_review_and_files(client, years):
    client.force_login(years.liaison_a)
    page = client.get(years.new_item.get_absolute_url())
    earlier = page.context["earlier"]
    assert earlier["last_year"] == years.old_item and earlier["previous"] is None
    html = page.content.decode()
    for text in ("签订责任书12份", "材料齐全", "责任书.pdf", 'class="btn btn-sm btn-link py-0 reuse"', "copy-account"):
        assert text in html, text
    client.force_login(years.office_x)  # the office reads it, with nothing to re-use
    html = client.get(years.new_item.get_absolute_url()).content.decode()
    assert "签订责任书12份" in html and "copy-account" not in html and "py-0 reuse" not in html


def test_a_reused_file_is_the_same_stored_file_on_both_items_and_outlives_either(client, years):
    client.force_login(years.liaison_a)
    client.post(reverse("evidence_reuse", args=[years.new_item.pk, years.old_file.pk]))
    reused = Evidence.objects.get(item=years.new_item)
    assert reused.file.name == years.old_file.file.name and reused.reused_from == years.old_file
    assert Evidence.objects.filter(file=years.old_file.file.name).count() == 2
    page = client.get(years.new_item.get_absolute_url()).content.decode()
    assert "复用：首次提供于" in page and timezone.localtime(years.old_file.uploaded_at).strftime("%Y-%m-%d") in page
    assert "py-0 reuse" not in page  # the file is here already: not offered again
    services.record_archive(record=reused, user=years.liaison_a)  # removed from the new item only
    assert Evidence.objects.filter(item=years.old_item).get() == years.old_file
    response = client.get(reverse("stored_file", args=[years.old_file.file.name]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4"
    again = services.evidence_reuse(evidence=years.old_file, item=years.new_item, user=years.liaison_a)
    assert again.reused_from == years.old_file  # archived, so it may be re-used again
    with pytest.raises(services.ServiceError):
        services.evidence_reuse(evidence=years.old_file, item=years.new_item, user=years.liaison_a)


def test_re_use_is_the_units_own_files_on_an_open_item(years):
    other = services.evidence_attach(owner=years.item_c, upload=SimpleUploadedFile("乙县.pdf", b"%PDF"),
                                     user=years.superuser)
    with pytest.raises(services.ServiceError):
        services.evidence_reuse(evidence=other, item=years.new_item, user=years.liaison_a)
    with pytest.raises(services.NotPermitted):
        services.evidence_reuse(evidence=years.old_file, item=years.new_item, user=years.office_x)
    services.item_submit(item=years.new_item, user=years.liaison_a)
    years.new_item.refresh_from_db()
    with pytest.raises(services.IllegalTransition):
        services.evidence_reuse(evidence=years.old_file, item=years.new_item, user=years.liaison_a)
    assert not Evidence.objects.filter(item=years.new_item).exists()


def test_the_account_is_copied_forward_after_what_is_written(client, years):
    client.force_login(years.liaison_a)
    url = reverse("item_copy_account", args=[years.new_item.pk])
    client.post(url, {"from": "last_year", "version": years.new_item.version})
    years.new_item.refresh_from_db()
    assert years.new_item.account == "签订责任书12份"
    stale = client.post(url, {"from": "last_year", "version": 1}, follow=True)
    years.new_item.refresh_from_db()
    assert years.new_item.account == "签订责任书12份" and "Someone else saved" not in stale.content.decode()
    assert list(stale.context["messages"])  # the conflict is said, nothing written over
    client.post(url, {"from": "previous", "version": years.new_item.version})  # there is none
    years.new_item.refresh_from_db()
    assert years.new_item.account == "签订责任书12份"


def test_the_previous_period_of_a_quarterly_measure(world):
    from checklists.selectors import earlier_items

    quarterly = f.StandardItemFactory(standard_set=world.standard_set, dimension=world.standard_item.dimension,
                                      code="Q", recurrence="quarterly")
    services.campaign_generate_items(campaign=world.campaign)
    items = list(world.campaign.items.filter(unit=world.unit_a, standard_item=quarterly).order_by("period_start"))
    assert [item.period for item in items] == ["2023-Q1", "2023-Q2", "2023-Q3", "2023-Q4"]
    assert earlier_items(items[2])["previous"] == items[1] and earlier_items(items[0])["previous"] is None
    assert items[1].period_start == datetime.date(2023, 4, 1)
    next_year = services.campaign_copy(campaign=world.campaign, year=2024)[0].campaign
    first = next_year.items.get(unit=world.unit_a, standard_item__code="Q", period="2024-Q1")
    earlier = earlier_items(first)  # the year's first quarter follows last year's fourth
    assert earlier["previous"] == items[3] and earlier["last_year"] == items[0]
