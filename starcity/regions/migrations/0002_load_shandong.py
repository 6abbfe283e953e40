"""Load Shandong's province, 16 cities, 136 county-level divisions and their aliases.

Every fresh and every test database gets the regions. The loader is idempotent (matched by code),
so running `manage.py load_regions` later refreshes the same rows from the data file.
"""

from django.db import migrations


def load(apps, schema_editor):
    from starcity.regions.loader import load_divisions

    load_divisions(apps.get_model("regions", "Region"), apps.get_model("regions", "RegionAlias"))


class Migration(migrations.Migration):

    dependencies = [
        ("regions", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
