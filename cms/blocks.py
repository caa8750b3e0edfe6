"""StreamField blocks for article bodies; each block renders with its own template."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageBlock
from wagtailmedia.blocks import AudioChooserBlock, VideoChooserBlock

PARAGRAPH_FEATURES = ["bold", "italic", "link", "ol", "ul"]


class CaptionedImageBlock(blocks.StructBlock):
    """A photo with alt text, a caption and a credit."""

    image = ImageBlock()
    caption = blocks.CharBlock(required=False, max_length=250, label=_("Caption"))
    credit = blocks.CharBlock(required=False, max_length=120, label=_("Credit"))

    class Meta:
        icon = "image"
        template = "cms/blocks/captioned_image.html"


class FactBoxBlock(blocks.StructBlock):
    """A short box of key facts readers should remember (dates, phone numbers, amounts)."""

    title = blocks.CharBlock(max_length=120, label=_("Title"))
    facts = blocks.ListBlock(blocks.CharBlock(max_length=250), label=_("Facts"))

    class Meta:
        icon = "info-circle"
        template = "cms/blocks/fact_box.html"


class ArticleBodyBlock(blocks.StreamBlock):
    """What an article body may contain: no raw HTML, nothing that needs JavaScript."""

    heading = blocks.CharBlock(
        max_length=120, icon="title", label=_("Heading"), template="cms/blocks/heading.html"
    )
    paragraph = blocks.RichTextBlock(
        features=PARAGRAPH_FEATURES, label=_("Paragraph"), template="cms/blocks/paragraph.html"
    )
    image = CaptionedImageBlock(label=_("Image"))
    quote = blocks.BlockQuoteBlock(label=_("Quote"), template="cms/blocks/quote.html")
    facts = FactBoxBlock(label=_("Key facts"))
    audio = AudioChooserBlock(label=_("Audio"), template="cms/blocks/media_player.html")
    video = VideoChooserBlock(label=_("Video"), template="cms/blocks/media_player.html")
