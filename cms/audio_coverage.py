"""Which published articles have an audio version of their own in each language.

An article read aloud serves those who listen rather than read, and feeds the commune
loudspeakers; a language's audio version is only ever a recording in that language, so a
missing one is missing, whatever the Vietnamese has.
"""

from django.db.models import Count, Q, QuerySet
from modeltranslation.utils import build_localized_fieldname

from cms.languages import CONTENT_LANGUAGES, ContentLanguage
from cms.models import ArticlePage, TopicIndexPage


def published(topic: str = "") -> QuerySet[ArticlePage]:
    """The live articles, of the sections of ``topic`` if given."""
    articles = ArticlePage.objects.live()
    if not topic:
        return articles
    sections = TopicIndexPage.objects.filter(topic=topic).values_list("path", flat=True)
    within = Q(pk__in=[])
    for path in sections:
        within |= Q(path__startswith=path)
    return articles.filter(within)


def _has_audio(code: str) -> Q:
    return Q(**{f"{build_localized_fieldname('audio', code)}__isnull": False})


def counts(topic: str = "") -> list[tuple[ContentLanguage, int, int]]:
    """Per language: articles with an audio version in it, and articles in all (one query)."""
    figures = published(topic).aggregate(
        total=Count("pk"),
        **{entry.code: Count("pk", filter=_has_audio(entry.code)) for entry in CONTENT_LANGUAGES},
    )
    return [(entry, figures[entry.code], figures["total"]) for entry in CONTENT_LANGUAGES]


def without_audio(code: str, topic: str = "") -> QuerySet[ArticlePage]:
    """The live articles with no audio version in language ``code``, newest first."""
    return (
        published(topic)
        .exclude(_has_audio(code))
        .order_by("-first_published_at", "-pk")
        .only("pk", "title_vi", "first_published_at")
    )
