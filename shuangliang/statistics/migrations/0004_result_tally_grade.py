from django.db import migrations, models


def fill_tallies(apps, schema_editor):
    """Count what is already there (statistics.tallies: each spec's grouped aggregate, over
    this migration's historical models). The result tally's rows are now per grade, so they
    are all rewritten; so are the others, which 0003 no longer fills."""
    from shuangliang.statistics import tallies

    tallies.rebuild_all(apps=apps)


class Migration(migrations.Migration):

    dependencies = [
        ('statistics', '0003_tallies'),
    ]

    operations = [
        migrations.AddField(
            model_name='resulttally',
            name='grade',
            field=models.CharField(default='', max_length=16),
            preserve_default=False,
        ),
        migrations.RunPython(fill_tallies, migrations.RunPython.noop),
    ]
