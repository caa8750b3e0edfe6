"""``{% translate %}`` and ``{% blocktranslate %}`` that say which language they answered in.

A reader of a language whose interface catalogue lacks a string sees the Vietnamese one (or
the English message id), inside a page whose ``<html lang>`` is the reader's language. Loaded
after ``i18n`` (``{% load i18n interface_text %}``), these tags replace Django's under the same
names, so ``makemessages`` still finds every string, and:

- written out, a string from another language's catalogue comes wrapped in
  ``<span lang="vi">…</span>``; one in the reader's language comes as Django writes it;
- stored with ``as``/``asvar``, it is a :class:`~cms.text_language.Message` that knows its
  language, for ``{{ message|lang_attr }}`` on the element around it, and for attribute values
  and ``<title>``, where markup cannot go.
"""

from django import template
from django.template import Variable, VariableDoesNotExist
from django.template.base import Parser, Token
from django.templatetags.i18n import (
    BlockTranslateNode,
    TranslateNode,
    do_block_translate,
    do_translate,
)
from django.utils.safestring import SafeString

from cms.text_language import (
    MESSAGE_ID_LANGUAGE,
    Message,
    message_language,
    reading_code,
    tagged_html,
)

register = template.Library()


class LanguageTaggedTranslateNode(TranslateNode):
    """Django's ``{% translate %}``, telling the language of the catalogue it answered from."""

    def render(self, context: template.Context) -> str:
        output = super().render(context)
        if self.noop:
            lang = MESSAGE_ID_LANGUAGE
        else:
            # A fresh Variable: the node's own one is shared between threads and translates.
            try:
                msgid = str(Variable(self.filter_expression.var.var).resolve(context))
            except VariableDoesNotExist:
                msgid = ""  # Django writes string_if_invalid: text of no catalogue
            message_context = (
                self.message_context.resolve(context) if self.message_context else None
            )
            lang = (
                message_language(msgid.replace("%", "%%"), context=message_context)
                if msgid
                else reading_code()
            )
        if self.asvar:
            context[self.asvar] = Message(context[self.asvar], lang)
            return ""
        return tagged_html(SafeString(output), lang)


class LanguageTaggedBlockTranslateNode(BlockTranslateNode):
    """Django's ``{% blocktranslate %}``, telling the language of the catalogue it answered from."""

    def render(self, context: template.Context, nested: bool = False) -> str:
        output = super().render(context, nested)
        if nested:
            return output
        msgid, _ = self.render_token_list(self.singular)
        message_context = self.message_context.resolve(context) if self.message_context else None
        lang = message_language(msgid, plural=bool(self.plural), context=message_context)
        if self.asvar:
            context[self.asvar] = Message(context[self.asvar], lang)
            return ""
        return tagged_html(SafeString(output), lang)


@register.tag("translate")
def do_language_tagged_translate(parser: Parser, token: Token) -> LanguageTaggedTranslateNode:
    """``{% translate "…" %}``, as Django's, its output tagged with its language."""
    node = do_translate(parser, token)
    return LanguageTaggedTranslateNode(
        node.filter_expression, node.noop, node.asvar, node.message_context
    )


@register.tag("blocktranslate")
def do_language_tagged_block_translate(
    parser: Parser, token: Token
) -> LanguageTaggedBlockTranslateNode:
    """``{% blocktranslate %}…{% endblocktranslate %}``, as Django's, tagged with its language."""
    node = do_block_translate(parser, token)
    return LanguageTaggedBlockTranslateNode(
        node.extra_context,
        node.singular,
        node.plural,
        node.countervar,
        node.counter,
        node.message_context,
        node.trimmed,
        node.asvar,
        node.tag_name,  # type: ignore[attr-defined]  # missing from the stubs
    )
