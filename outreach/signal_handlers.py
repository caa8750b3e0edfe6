"""Outreach's reactions to the rest of the site and to its own files: an article published
makes a bulletin; after each migration the outreach officers' group exists; the demo gets
outreach's offices and its open data; a resident's voice message is converted once stored, and
a photo's or a voice message's files leave storage with their row."""

from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published

from cms.demo.signals import demo_loaded
from cms.groups import apps_migrated, ensure_group
from cms.models import ArticlePage
from outreach.demo import load_outreach_demo
from outreach.feedback_files import delete_stored
from outreach.models import SubmissionFile
from outreach.open_data_tasks import publish_open_data
from outreach.tasks import bulletin_for_article, convert_voice_message


def article_published(sender: type, instance: Any, **kwargs: Any) -> None:
    """Queue the bulletin of an article published under a topic that notifies."""
    page = instance.specific
    if not isinstance(page, ArticlePage):
        return
    if page.topic not in settings.BANLANG_OUTREACH["NOTIFYING_TOPICS"]:
        return
    transaction.on_commit(lambda: bulletin_for_article.enqueue(page.pk))


def file_stored(sender: type, instance: SubmissionFile, created: bool, **kwargs: Any) -> None:
    """Queue the conversion of a voice message just stored, once its submission commits."""
    if created and instance.kind == SubmissionFile.Kind.VOICE:
        transaction.on_commit(lambda: convert_voice_message.enqueue(instance.pk))


def file_deleted(sender: type, instance: SubmissionFile, **kwargs: Any) -> None:
    """Delete a photo's or a voice message's stored files once their row's deletion commits."""
    names = instance.stored_names()
    transaction.on_commit(lambda: delete_stored(names))


OUTREACH_OFFICERS = "Outreach officers"
OFFICER_PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("outreach", "view_bulletin"),
    ("outreach", "add_bulletin"),
    ("outreach", "change_bulletin"),
    ("outreach", "view_message"),
    ("outreach", "add_subscriber"),
    ("outreach", "view_programme"),
    ("outreach", "add_programme"),
    ("outreach", "change_programme"),
    ("outreach", "delete_programme"),
    ("outreach", "view_loudspeakercluster"),
]
"""Officers write, approve and follow bulletins, read the outbox, enter residents' paper
forms and assemble loudspeaker programmes; no one sees subscribers. Clusters and their device
tokens are set up by administrators."""


def ensure_outreach_officers_group(**kwargs: Any) -> None:
    """Create the "Outreach officers" group with its permissions."""
    ensure_group(OUTREACH_OFFICERS, OFFICER_PERMISSIONS)


def add_demo(sender: Any, **kwargs: Any) -> None:
    """Add outreach's offices and a question to the demo site (``demo_loaded``), and publish
    its open data."""
    load_outreach_demo()
    transaction.on_commit(lambda: publish_open_data.enqueue())


def connect() -> None:
    """Listen for articles being published, for migrations (the officers' group), for the
    demo being loaded and for residents' files being stored and deleted."""
    demo_loaded.connect(add_demo, dispatch_uid="outreach.demo")
    page_published.connect(article_published, dispatch_uid="outreach.article_published")
    apps_migrated.connect(ensure_outreach_officers_group, dispatch_uid="outreach.officers_group")
    post_save.connect(file_stored, sender=SubmissionFile, dispatch_uid="outreach.file_stored")
    post_delete.connect(file_deleted, sender=SubmissionFile, dispatch_uid="outreach.file_deleted")
