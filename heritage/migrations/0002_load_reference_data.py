"""Load the 54 ethnic groups and the provinces before and after 1 July 2025."""

import datetime
import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"
LAST_DAY_BEFORE_REFORM = datetime.date(2025, 6, 30)


def load(apps, schema_editor):
    EthnicGroup = apps.get_model("heritage", "EthnicGroup")
    Place = apps.get_model("heritage", "Place")
    groups = json.loads((DATA / "ethnic_groups.json").read_text(encoding="utf-8"))["groups"]
    for group in groups:
        EthnicGroup.objects.update_or_create(
            code=group["code"],
            defaults={
                "name": group["name_vi"],
                "name_vi": group["name_vi"],
                "name_en": group["name_en"],
                "other_names": group["other_names"],
                "language_group": group["language_group"],
                "languages": group["languages"],
            },
        )
    provinces = json.loads((DATA / "provinces.json").read_text(encoding="utf-8"))["provinces"]
    for province in provinces:
        current, _ = Place.objects.get_or_create(
            name=province["name"], level=province["kind"], parent=None, valid_until=None
        )
        for name in [province["name"], *province["merged_from"]]:
            former, _ = Place.objects.get_or_create(
                name=name, level="province", parent=None, valid_until=LAST_DAY_BEFORE_REFORM
            )
            former.successors.add(current)


def unload(apps, schema_editor):
    apps.get_model("heritage", "Place").objects.filter(parent=None).delete()
    apps.get_model("heritage", "EthnicGroup").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("heritage", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
