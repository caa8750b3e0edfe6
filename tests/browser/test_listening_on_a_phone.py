"""A resident listens to an article's audio on a phone and jumps ahead: the server answers 206."""

import subprocess

import pytest
from django.core.files import File

from cms.models import ArticlePage
from media.models import MediaAsset, ProcessingStatus

pytestmark = [pytest.mark.browser]


@pytest.fixture
def spoken_article(demo_site, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    recording = tmp_path / "reading.m4a"
    speech = "anoisesrc=c=pink:a=0.4,bandpass=f=1000:width_type=h:w=2500,tremolo=f=4:d=0.9"
    subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-f",
            "lavfi",
            "-i",
            speech,
            "-t",
            "40",
            "-c:a",
            "aac",
            str(recording),
        ],
        check=True,
        timeout=60,
    )
    with recording.open("rb") as stream:
        asset = MediaAsset.objects.create(
            title="Bản đọc", file=File(stream, name="reading.m4a"), type="audio", language="vi"
        )
    asset.refresh_from_db()
    assert asset.status == ProcessingStatus.READY, asset.error_message
    article = ArticlePage.objects.exclude(slug_vi__startswith="mau-ngon-ngu").first()
    article.audio_vi = asset
    article.save_revision().publish()
    return article


def test_article_audio_plays_and_seeking_uses_range_requests(spoken_article, demo_site, phone):
    media_responses = []
    phone.on(
        "response",
        lambda response: (
            media_responses.append((response.status, response.request.headers.get("range")))
            if "/media/renditions/" in response.url
            else None
        ),
    )
    phone.goto(demo_site.url + spoken_article.url_in("vi"))
    audio = phone.locator("section.listen audio")
    assert audio.is_visible()
    state = phone.evaluate(
        """async () => {
            const audio = document.querySelector("section.listen audio");
            const next = (event) => Promise.race([
                new Promise((resolve) => audio.addEventListener(event, resolve, {once: true})),
                new Promise((_, reject) => setTimeout(() => reject(new Error(event)), 15000)),
            ]);
            audio.muted = true;
            try {
                await Promise.race([audio.play(), next("error")]);
                await next("timeupdate");
                audio.currentTime = 30;
                // A seek Chromium started itself may end after ours began: wait for ours.
                do {
                    await next("seeked");
                } while (audio.seeking || audio.currentTime < 29);
            } catch (waited) {
                return {
                    waited: String(waited), network: audio.networkState, ready: audio.readyState,
                };
            }
            return {time: audio.currentTime, error: audio.error && audio.error.code,
                    src: audio.currentSrc};
        }"""
    )
    assert "waited" not in state, (state, media_responses)
    assert state["error"] is None
    assert state["time"] >= 29
    assert "/media/renditions/" in state["src"]
    assert any(status == 206 and ranged for status, ranged in media_responses), media_responses
