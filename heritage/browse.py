"""Browsing the archive: filters, facet counts, festival months and today's province of places.

Every function here takes a queryset already filtered by protocol (``visible_to``) and does its
counting in the database, so a count never includes a record its reader may not see.
"""

import datetime
import hashlib
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields, replace
from functools import cached_property
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.core.cache import cache
from django.db import models
from django.http import QueryDict
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cms.text import truncate_graphemes
from cms.text_language import Text, localized_text
from heritage import protocols
from heritage.festival_dates import (
    DateRule,
    Occurrence,
    Rule,
    key_months,
    key_rule,
    keys_by_month,
    keys_in_months,
    matching_rules,
    occurrences_between,
    spans_between,
)
from heritage.models.records import HeritageKind, HeritageRecord
from heritage.models.reference import EthnicGroup, Place, provinces_of


def visible_records(user: User | AnonymousUser) -> models.QuerySet[HeritageRecord]:
    """The published records ``user`` may see, the rule as one expression (a listing walks one
    index)."""
    return HeritageRecord.objects.published().filter(protocols.visible_in_one_expression(user))


def place_provinces(records: models.QuerySet[HeritageRecord]) -> dict[int, int]:
    """Today's province of every place the given records are linked to."""
    linked = records.order_by().values_list("places", flat=True).distinct()
    return provinces_of({pk for pk in linked if pk is not None})


def key_counts(records: models.QuerySet[HeritageRecord]) -> dict[str, int]:
    """How many records have each date key (``festival_dates.rule_key``), among those with one."""
    keyed = records.exclude(date_key="").order_by().values_list("date_key")
    return dict(keyed.annotate(count=models.Count("pk")))


def rule_counts(keys: dict[str, int]) -> dict[Rule, int]:
    """How many records have each festival date rule, from how many have each date key
    (``key_counts``): a rule and its key name each other (``festival_dates.key_rule``)."""
    return {rule: count for key, count in keys.items() if (rule := key_rule(key)) is not None}


def upcoming(
    records: models.QuerySet[HeritageRecord],
    first: datetime.date,
    last: datetime.date,
    limit: int,
    counts: dict[Rule, int] | None = None,
) -> list[Occurrence]:
    """The first ``limit`` festivals from ``first`` to ``last``, sorted as ``occurrences_between``.

    Only the records of the earliest rules are fetched: with thousands of festivals in the span,
    a home page needing five does not load them all. ``counts`` reuses
    ``rule_counts(key_counts(records))``.
    """
    counts = rule_counts(key_counts(records)) if counts is None else counts
    starts = sorted(
        (start, rule) for rule in counts for start, _end in spans_between(rule, first, last)
    )
    chosen: set[Rule] = set()
    found = 0
    for index, (start, rule) in enumerate(starts):
        chosen.add(rule)
        found += counts[rule]
        if found >= limit and (index + 1 == len(starts) or starts[index + 1][0] > start):
            break
    if not chosen:
        return []
    return occurrences_between(records.filter(matching_rules(chosen)), first, last)[:limit]


def in_season(keys: Iterable[str], month: int, year: int) -> models.Q:
    """Records whose season, not a dated festival, holds ``month``: those of ``keys`` (date keys,
    as ``key_counts`` gives them) whose months hold it."""
    season = f"{DateRule.SEASON}-"
    held = [key for key in keys_in_months(keys, [month], year) if key.startswith(season)]
    return models.Q(date_key__in=held)


Store = Callable[[str, Callable[[], Any]], Any]
SHARED_SECONDS = 300


def uncached(key: str, compute: Callable[[], Any]) -> Any:
    """A store that remembers nothing: for readers who see more than the public."""
    return compute()


def shared_store(scope: str = "public") -> Store:
    """A store in the shared cache for what every reader of ``scope`` sees alike.

    Its keys carry the number of records and their latest change, so saving, publishing,
    unpublishing or deleting a record starts afresh; anything else expires within minutes.
    """
    records = HeritageRecord.objects.order_by()
    # Two queries: SQLite answers MAX from the index, but not when COUNT shares its scan.
    latest = records.aggregate(changed=models.Max("updated_at"))["changed"]
    version = f"{records.count()}:{latest.timestamp() if latest else 0}"

    def store(key: str, compute: Callable[[], Any]) -> Any:
        return cache.get_or_set(f"heritage:{scope}:{version}:{key}", compute, SHARED_SECONDS)

    return store


