import django.db.models.deletion
from django.db import migrations, models

from heritage.festival_dates import KEY_FIELDS, rule_key

BATCH = 2000


def fill(apps, schema_editor):
    """Give the documents indexed before this migration their facet rows, a record's months
    of two years replaced by its date rule."""
    SearchDocument = apps.get_model("search", "SearchDocument")
    SearchFacet = apps.get_model("search", "SearchFacet")
    HeritageRecord = apps.get_model("heritage", "HeritageRecord")
    last = 0
    while True:
        documents = list(
            SearchDocument.objects.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", "record_id", "facets")[:BATCH]
        )
        if not documents:
            return
        records = HeritageRecord.objects.in_bulk({record for _, record, _ in documents} - {None})
        rows, changed = [], []
        for pk, record, facets in documents:
            tokens = [token for token in facets.split() if not token.startswith("month=")]
            if record in records:
                key = rule_key(tuple(getattr(records[record], name) for name in KEY_FIELDS))
                tokens += [f"month={key}"] if key else []
            tokens = list(dict.fromkeys(tokens))
            rows += [SearchFacet(document_id=pk, token=token) for token in tokens]
            changed.append(SearchDocument(pk=pk, facets=" " + " ".join(tokens) + " "))
        SearchFacet.objects.bulk_create(rows)
        SearchDocument.objects.bulk_update(changed, ["facets"])
        last = documents[-1][0]


class Migration(migrations.Migration):

    dependencies = [
        ("search", "0003_answered_questions"),
        ("heritage", "0011_unguessable_consent_names"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchFacet",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("token", models.CharField(max_length=200)),
                (
                    "document",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="facet_rows",
                        to="search.searchdocument",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("document", "token"), name="one_row_per_facet_value"
                    )
                ],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
