from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("checklists", "0010_reminders_sent"),
    ]

    operations = [
        migrations.RenameField(model_name="job", old_name="exporter", new_name="identifier"),
    ]