def reader_store(user: User) -> Store:
    """A store for one signed-in reader, keyed also by everything that decides what they see.

    Their officer role, superuser flag, communities and custodianships are part of the key, so
    granting or withdrawing any of them starts afresh: a count never outlives the right to it.
    """
    communities = sorted(user.heritage_communities.values_list("pk", flat=True))
    kept = sorted(user.custodian_of_records.values_list("pk", flat=True))  # type: ignore[attr-defined]  # wagtail-based model: no reverse accessor
    rights = (user.pk, user.is_superuser, protocols.is_officer(user), communities, kept)
    return shared_store(hashlib.sha256(repr(rights).encode()).hexdigest()[:24])


@dataclass(frozen=True)
class Filters:
    """What a reader narrowed the archive down to; ``None`` means any."""

    kind: str | None = None
    ethnic_group: str | None = None
    province: int | None = None
    month: int | None = None

    def without(self, name: str) -> "Filters":
        """The same filters, less one."""
        return replace(self, **{name: None})

    @property
    def active(self) -> bool:
        """Whether any filter is set."""
        return self != Filters()

    @property
    def key(self) -> str:
        """The filters as a cache key."""
        return f"{self.kind}|{self.ethnic_group}|{self.province}|{self.month}"

    def query(self) -> QueryDict:
        """The filters that are set, as query parameters: what the page's links carry on."""
        query = QueryDict(mutable=True)
        for field in fields(self):
            if (value := getattr(self, field.name)) is not None:
                query[field.name] = str(value)
        return query


FILTER_NAMES = frozenset(field.name for field in fields(Filters))
"""The query parameters that filter the archive."""


@dataclass
class Choices:
    """The values a filter may take, with their names in the active language.

    Ethnic groups by GSO code and today's provinces by id, each in alphabetical order.
    """

    ethnic_groups: dict[str, Text]
    provinces: dict[int, str]

    @classmethod
    def load(cls, store: Store = uncached) -> "Choices":
        """The 54 ethnic groups and the provinces in force (two small queries, or none)."""

        def read() -> Choices:
            groups = [
                (group.code, localized_text(group, "name")) for group in EthnicGroup.objects.all()
            ]
            provinces = Place.objects.current().provinces().values_list("pk", "name")
            return cls(
                dict(sorted(groups, key=lambda group: group[1].text)),
                dict(sorted(provinces, key=lambda province: province[1])),
            )

        return store(f"choices:{get_language()}", read)


def _whole_number(value: str) -> int | None:
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else None


SHOWN_LENGTH = 40
"""A value quoted back in a message is cut to this many characters."""
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
"""Control characters: a message quotes them as U+FFFD, never as they came (NUL included)."""


def shown(value: str) -> str:
    """A value as a message quotes it: control characters replaced, cut short."""
    return truncate_graphemes(CONTROL.sub("\ufffd", value[: SHOWN_LENGTH * 4]), SHOWN_LENGTH)


def parse_filters(params: QueryDict, choices: Choices) -> tuple[Filters, list[str]]:
    """The filters in a query string, and a message for each value that is not valid.

    An invalid value is left out, so the reader still gets a page.
    """
    values: dict[str, Any] = {}
    errors: list[str] = []
    kind = params.get("kind", "")
    if kind in HeritageKind.values:
        values["kind"] = kind
    elif kind:
        errors.append(_("There is no kind of heritage “%(value)s”.") % {"value": shown(kind)})
    group = params.get("ethnic_group", "")
    if group in choices.ethnic_groups:
        values["ethnic_group"] = group
    elif group:
        message = _("There is no ethnic group with the code “%(value)s”.")
        errors.append(message % {"value": shown(group)})
    province = params.get("province", "")
    if _whole_number(province) in choices.provinces:
        values["province"] = int(province)
    elif province:
        errors.append(
            _("There is no province in force with the number “%(value)s”.")
            % {"value": shown(province)}
        )
    month = params.get("month", "")
    if _whole_number(month) in range(1, 13):
        values["month"] = int(month)
    elif month:
        errors.append(_("“%(value)s” is not a month: choose 1 to 12.") % {"value": shown(month)})
    return Filters(**values), errors


