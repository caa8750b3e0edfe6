"""Reference data of the heritage archive: ethnic groups, places past and present, communities."""

import datetime
from collections import defaultdict
from collections.abc import Collection, Iterable
from typing import NamedTuple

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

TWO_TIER_REFORM = datetime.date(2025, 7, 1)
"""Districts were abolished and provinces merged on this day (Resolution 202/2025/QH15)."""
LAST_DAY_BEFORE_REFORM = TWO_TIER_REFORM - datetime.timedelta(days=1)


class LanguageGroup(models.TextChoices):
    """The language families the General Statistics Office groups ethnic groups by."""

    VIET_MUONG = "Việt - Mường", _("Viet–Muong")
    TAY_THAI = "Tày - Thái", _("Tai–Kadai: Tay–Thai")
    KRA_DAI = "Kra - Dai", _("Tai–Kadai: Kra")
    MON_KHMER = "Môn - Khmer", _("Austroasiatic: Mon–Khmer")
    HMONG_MIEN = "Mông - Dao", _("Hmong–Mien")
    AUSTRONESIAN = "Nam Đảo", _("Austronesian")
    SINITIC = "Hán", _("Sinitic")
    TIBETO_BURMAN = "Tạng - Miến", _("Tibeto-Burman")


class EthnicGroup(models.Model):
    """One of the 54 ethnic groups of Vietnam, coded as by the General Statistics Office."""

    code = models.CharField(_("GSO code"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=80)
    other_names = models.JSONField(_("other names"), default=list, blank=True)
    autonym = models.CharField(_("own name"), max_length=80, blank=True)
    language_group = models.CharField(
        _("language group"), max_length=20, choices=LanguageGroup.choices
    )
    languages = models.JSONField(
        _("languages (ISO 639-3)"), default=list, blank=True, help_text=_("e.g. jra, rad")
    )

    class Meta:
        verbose_name = _("ethnic group")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class PlaceLevel(models.TextChoices):
    """Levels of Vietnam's administrative units."""

    PROVINCE = "province", _("Province")
    CITY = "city", _("Centrally-run city")
    DISTRICT = "district", _("District")
    COMMUNE = "commune", _("Commune")
    WARD = "ward", _("Ward")
    SPECIAL_ZONE = "special-zone", _("Special zone")


PROVINCE_LEVELS = (PlaceLevel.PROVINCE, PlaceLevel.CITY)
COMMUNE_LEVELS = (PlaceLevel.COMMUNE, PlaceLevel.WARD, PlaceLevel.SPECIAL_ZONE)


class PlaceQuerySet(models.QuerySet["Place"]):
    """Queries over places."""

    def current(self) -> "PlaceQuerySet":
        """Units in force today."""
        return self.filter(valid_until__isnull=True)

    def provinces(self) -> "PlaceQuerySet":
        """Provinces and centrally-run cities."""
        return self.filter(level__in=PROVINCE_LEVELS)


class Place(models.Model):
    """An administrative unit, in force or former.

    A former unit keeps its name and points at the units that took it over, so a record made in
    2019 in "Hà Giang" is found under today's Tuyên Quang.
    """

    name = models.CharField(_("name"), max_length=120)
    level = models.CharField(_("level"), max_length=16, choices=PlaceLevel.choices)
    gso_code = models.CharField(_("GSO code"), max_length=8, blank=True, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    valid_until = models.DateField(
        _("in force until"), null=True, blank=True, help_text=_("Empty for units in force today.")
    )
    successors = models.ManyToManyField(
        "self",
        verbose_name=_("taken over by"),
        symmetrical=False,
        blank=True,
        related_name="predecessors",
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )

    objects = PlaceQuerySet.as_manager()

    class Meta:
        verbose_name = _("place")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "level"],
                condition=models.Q(parent__isnull=True, valid_until__isnull=True),
                name="unique_current_top_level_place",
            ),
            models.UniqueConstraint(
                fields=["name", "level", "parent"],
                condition=models.Q(valid_until__isnull=True),
                name="unique_current_place_in_parent",
            ),
        ]

    def __str__(self) -> str:
        if self.valid_until:
            return str(
                _("%(name)s (until %(year)s)") % {"name": self.name, "year": self.valid_until.year}
            )
        return self.name

    @property
    def is_current(self) -> bool:
        """Whether the unit is in force today."""
        return self.valid_until is None

    def current_units(self) -> list["Place"]:
        """The units in force today that cover this one (itself, if it is in force)."""
        found: dict[int, Place] = {}
        pending = [self]
        seen: set[int] = set()
        while pending:
            place = pending.pop()
            if place.pk in seen:
                continue
            seen.add(place.pk)
            if place.is_current:
                found[place.pk] = place
            else:
                pending.extend(place.successors.all())
        return sorted(found.values(), key=lambda place: place.name)

    def current_province(self) -> "Place | None":
        """Today's province or city this unit lies in, following successors and parents."""
        province = provinces_of([self.pk]).get(self.pk)
        return None if province is None else Place.objects.get(pk=province)


