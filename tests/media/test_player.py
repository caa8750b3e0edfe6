"""The player residents see: sources in the right order, captions, transcript, download size."""

import pytest
from django.core.files.base import ContentFile

from media.models import MediaAsset, MediaCaption, MediaRendition, ProcessingStatus
from tests.cms.factories import ArticlePageFactory


@pytest.fixture
def spoken_article(settings, tmp_path, health):
    settings.MEDIA_ROOT = tmp_path
    asset = MediaAsset.objects.create(
        title="Bản đọc: phòng chống sốt rét",
        file=ContentFile(b"original", name="reading.m4a"),
        type="audio",
        language="vi",
        status=ProcessingStatus.READY,
        transcript="Muỗi truyền bệnh sốt rét đốt vào ban đêm.",
        waveform="waveforms/aa/aaaa.png",
    )
    for profile, size in [("speech-32k", 240_000), ("speech-64k", 480_000)]:
        MediaRendition.objects.create(
            asset=asset,
            profile=profile,
            file=f"renditions/{profile}.mp4",
            mime_type="audio/mp4",
            size=size,
        )
    MediaCaption.objects.create(
        asset=asset, language="km", file=ContentFile(b"WEBVTT\n", name="km.vtt")
    )
    return ArticlePageFactory(parent=health, title="Sốt rét", slug="sot-ret", audio=asset)


def source_order(html: str) -> list[str]:
    import re

    return re.findall(r'<source src="/media/renditions/([^"]+)\.mp4"', html)


def test_article_offers_its_audio_version(client, spoken_article):
    response = client.get(spoken_article.url_in("vi"))
    html = response.content.decode()
    assert "Nghe đọc bài" in html
    assert '<audio controls preload="none">' in html
    assert source_order(html) == ["speech-64k", "speech-32k"]
    assert "Tải về (234,4\xa0KB)" in html
    assert 'srclang="km" label="ភាសាខ្មែរ"' in html
    assert "Muỗi truyền bệnh sốt rét" in html
    assert "Save-Data" in response["Vary"]


def test_reader_saving_data_gets_the_smallest_file_first(client, spoken_article):
    html = client.get(spoken_article.url_in("vi"), HTTP_SAVE_DATA="on").content.decode()
    assert source_order(html) == ["speech-32k", "speech-64k"]


def test_audio_that_is_not_ready_is_not_offered(client, spoken_article):
    spoken_article.audio.status = ProcessingStatus.PROCESSING
    spoken_article.audio.save()
    html = client.get(spoken_article.url_in("vi")).content.decode()
    assert "<audio" not in html


def test_mong_reader_hears_the_vietnamese_reading_marked_as_vietnamese(client, spoken_article):
    html = client.get(spoken_article.url_in("hmn")).content.decode()
    assert '<figure class="player" lang="vi">' in html


def test_caption_file_must_be_webvtt(db):
    from django.core.exceptions import ValidationError

    from media.models import validate_webvtt

    validate_webvtt(ContentFile("\ufeffWEBVTT\n\n00:00.000 --> 00:02.000\nXin chào\n".encode()))
    with pytest.raises(ValidationError):
        validate_webvtt(ContentFile(b"1\n00:00:00,000 --> 00:00:02,000\nSRT, not VTT\n"))


def test_video_block_plays_with_poster_captions_and_small_first_when_saving_data(
    client, settings, tmp_path, health
):
    settings.MEDIA_ROOT = tmp_path
    asset = MediaAsset.objects.create(
        title="Lễ hội Lồng Tồng",
        file=ContentFile(b"original", name="festival.mp4"),
        type="video",
        width=854,
        height=480,
        status=ProcessingStatus.READY,
        poster="posters/ab/abcd.webp",
    )
    for profile, size in [("video-240p", 2_000_000), ("video-360p", 3_700_000)]:
        MediaRendition.objects.create(
            asset=asset,
            profile=profile,
            file=f"renditions/{profile}.mp4",
            mime_type="video/mp4",
            size=size,
        )
    MediaCaption.objects.create(
        asset=asset, language="vi", file=ContentFile(b"WEBVTT\n", name="vi.vtt")
    )
    page = ArticlePageFactory(
        parent=health,
        title="Video lễ hội",
        slug="video-le-hoi",
        body=[{"type": "video", "value": asset.pk}],
    )
    html = client.get(page.url_in("vi")).content.decode()
    assert '<video controls preload="none" playsinline poster="/media/posters/ab/abcd.webp"' in html
    assert source_order(html) == ["video-360p", "video-240p"]
    assert 'srclang="vi" label="Tiếng Việt"' in html
    saving = client.get(page.url_in("vi"), HTTP_SAVE_DATA="on").content.decode()
    assert source_order(saving) == ["video-240p", "video-360p"]
