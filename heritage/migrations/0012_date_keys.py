from django.db import migrations, models

from heritage.festival_dates import KEY_FIELDS, rule_key

BATCH = 2000


def fill(apps, schema_editor):
    """Give the records saved before this migration their date keys."""
    HeritageRecord = apps.get_model("heritage", "HeritageRecord")
    last = 0
    while True:
        records = list(
            HeritageRecord.objects.filter(pk__gt=last).order_by("pk").only(*KEY_FIELDS)[:BATCH]
        )
        if not records:
            return
        for record in records:
            record.date_key = rule_key(tuple(getattr(record, name) for name in KEY_FIELDS))
        HeritageRecord.objects.bulk_update(records, ["date_key"])
        last = records[-1].pk


class Migration(migrations.Migration):

    dependencies = [
        ("heritage", "0011_unguessable_consent_names"),
    ]

    operations = [
        migrations.AddField(
            model_name="heritagerecord",
            name="date_key",
            field=models.CharField(blank=True, default="", editable=False, max_length=32),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="heritagerecord",
            index=models.Index(
                fields=["protocol", "live", "kind", "date_key"], name="heritage_record_facets"
            ),
        ),
    ]
