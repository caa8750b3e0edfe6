"""Factories for heritage records, their parts, community groups and the archive page."""

import factory
import wagtail_factories
from django.core.files.base import ContentFile

from heritage.models import (
    CommunityGroup,
    CommunityNarrative,
    HeritageIndexPage,
    HeritageKind,
    HeritageRecord,
    RecordMedia,
)
from heritage.protocols import CulturalProtocol
from media.models import MediaAsset, MediaRendition, ProcessingStatus


class CommunityGroupFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Cộng đồng thôn {n}")

    class Meta:
        model = CommunityGroup


class HeritageRecordFactory(factory.django.DjangoModelFactory):
    title = factory.Sequence(lambda n: f"Lễ hội số {n}")
    slug = factory.Sequence(lambda n: f"le-hoi-{n}")
    kind = HeritageKind.FESTIVAL
    protocol = CulturalProtocol.PUBLIC
    summary = "Lễ hội đầu xuân của bản."

    class Meta:
        model = HeritageRecord


class HeritageIndexPageFactory(wagtail_factories.PageFactory):
    title = "Di sản văn hóa"
    slug = "di-san"
    title_en = "Cultural heritage"
    slug_en = "heritage"
    intro = "Lễ hội, phong tục và nghề truyền thống của đồng bào các dân tộc."
    intro_en = "Festivals, customs and crafts of Vietnam's ethnic groups."

    class Meta:
        model = HeritageIndexPage


class CommunityNarrativeFactory(factory.django.DjangoModelFactory):
    record = factory.SubFactory(HeritageRecordFactory)
    text = "Người già trong bản kể lại rằng lễ hội có từ thời lập bản."
    contributor = "Già làng Lò Văn Pọm"

    class Meta:
        model = CommunityNarrative


class RecordImageFactory(factory.django.DjangoModelFactory):
    record = factory.SubFactory(HeritageRecordFactory)
    image = factory.SubFactory(wagtail_factories.ImageFactory)
    caption = "Múa xòe trước nhà văn hóa"
    credit = "Ảnh: Quàng Thị Hoa"

    class Meta:
        model = RecordMedia


class RecordLabelFactory(factory.django.DjangoModelFactory):
    record = factory.SubFactory(HeritageRecordFactory)
    label = "tk-attribution"

    class Meta:
        model = "heritage.RecordLabel"


class RecordSourceFactory(factory.django.DjangoModelFactory):
    record = factory.SubFactory(HeritageRecordFactory)
    citation = "Đặng Nghiêm Vạn (1998), Tộc người và văn hóa tộc người, NXB KHXH."

    class Meta:
        model = "heritage.RecordSource"


def stored_recording(title: str = "Bài hát", status: str = ProcessingStatus.READY) -> MediaAsset:
    """A recording with its original, a rendition and a poster in the media storage."""
    asset = MediaAsset(title=title, type="audio", status=status)
    asset.file.save("song.m4a", ContentFile(b"original audio"), save=False)
    asset.poster = "posters/aa/poster.webp"
    asset.save()
    MediaRendition.objects.create(
        asset=asset,
        profile="speech-32k",
        file=ContentFile(b"speech rendition", name="renditions/speech.m4a"),
        mime_type="audio/mp4",
        size=16,
    )
    return asset
