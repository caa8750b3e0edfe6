from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("outreach", "0004_message_lease")]

    operations = [
        migrations.AddField(
            model_name="consentrecord",
            name="form_reference",
            field=models.CharField(
                blank=True, db_index=True, max_length=64, verbose_name="paper form's reference"
            ),
        ),
        migrations.AddField(
            model_name="consentrecord",
            name="signed_on",
            field=models.DateField(blank=True, null=True, verbose_name="signed on"),
        ),
    ]
