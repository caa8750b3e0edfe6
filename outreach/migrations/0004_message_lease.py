import uuid

import django.utils.timezone
from django.db import migrations, models
from django.db.models import F


def due_when_created(apps, schema_editor):
    """A message without a next attempt was due when it was made."""
    Message = apps.get_model("outreach", "Message")
    Message.objects.filter(due_at__isnull=True).update(due_at=F("created_at"))


class Migration(migrations.Migration):
    dependencies = [("outreach", "0003_provider_tokens")]

    operations = [
        migrations.RenameField("message", "next_attempt_at", "due_at"),
        migrations.RunPython(due_when_created, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="message",
            name="due_at",
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="due at"),
        ),
        migrations.AddField(
            model_name="message",
            name="lease_token",
            field=models.UUIDField(blank=True, editable=False, null=True),
        ),
        migrations.RemoveIndex(model_name="message", name="outreach_msg_pending"),
        migrations.AddIndex(
            model_name="message",
            index=models.Index(
                fields=["channel", "state", "urgent", "due_at"], name="outreach_msg_due"
            ),
        ),
        migrations.AddIndex(
            model_name="message",
            index=models.Index(fields=["state", "lease_until"], name="outreach_msg_lease"),
        ),
        migrations.CreateModel(
            name="ChannelWindow",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "channel",
                    models.CharField(
                        choices=[
                            ("email", "E-mail"),
                            ("sms", "SMS"),
                            ("push", "Web push"),
                            ("zalo", "Zalo"),
                        ],
                        max_length=8,
                        unique=True,
                    ),
                ),
                ("second", models.BigIntegerField(default=0)),
                ("taken", models.PositiveIntegerField(default=0)),
            ],
            options={"verbose_name": "channel window"},
        ),
    ]
