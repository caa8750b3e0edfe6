"""Outreach's reactions to the rest of the site: an article published makes a bulletin."""

from typing import Any

from django.conf import settings
from django.db import transaction
from wagtail.signals import page_published

from cms.models import ArticlePage
from outreach.tasks import bulletin_for_article


def article_published(sender: type, instance: Any, **kwargs: Any) -> None:
    """Queue the bulletin of an article published under a topic that notifies."""
    page = instance.specific
    if not isinstance(page, ArticlePage):
        return
    if page.topic not in settings.BANLANG_OUTREACH["NOTIFYING_TOPICS"]:
        return
    transaction.on_commit(lambda: bulletin_for_article.enqueue(page.pk))


def connect() -> None:
    """Listen for articles being published."""
    page_published.connect(article_published, dispatch_uid="outreach.article_published")
