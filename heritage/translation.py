"""The heritage fields translated with modeltranslation."""

from modeltranslation.decorators import register
from modeltranslation.translator import TranslationOptions

from heritage.models import (
    CommunityNarrative,
    EthnicGroup,
    HeritageIndexPage,
    HeritageRecord,
    RecordLabel,
    RecordMedia,
)


@register(EthnicGroup)
class EthnicGroupTranslation(TranslationOptions):
    """Ethnic group names: Vietnamese, English, and the groups' own languages when known."""

    fields = ("name",)


@register(HeritageRecord)
class HeritageRecordTranslation(TranslationOptions):
    """What readers read about a record, in each language."""

    fields = ("title", "summary", "description", "season", "content_warning_note")


@register(CommunityNarrative)
class CommunityNarrativeTranslation(TranslationOptions):
    """A narrative, told in one language and translated into others."""

    fields = ("title", "text")


@register(RecordMedia)
class RecordMediaTranslation(TranslationOptions):
    """Captions of photos and recordings."""

    fields = ("caption",)


@register(RecordLabel)
class RecordLabelTranslation(TranslationOptions):
    """The community's explanation of a label."""

    fields = ("explanation",)


@register(HeritageIndexPage)
class HeritageIndexPageTranslation(TranslationOptions):
    """The archive page's introduction."""

    fields = ("intro",)
