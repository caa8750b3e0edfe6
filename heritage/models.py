"""Reference data of the heritage archive: ethnic groups and places, past and present."""

import datetime
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    PreviewableMixin,
    RevisionMixin,
    WorkflowMixin,
)
from wagtail.search import index

from heritage.protocols import CulturalProtocol, visible_to

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


class PlaceQuerySet(models.QuerySet["Place"]):
    """Queries over places."""

    def current(self) -> "PlaceQuerySet":
        """Units in force today."""
        return self.filter(valid_until__isnull=True)

    def provinces(self) -> "PlaceQuerySet":
        """Provinces and centrally-run cities."""
        return self.filter(level__in=[PlaceLevel.PROVINCE, PlaceLevel.CITY])


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
        for unit in self.current_units():
            province = unit
            while province.level not in (PlaceLevel.PROVINCE, PlaceLevel.CITY):
                if province.parent is None:
                    break
                province = province.parent
            if province.level in (PlaceLevel.PROVINCE, PlaceLevel.CITY):
                return province
        return None


class CommunityGroup(models.Model):
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


class HeritageKind(models.TextChoices):
    """What a heritage record describes."""

    FESTIVAL = "festival", _("Festival")
    RITUAL = "ritual", _("Ritual or custom")
    CRAFT = "craft", _("Craft")
    PERFORMING_ART = "performing-art", _("Performing art")
    ORAL_TRADITION = "oral-tradition", _("Oral tradition")
    BELIEF = "belief", _("Belief")
    OTHER = "other", _("Other")


class HeritageRecordQuerySet(models.QuerySet["HeritageRecord"]):
    """Queries over heritage records; every public surface starts from ``visible_to``."""

    def visible_to(self, user: Any) -> "HeritageRecordQuerySet":
        """The records ``user`` may see under their cultural protocols."""
        return self.filter(visible_to(user)).distinct()


class HeritageRecord(
    WorkflowMixin,
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    PreviewableMixin,
    index.Indexed,
    ClusterableModel,
):
    """A festival, custom, craft or tradition, catalogued by cultural officers.

    Its cultural protocol decides who may see it anywhere: pages, listings, counts, search,
    feeds, APIs and media files all filter through ``heritage.protocols.visible_to``.
    """

    external_id = models.CharField(
        _("external id"),
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Identifier in the source catalogue; imports update the record that has it."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=HeritageKind.choices)
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=120, unique=True, allow_unicode=True)
    summary = models.TextField(_("summary"), max_length=600, blank=True)
    description = models.TextField(_("description"), blank=True)
    ethnic_groups = models.ManyToManyField(
        EthnicGroup, verbose_name=_("ethnic groups"), blank=True, related_name="records"
    )
    places = models.ManyToManyField(
        Place, verbose_name=_("places"), blank=True, related_name="records"
    )
    protocol = models.CharField(
        _("cultural protocol"),
        max_length=16,
        choices=CulturalProtocol.choices,
        default=CulturalProtocol.PUBLIC,
        db_index=True,
    )
    communities = models.ManyToManyField(
        CommunityGroup,
        verbose_name=_("shared with communities"),
        blank=True,
        related_name="records",
        help_text=_("Who may see a record under the community protocol."),
    )
    custodians = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("custodians"),
        blank=True,
        related_name="custodian_of_records",
        help_text=_("Who may see a record under the secret/sacred protocol."),
    )
    revisions = GenericRelation("wagtailcore.Revision", related_query_name="heritage_record")
    workflow_states = GenericRelation(
        "wagtailcore.WorkflowState",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="heritage_record",
        for_concrete_model=False,
    )

    objects = HeritageRecordQuerySet.as_manager()

    panels = [
        FieldPanel("title"),
        FieldPanel("slug"),
        FieldPanel("kind"),
        FieldPanel("summary"),
        FieldPanel("description"),
        FieldPanel("ethnic_groups"),
        FieldPanel("places"),
        MultiFieldPanel(
            [FieldPanel("protocol"), FieldPanel("communities"), FieldPanel("custodians")],
            heading=_("Cultural protocol"),
        ),
        FieldPanel("external_id"),
    ]
    search_fields = [
        index.SearchField("title"),
        index.SearchField("summary"),
        index.FilterField("protocol"),
        index.FilterField("kind"),
    ]

    class Meta:
        verbose_name = _("heritage record")
        ordering = ["title"]
        permissions = [("view_restricted_records", _("Can see records restricted to officers"))]

    def __str__(self) -> str:
        return self.title

    def get_preview_template(self, request: Any, mode_name: str) -> str:
        """The public record template, shown to editors before publishing."""
        return "heritage/record_preview.html"
