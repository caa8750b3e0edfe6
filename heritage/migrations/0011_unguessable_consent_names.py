"""Consent documents stored under their uploaded names move to names nobody can guess."""

import secrets
from pathlib import PurePosixPath

from django.core.files.storage import default_storage
from django.db import migrations


def rename_consent_documents(apps, schema_editor):
    records = apps.get_model("heritage", "HeritageRecord")
    for record in records.objects.exclude(consent_document="").only("pk", "consent_document"):
        old = record.consent_document.name
        if not default_storage.exists(old):
            continue
        extension = PurePosixPath(old).suffix.lower()
        with default_storage.open(old, "rb") as document:
            new = default_storage.save(
                f"heritage/consent/{secrets.token_urlsafe(24)}{extension}", document
            )
        records.objects.filter(pk=record.pk).update(consent_document=new)
        default_storage.delete(old)


class Migration(migrations.Migration):
    dependencies = [("heritage", "0010_file_audiences")]

    operations = [migrations.RunPython(rename_consent_documents, migrations.RunPython.noop)]
