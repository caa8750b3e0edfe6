"""The outreach fields translated with modeltranslation."""

from modeltranslation.decorators import register
from modeltranslation.translator import TranslationOptions

from outreach.models import Office


@register(Office)
class OfficeTranslation(TranslationOptions):
    """An office's name, as residents read it on the status of their question."""

    fields = ("name",)
