from django.db import migrations


def create_defaults(apps, schema_editor):
    from shuangliang.appeals.defaults import ensure_defaults

    ensure_defaults(apps)


class Migration(migrations.Migration):
    dependencies = [("appeals", "0001_initial")]
    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
