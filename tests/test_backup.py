"""`backup` writes everything to one archive; `restore` reads it into an empty database and every
record and evidence file is back, on SQLite and on PostgreSQL alike."""

import datetime
import io
import shutil
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from checklists import services
from checklists.models import ChecklistItem, Evidence, Unit

from . import factories as f


def shown(value):
    """A field's value as the backup keeps it: times to the millisecond (Django's JSON)."""
    if isinstance(value, datetime.datetime):
        return value.replace(microsecond=value.microsecond // 1000 * 1000).isoformat()
    return str(value)


def every_record():
    """Each model's rows, as comparable tuples of their field values."""
    models = [*apps.get_app_config("checklists").get_models(), get_user_model()]
    return {model.__name__: sorted(tuple(shown(v) for v in row) for row in model._base_manager.values_list())
            for model in models}


@pytest.mark.django_db(transaction=True)  # flush and restore as they run: outside a test's transaction
def test_a_backup_restored_into_an_empty_database_has_every_record(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    evidence = services.evidence_attach(owner=world.item_a, upload=SimpleUploadedFile("签到表.pdf", b"%PDF-1.4 x"),
                                        user=world.liaison_a)
    item = services.item_submit(item=world.item_a, user=world.liaison_a)
    services.item_approve(item=item, user=world.office_x, score=Decimal("4.5"))
    f.ProblemFactory(unit=world.unit_c, description="乙县的问题")
    services.record_archive(record=f.ProblemFactory(unit=world.unit_a, description="已归档的问题"), user=world.office_x)
    before = every_record()
    assert "已归档的问题" in str(before["Problem"])
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", out=str(archive), stdout=io.StringIO())

    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(settings.MEDIA_ROOT)
    assert not Unit.objects.exists() and not get_user_model().objects.exists()

    call_command("restore", str(archive), stdout=io.StringIO())
    assert every_record() == before
    restored = Evidence.objects.get(pk=evidence.pk)
    assert restored.file.read() == b"%PDF-1.4 x"
    assert ChecklistItem.objects.get(pk=item.pk).history.count() == item.history.count()
    assert get_user_model().objects.get(username="liaison_a").check_password("pw")


def test_restore_refuses_a_database_that_has_data(world, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", out=str(archive), stdout=io.StringIO())
    with pytest.raises(CommandError, match="already holds data"):
        call_command("restore", str(archive))
