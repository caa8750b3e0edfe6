"""Heritage records: festivals, customs and crafts, with their narratives, media and labels."""

import datetime
import secrets
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    Orderable,
    PreviewableMixin,
    RevisionMixin,
    WorkflowMixin,
)
from wagtail.search import index
from wagtailmedia.edit_handlers import MediaChooserPanel

from cms.languages import django_languages
from cms.ordering import IN_EDITORS_ORDER
from cms.translation_panel import TranslationStatusPanel
from heritage.festival_dates import KEY_FIELDS, DateRule, occurrences, record_key
from heritage.labels import LABEL_EXPLANATIONS, ContentWarning, LocalContextsLabel, RightsStatement
from heritage.models.fields import ChoiceListField
from heritage.models.reference import CommunityGroup, EthnicGroup, Place
from heritage.protocols import CulturalProtocol, visible_to

MONTH = [MinValueValidator(1), MaxValueValidator(12)]

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


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
        """The records ``user`` may see under their cultural protocols (drafts included)."""
        return self.filter(visible_to(user))

    def published(self) -> "HeritageRecordQuerySet":
        """Records that are live; public surfaces never show drafts."""
        return self.filter(live=True)

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list["HeritageRecord"]:
        """Create records without ``save()``, their date keys set as ``save()`` sets them."""
        records = list(objs)
        for record in records:
            record.date_key = record_key(record)
        return super().bulk_create(records, *args, **kwargs)

    def date_keys(self) -> list[str]:
        """The distinct date keys of these records (read from the index)."""
        keys = self.exclude(date_key="").order_by().values_list("date_key", flat=True)
        return list(keys.distinct())

    def write_date_keys(self) -> int:
        """Set the date key of these records from their date fields, after an ``update()`` that
        changed those; return how many keys changed."""
        changed = []
        for record in self.order_by().only("date_key", *KEY_FIELDS):
            if record.date_key != (key := record_key(record)):
                record.date_key = key
                changed.append(record)
        return self.model._default_manager.bulk_update(changed, ["date_key"], batch_size=500)


