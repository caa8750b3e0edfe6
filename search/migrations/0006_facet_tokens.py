import django.db.models.deletion
from django.db import migrations, models

# Each distinct token once, then each facet row's number for it (and back, when reversed).
FILL_VALUES = [
    "INSERT INTO search_facettoken (token) SELECT DISTINCT token FROM search_searchfacet",
    "UPDATE search_searchfacet SET value_id = (SELECT id FROM search_facettoken"
    " WHERE search_facettoken.token = search_searchfacet.token)",
]
FILL_TOKENS = [
    "UPDATE search_searchfacet SET token = (SELECT token FROM search_facettoken"
    " WHERE search_facettoken.id = search_searchfacet.value_id)",
]


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0005_facet_rows_only"),
    ]

    operations = [
        migrations.CreateModel(
            name="FacetToken",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("token", models.CharField(max_length=200, unique=True)),
            ],
        ),
        migrations.RemoveConstraint(
            model_name="searchfacet",
            name="one_row_per_facet_value",
        ),
        migrations.AddField(
            model_name="searchfacet",
            name="value",
            field=models.ForeignKey(
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="search.facettoken",
            ),
        ),
        # Nullable first, so that going back adds the column empty and fills it.
        migrations.AlterField(
            model_name="searchfacet",
            name="token",
            field=models.CharField(max_length=200, null=True),
        ),
        migrations.RunSQL(FILL_VALUES, reverse_sql=FILL_TOKENS),
        migrations.RemoveField(
            model_name="searchfacet",
            name="token",
        ),
        migrations.AlterField(
            model_name="searchfacet",
            name="value",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="search.facettoken",
            ),
        ),
        migrations.AddConstraint(
            model_name="searchfacet",
            constraint=models.UniqueConstraint(
                fields=("document", "value"), name="one_row_per_facet_value"
            ),
        ),
    ]
