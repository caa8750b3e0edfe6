"""The heritage fields translated with modeltranslation."""

from modeltranslation.decorators import register
from modeltranslation.translator import TranslationOptions

from heritage.models import EthnicGroup, HeritageRecord


@register(EthnicGroup)
class EthnicGroupTranslation(TranslationOptions):
    """Ethnic group names: Vietnamese, English, and the groups' own languages when known."""

    fields = ("name",)


@register(HeritageRecord)
class HeritageRecordTranslation(TranslationOptions):
    """What readers read about a record, in each language."""

    fields = ("title", "summary", "description")
