from django.db import migrations


def forget_standings(apps, schema_editor):
    """Standings are a cache; those counted before items were read as of their day are counted again."""
    apps.get_model("checklists", "UnitStanding").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("checklists", "0017_task_section_note_unit_alias")]

    operations = [migrations.RunPython(forget_standings, migrations.RunPython.noop)]