class _PlaceRow(NamedTuple):
    name: str
    level: str
    parent_id: int | None
    current: bool


def provinces_of(place_ids: Collection[int]) -> dict[int, int]:
    """Today's province or city (its id) of each place that has one.

    A former unit is followed through its successors to the units in force (taken by name), and
    each of those through its parents up to a province. The walk is done for all the places
    together: one query per step, however many places.
    """
    rows: dict[int, _PlaceRow] = {}
    successors: dict[int, list[int]] = defaultdict(list)

    def load(ids: Iterable[int]) -> set[int]:
        missing = set(ids) - rows.keys()
        if missing:
            found = Place.objects.filter(pk__in=missing).values_list(
                "pk", "name", "level", "parent_id", "valid_until"
            )
            for pk, name, level, parent_id, valid_until in found:
                rows[pk] = _PlaceRow(name, level, parent_id, valid_until is None)
        return missing

    load(place_ids)
    expanded: set[int] = set()
    former = {pk for pk, row in rows.items() if not row.current}
    while former:
        expanded |= former
        edges = Place.successors.through.objects.filter(from_place_id__in=former).values_list(
            "from_place_id", "to_place_id"
        )
        targets = set()
        for source, target in edges:
            successors[source].append(target)
            targets.add(target)
        load(targets)
        former = {pk for pk in targets if not rows[pk].current} - expanded
    parents = {row.parent_id for row in rows.values() if row.current and row.parent_id}
    while parents := load(parents):
        found = (rows[pk] for pk in parents if pk in rows)
        parents = {row.parent_id for row in found if row.parent_id}

    def current_units(pk: int) -> list[int]:
        found, pending, seen = set(), [pk], set()
        while pending:
            unit = pending.pop()
            if unit in seen or unit not in rows:
                continue
            seen.add(unit)
            if rows[unit].current:
                found.add(unit)
            else:
                pending.extend(successors[unit])
        return sorted(found, key=lambda unit: rows[unit].name)

    def province(pk: int) -> int | None:
        for unit in current_units(pk):
            while (
                rows[unit].level not in PROVINCE_LEVELS and (parent := rows[unit].parent_id) in rows
            ):
                unit = parent
            if rows[unit].level in PROVINCE_LEVELS:
                return unit
        return None

    resolved = {pk: province(pk) for pk in place_ids if pk in rows}
    return {pk: province_id for pk, province_id in resolved.items() if province_id is not None}


class CommunityGroup(models.Model):  # type: ignore[django-manager-missing]  # narratives: its model has untyped wagtail bases
    """A named community whose members may see the records shared with it."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    ethnic_group = models.ForeignKey(
        EthnicGroup,
        verbose_name=_("ethnic group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    place = models.ForeignKey(
        Place, verbose_name=_("place"), null=True, blank=True, on_delete=models.SET_NULL
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("members"),
        blank=True,
        related_name="heritage_communities",
    )

    class Meta:
        verbose_name = _("community group")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