@dataclass
class Browser:
    """The records a reader may see, narrowed by their filters, with facet counts.

    ``records`` is the protocol-filtered queryset. The province of each linked place and the
    date rules are looked up once and shared by the filters and every facet; ``store`` may keep
    any of these results for the next reader who sees the same records.
    """

    records: models.QuerySet[HeritageRecord]
    filters: Filters
    year: int
    store: Store = uncached

    @cached_property
    def place_provinces(self) -> dict[int, int]:
        """Today's province of each place linked to a visible record."""
        return self.store("places", lambda: place_provinces(self.records))

    @cached_property
    def rules(self) -> dict[Rule, int]:
        """How many visible records have each festival date rule."""
        return rule_counts(self.keys)

    @cached_property
    def keys(self) -> dict[str, int]:
        """How many visible records have each date key."""
        return self.store("keys", lambda: key_counts(self.records))

    @cached_property
    def keys_by_month(self) -> dict[int, list[str]]:
        """The visible records' date keys whose festival or season falls in each month."""
        return self.store(f"keys-by-month:{self.year}", lambda: keys_by_month(self.keys, self.year))

    def places_in(self, province: int) -> list[int]:
        """The linked places, current or former, that lie in today's ``province``."""
        return [pk for pk, found in self.place_provinces.items() if found == province]

    def apply(self, filters: Filters) -> models.QuerySet[HeritageRecord]:
        """The records matching ``filters``."""
        records = self.records
        if filters.kind:
            records = records.filter(kind=filters.kind)
        if filters.ethnic_group:
            records = records.filter(
                pk__in=HeritageRecord.ethnic_groups.through.objects.filter(
                    ethnicgroup__code=filters.ethnic_group
                ).values("heritagerecord_id")
            )
        if filters.province:
            records = records.filter(
                pk__in=HeritageRecord.places.through.objects.filter(
                    place_id__in=self.places_in(filters.province)
                ).values("heritagerecord_id")
            )
        if filters.month:
            records = records.filter(date_key__in=self.keys_by_month.get(filters.month, []))
        return records

    def results(self) -> models.QuerySet[HeritageRecord]:
        """The records matching the reader's filters."""
        return self.apply(self.filters)

    def page_ids(self, number: int, size: int) -> list[int]:
        """The ids of the records on page ``number`` of the results, latest changed first."""
        start = (number - 1) * size

        def read() -> list[int]:
            ordered = self.results().order_by("-updated_at", "-pk").values_list("pk", flat=True)
            return list(ordered[start : start + size])

        return self.store(f"page:{self.year}:{self.filters.key}:{size}:{number}", read)

    def count(self) -> int:
        """How many records match the reader's filters: each record has one kind, so the
        counts per kind under the other filters hold it, without a query of its own."""
        counts = self.kind_counts()
        return counts.get(self.filters.kind, 0) if self.filters.kind else sum(counts.values())

    def _counts(self, name: str, compute: Callable[[models.QuerySet], dict]) -> dict:
        others = self.filters.without(name)
        key = f"{name}:{self.year}:{others.key}"
        return self.store(key, lambda: compute(self.apply(others).order_by()))

    def kind_counts(self) -> dict[str, int]:
        """Records per kind, under the other filters."""
        return self._counts(
            "kind",
            lambda records: dict(records.values_list("kind").annotate(count=models.Count("pk"))),
        )

    def ethnic_group_counts(self) -> dict[str, int]:
        """Records per ethnic group (by GSO code), under the other filters."""

        def compute(records: models.QuerySet) -> dict[str, int]:
            links = HeritageRecord.ethnic_groups.through.objects.filter(
                heritagerecord_id__in=records.values("pk")
            )
            counted = links.values_list("ethnicgroup__code").order_by()
            return dict(counted.annotate(count=models.Count("heritagerecord_id")))

        return self._counts("ethnic_group", compute)

    def province_counts(self) -> dict[int, int]:
        """Records per province in force, under the other filters; each record counts once."""
        by_province: dict[int, list[int]] = defaultdict(list)
        for place, province in self.place_provinces.items():
            by_province[province].append(place)

        def compute(records: models.QuerySet) -> dict[int, int]:
            if not by_province:
                return {}
            province = models.Case(
                *[
                    models.When(place_id__in=places, then=models.Value(pk))
                    for pk, places in by_province.items()
                ],
                output_field=models.BigIntegerField(),
            )
            links = HeritageRecord.places.through.objects.filter(
                heritagerecord_id__in=records.values("pk")
            )
            counted = links.annotate(province=province).filter(province__isnull=False)
            return dict(
                counted.values_list("province")
                .order_by()
                .annotate(count=models.Count("heritagerecord_id", distinct=True))
            )

        return self._counts("province", compute)

    def month_counts(self) -> dict[int, int]:
        """Records per month of the year, under the other filters.

        Each record has one date key, a date rule or a season, so per-key counts from the
        database add up to per-month counts without counting a record twice in a month.
        """

        def compute(records: models.QuerySet) -> dict[int, int]:
            keys = key_counts(records) if self.filters.without("month").active else self.keys
            months: dict[int, int] = defaultdict(int)
            for key, count in keys.items():
                for month in key_months(key, self.year):
                    months[month] += count
            return dict(months)

        return self._counts("month", compute)