def consent_upload_to(instance: "HeritageRecord", filename: str) -> str:
    """Consent documents live apart, under names nobody can guess (the uploaded name may say
    whose consent it is): the media access policy serves them to officers who see the record."""
    extension = PurePosixPath(filename).suffix.lower()
    return f"heritage/consent/{secrets.token_urlsafe(24)}{extension}"


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
    feeds, APIs and media files all filter through ``heritage.protocols.visible_to``. Its
    narratives and media items carry protocols of their own, never wider than the record's.
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
    practitioners = models.TextField(
        _("practitioners"),
        blank=True,
        help_text=_("Artisans, shamans, singers or elders who keep the practice, one per line."),
    )

    date_rule = models.CharField(
        _("date rule"), max_length=12, choices=DateRule.choices, default=DateRule.NONE, blank=True
    )
    date_month = models.PositiveSmallIntegerField(
        _("month"), null=True, blank=True, validators=MONTH
    )
    date_day = models.PositiveSmallIntegerField(
        _("day"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    date_leap_month = models.BooleanField(
        _("in the leap month"),
        default=False,
        help_text=_("Only in years that repeat this lunar month, the festival is in the repeat."),
    )
    duration_days = models.PositiveSmallIntegerField(
        _("days"), default=1, validators=[MinValueValidator(1), MaxValueValidator(90)]
    )
    season = models.CharField(
        _("season"),
        max_length=200,
        blank=True,
        help_text=_('When there is no fixed date, e.g. "after the rice harvest".'),
    )
    season_start_month = models.PositiveSmallIntegerField(
        _("season from month"),
        null=True,
        blank=True,
        validators=MONTH,
    )
    season_end_month = models.PositiveSmallIntegerField(
        _("season to month"),
        null=True,
        blank=True,
        validators=MONTH,
    )
    date_key = models.CharField(max_length=32, blank=True, default="", editable=False)
    """The date fields as one short key (``festival_dates.rule_key``), written on save: browsing
    and search count and filter festivals by month through it, with an index."""

    recorded_by = models.CharField(_("recorded by"), max_length=200, blank=True)
    recorded_on = models.DateField(_("recorded on"), null=True, blank=True)
    recording_place = models.ForeignKey(
        Place,
        verbose_name=_("recorded at"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    consent_obtained = models.BooleanField(_("consent obtained"), default=False)
    consent_given_by = models.CharField(
        _("consent given by"),
        max_length=200,
        blank=True,
        help_text=_("Who gave consent on behalf of the community."),
    )
    consent_document = models.FileField(
        _("consent document"),
        upload_to=consent_upload_to,
        blank=True,
        max_length=255,
        validators=[FileExtensionValidator(["pdf", "jpg", "jpeg", "png"])],
        help_text=_("Seen by cultural officers only."),
    )
    rights_statement = models.CharField(
        _("rights statement"),
        max_length=80,
        choices=RightsStatement.choices,
        default=RightsStatement.COPYRIGHT_NOT_EVALUATED,
    )
    rights_holder = models.CharField(_("rights holder"), max_length=200, blank=True)
    content_warnings = ChoiceListField(
        _("content warnings"), choices=ContentWarning.choices, default=list, blank=True
    )
    content_warning_note = models.CharField(
        _("content warning note"),
        max_length=300,
        blank=True,
        help_text=_("Shown before the record opens, in addition to the warnings chosen above."),
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
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)
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
        TranslationStatusPanel(heading=_("Translations")),
        FieldPanel("slug"),
        FieldPanel("kind"),
        FieldPanel("summary"),
        FieldPanel("description"),
        FieldPanel("ethnic_groups"),
        FieldPanel("places"),
        FieldPanel("practitioners"),
        MultiFieldPanel(
            [
                FieldPanel("date_rule"),
                FieldRowPanel(
                    [FieldPanel("date_month"), FieldPanel("date_day"), FieldPanel("duration_days")]
                ),
                FieldPanel("date_leap_month"),
                FieldPanel("season"),
                FieldRowPanel([FieldPanel("season_start_month"), FieldPanel("season_end_month")]),
            ],
            heading=_("When it takes place"),
        ),
        InlinePanel("narratives", heading=_("Community narratives"), label=_("Narrative")),
        InlinePanel("media_items", heading=_("Media"), label=_("Media item")),
        InlinePanel("labels", heading=_("Local Contexts labels"), label=_("Label")),
        MultiFieldPanel(
            [FieldPanel("content_warnings"), FieldPanel("content_warning_note")],
            heading=_("Content warnings"),
        ),
        InlinePanel("sources", heading=_("Sources"), label=_("Source")),
        MultiFieldPanel(
            [
                FieldPanel("recorded_by"),
                FieldPanel("recorded_on"),
                FieldPanel("recording_place"),
                FieldPanel("consent_obtained"),
                FieldPanel("consent_given_by"),
                FieldPanel("consent_document"),
            ],
            heading=_("Recording and consent"),
        ),
        MultiFieldPanel(
            [FieldPanel("rights_statement"), FieldPanel("rights_holder")], heading=_("Rights")
        ),
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
        # Protocol-aware listings (``heritage.admin_permissions``) filter searches by id.
        index.FilterField("id"),
    ]

    class Meta:
        verbose_name = _("heritage record")
        ordering = ["title"]
        permissions = [("view_restricted_records", _("Can see records restricted to officers"))]
        indexes = [
            # Browsing lists the newest records under one protocol (anonymous readers: public).
            models.Index(fields=["protocol", "updated_at"], name="heritage_record_browse"),
            # Search checks each matched document's record for visibility without its wide row.
            models.Index(fields=["id", "protocol", "live"], name="heritage_record_visibility"),
            # The archive's facets and month filter are counted from this index, not the rows.
            models.Index(
                fields=["protocol", "live", "kind", "date_key"], name="heritage_record_facets"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        """A date rule needs its month and day (or a season); a day must exist in its month."""
        super().clean()
        errors: dict[str, StrOrPromise] = {}
        if self.date_rule in (DateRule.LUNAR, DateRule.GREGORIAN):
            if self.date_month is None:
                errors["date_month"] = _("A dated festival needs a month.")
            if self.date_day is None:
                errors["date_day"] = _("A dated festival needs a day.")
        if self.date_rule == DateRule.LUNAR and self.date_day and self.date_day > 30:
            errors["date_day"] = _("A lunar month has at most 30 days.")
        if self.date_rule == DateRule.GREGORIAN and self.date_month and self.date_day:
            try:
                datetime.date(2024, self.date_month, self.date_day)
            except ValueError:
                errors["date_day"] = _("This month has no such day.")
        if self.date_leap_month and self.date_rule != DateRule.LUNAR:
            errors["date_leap_month"] = _("Only lunar dates fall in a leap month.")
        if self.date_rule == DateRule.SEASON and not self.season:
            errors["season"] = _("Describe the season.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save, with the date key following the date fields."""
        self.date_key = record_key(self)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and not set(update_fields).isdisjoint(KEY_FIELDS):
            kwargs["update_fields"] = {*update_fields, "date_key"}
        super().save(*args, **kwargs)

    def occurrences(self, year: int) -> tuple[tuple[datetime.date, datetime.date], ...]:
        """The first and last days this record's festival takes place in Gregorian ``year``."""
        return occurrences(
            self.date_rule,
            self.date_month,
            self.date_day,
            self.date_leap_month,
            self.duration_days,
            year,
        )

    def practitioner_names(self) -> list[str]:
        """The practitioners, one per line in the field."""
        return [line.strip() for line in self.practitioners.splitlines() if line.strip()]

    def get_preview_template(self, request: Any, mode_name: str) -> str:
        """The public record template, shown to editors before publishing."""
        return "heritage/record_preview.html"


class ProtocolQuerySet(models.QuerySet):
    """Media items a user may see: their own protocol and their record's.

    Under the community protocol, an item is for the communities its record is shared with.
    """

    community: str | None = None

    def visible_to(self, user: Any) -> models.QuerySet:
        """Items visible to ``user`` whose record is visible to them too."""
        own = visible_to(user, record="record__", community=self.community)
        return self.filter(own, visible_to(user, "record__"))


class NarrativeQuerySet(ProtocolQuerySet):
    """A narrative under the community protocol is for the members of its own community."""

    community = "community"


class CommunityNarrative(Orderable):
    """One community's or contributor's account of a record, under its own protocol."""

    record = ParentalKey(HeritageRecord, on_delete=models.CASCADE, related_name="narratives")
    title = models.CharField(_("title"), max_length=200, blank=True)
    text = models.TextField(_("narrative"))
    community = models.ForeignKey(
        CommunityGroup,
        verbose_name=_("community"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="narratives",
        help_text=_("The community telling it; under the community protocol, its members see it."),
    )
    contributor = models.CharField(_("told by"), max_length=200, blank=True)
    language = models.CharField(_("told in"), max_length=8, choices=django_languages(), blank=True)
    protocol = models.CharField(
        _("cultural protocol"),
        max_length=16,
        choices=CulturalProtocol.choices,
        default=CulturalProtocol.PUBLIC,
    )

    objects = NarrativeQuerySet.as_manager()

    panels = [
        FieldPanel("title"),
        FieldPanel("text"),
        FieldRowPanel([FieldPanel("community"), FieldPanel("contributor")]),
        FieldRowPanel([FieldPanel("language"), FieldPanel("protocol")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("community narrative")
        ordering = IN_EDITORS_ORDER

    def __str__(self) -> str:
        return self.title or self.contributor or str(self.community or "")

    def clean(self) -> None:
        """The community protocol needs a community, and every narrative someone to credit."""
        super().clean()
        if self.protocol == CulturalProtocol.COMMUNITY and self.community_id is None:
            raise ValidationError(
                {"community": _("Name the community that may see this narrative.")}
            )
        if self.community_id is None and not self.contributor:
            raise ValidationError(
                {"contributor": _("Credit the community or the person who told it.")}
            )


class RecordMedia(Orderable):
    """A photo, recording or film of a record, with a caption, a credit and its own protocol.

    Under the community protocol its viewers are the record's communities. Its files (original
    and renditions) are served only to who may see it, see ``heritage.media_access``.
    """

    record = ParentalKey(HeritageRecord, on_delete=models.CASCADE, related_name="media_items")
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    media = models.ForeignKey(
        "media.MediaAsset",
        verbose_name=_("audio or video"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    credit = models.CharField(_("credit"), max_length=200, blank=True)
    protocol = models.CharField(
        _("cultural protocol"),
        max_length=16,
        choices=CulturalProtocol.choices,
        default=CulturalProtocol.PUBLIC,
    )

    objects = ProtocolQuerySet.as_manager()

    panels = [
        FieldRowPanel([FieldPanel("image"), MediaChooserPanel("media")]),
        FieldPanel("caption"),
        FieldRowPanel([FieldPanel("credit"), FieldPanel("protocol")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("media item")
        ordering = IN_EDITORS_ORDER
        constraints = [
            models.CheckConstraint(
                condition=models.Q(image__isnull=True, media__isnull=False)
                | models.Q(image__isnull=False, media__isnull=True),
                name="record_media_image_xor_media",
            )
        ]

    def __str__(self) -> str:
        return self.caption or str(self.image or self.media or "")

    def clean(self) -> None:
        """Exactly one of an image or an audio/video asset."""
        super().clean()
        if (self.image_id is None) == (self.media_id is None):
            raise ValidationError(_("Choose either an image or an audio or video file."))


class RecordLabel(Orderable):
    """A Local Contexts TK or BC label on a record, with the community's explanation."""

    record = ParentalKey(HeritageRecord, on_delete=models.CASCADE, related_name="labels")
    label = models.CharField(_("label"), max_length=40, choices=LocalContextsLabel.choices)
    explanation = models.TextField(
        _("explanation"),
        blank=True,
        help_text=_("The community's own words; empty shows the label's standard explanation."),
    )

    panels = [FieldPanel("label"), FieldPanel("explanation")]

    class Meta(Orderable.Meta):
        verbose_name = _("label")
        ordering = IN_EDITORS_ORDER

    def __str__(self) -> str:
        return self.get_label_display()

    @property
    def text(self) -> str:
        """What readers see under the label."""
        return self.explanation or str(LABEL_EXPLANATIONS[LocalContextsLabel(self.label)])

    @property
    def is_biocultural(self) -> bool:
        """Whether this is a BC label rather than a TK label."""
        return self.label.startswith("bc-")


class RecordSource(Orderable):
    """A publication, archive item or interview the record draws on."""

    record = ParentalKey(HeritageRecord, on_delete=models.CASCADE, related_name="sources")
    citation = models.TextField(_("reference"))
    url = models.URLField(_("link"), blank=True, max_length=500)

    panels = [FieldPanel("citation"), FieldPanel("url")]

    class Meta(Orderable.Meta):
        verbose_name = _("source")
        ordering = IN_EDITORS_ORDER

    def __str__(self) -> str:
        return self.citation
