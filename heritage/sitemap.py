"""The archive's records in the sitemap (``cms.sitemaps``): each public record in each language
it is translated into, with its alternates, in files of at most 50,000 addresses."""

from functools import cached_property
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.sitemaps import Sitemap
from django.db import models
from django.http import HttpRequest

from cms.alternates import sitemap_entries
from cms.languages import LANGUAGE_CODES
from cms.sitemaps import MOST_ADDRESSES
from heritage.browse import visible_records
from heritage.display import translated_condition
from heritage.models.pages import HeritageIndexPage

RECORDS_PER_FILE = MOST_ADDRESSES // len(LANGUAGE_CODES)


class RecordSitemap(Sitemap):
    """The published records anyone may see, ``RECORDS_PER_FILE`` to a file, in order of
    their keys so that a record stays in its file."""

    limit = RECORDS_PER_FILE

    def __init__(self, request: HttpRequest) -> None:
        self.request = request

    @cached_property
    def archive(self) -> HeritageIndexPage | None:
        """The archive page the records' addresses are under, if it is published."""
        return HeritageIndexPage.objects.live().public().order_by("path").first()

    def items(self) -> models.QuerySet:
        """``(slug, updated_at, translated into each language…)`` of each record."""
        if self.archive is None:
            return visible_records(AnonymousUser()).none()
        return (
            visible_records(AnonymousUser())
            .annotate(
                **{
                    f"translated_{code}": models.ExpressionWrapper(
                        translated_condition(code), output_field=models.BooleanField()
                    )
                    for code in LANGUAGE_CODES
                }
            )
            .order_by("pk")
            .values_list("slug", "updated_at", *[f"translated_{code}" for code in LANGUAGE_CODES])
        )

    def _urls(self, page: int | str, protocol: str, domain: str) -> list[dict[str, Any]]:
        """The entries of file ``page``: an address per record and language, each listing the
        record's other languages and ``x-default`` (Vietnamese)."""
        if self.archive is None:
            return []
        bases = {code: self.archive.full_url_in(code, self.request) for code in LANGUAGE_CODES}
        entries: list[dict[str, Any]] = []
        for slug, updated_at, *translated in self.paginator.page(page).object_list:
            entries += sitemap_entries(
                (
                    (code, f"{bases[code]}{slug}/")
                    for code, present in zip(LANGUAGE_CODES, translated, strict=True)
                    if present
                ),
                updated_at,
            )
        if entries:
            self.latest_lastmod = max(entry["lastmod"] for entry in entries)
        return entries
