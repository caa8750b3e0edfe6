"""The heritage fields translated with modeltranslation."""

from modeltranslation.decorators import register
from modeltranslation.translator import TranslationOptions

from heritage.models import EthnicGroup


@register(EthnicGroup)
class EthnicGroupTranslation(TranslationOptions):
    """Ethnic group names: Vietnamese, English, and the groups' own languages when known."""

    fields = ("name",)
