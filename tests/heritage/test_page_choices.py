"""Page forms offer and accept only images and recordings the editor may see: a hidden one is
refused exactly like one that does not exist, in a field and in the body's blocks."""

import pytest
import wagtail_factories
from django.core.exceptions import ValidationError
from wagtail.blocks import StreamValue
from wagtail.models import Collection

from cms.models import ArticlePage
from heritage.models import RecordMedia
from tests.cms.factories import ArticlePageFactory
from tests.heritage.factories import stored_recording

MISSING = 987654


@pytest.fixture
def files(world):
    """An image and a recording only the secret record holds, and a pair the public one holds."""
    _people, records = world
    made = {}
    for name, record in (("kept", records["secret"]), ("shown", records["public"])):
        image = wagtail_factories.ImageFactory(
            title=f"Ảnh {name}", collection=Collection.get_first_root_node()
        )
        recording = stored_recording(f"Ghi âm {name}")
        RecordMedia.objects.create(record=record, image=image)
        RecordMedia.objects.create(record=record, media=recording)
        made[name] = (image, recording)
    return made


def article_form(article, user, **data):
    form_class = ArticlePage.get_edit_handler().get_form_class()
    return form_class(instance=article, for_user=user, parent_page=article.get_parent(), **data)


@pytest.mark.parametrize("field", ["lead_image", "audio_vi"])
def test_a_pages_file_fields_offer_only_what_the_editor_may_see(world, files, health, field):
    people, _records = world
    article = ArticlePageFactory(parent=health)
    kept, shown = files["kept"][field == "audio_vi"], files["shown"][field == "audio_vi"]
    offered = article_form(article, people["officer"]).fields[field].queryset
    assert shown in offered
    assert kept not in offered
    assert kept in article_form(article, people["superuser"]).fields[field].queryset


def body_with(image):
    if image is not None:
        image.contextual_alt_text, image.decorative = "Múa xòe", False
    block = ArticlePage._meta.get_field("body").stream_block
    return StreamValue(block, [("image", {"image": image, "caption": "Ảnh", "credit": ""})])


def test_an_image_block_naming_a_hidden_image_is_refused_like_an_empty_one(world, files, health):
    people, _records = world
    article = ArticlePageFactory(parent=health)
    body = article_form(article, people["officer"]).fields["body_vi"]
    kept, shown = files["kept"][0], files["shown"][0]
    with pytest.raises(ValidationError) as refused:
        body.clean(body_with(kept))
    with pytest.raises(ValidationError) as missing:
        body.clean(body_with(None))
    assert refused.value.messages == missing.value.messages
    assert body.clean(body_with(shown))[0].value["image"] == shown
    superuser_body = article_form(article, people["superuser"]).fields["body_vi"]
    assert superuser_body.clean(body_with(kept))[0].value["image"] == kept
