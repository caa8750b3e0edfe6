"""Places for the outreach tests, and the local servers standing in for the providers."""

import datetime
import shutil
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from heritage.models import Place, PlaceLevel
from outreach.channels import smpp
from tests.outreach.smsc import smsc_server
from tests.outreach.smtp_server import smtp_server
from tests.outreach.zalo_server import APP_ID, SECRET_KEY, zalo_server


@pytest.fixture(autouse=True)
def any_hour(request, settings):
    """Send SMS and Zalo whatever the hour: a test's outcome must not depend on when it runs
    (22:00–07:00 in Vietnam is 15:00–24:00 UTC). Tests of the quiet hours are marked
    ``quiet_hours`` and keep them."""
    if request.node.get_closest_marker("quiet_hours") is None:
        settings.BANLANG_OUTREACH = {**settings.BANLANG_OUTREACH, "QUIET_CHANNELS": ()}


@pytest.fixture
def dak_lak(db):
    """Đắk Lắk (one of the 34 provinces the migrations load) with two communes, and a third
    commune in Lâm Đồng."""
    province = Place.objects.current().get(name="Đắk Lắk")
    other = Place.objects.current().get(name="Lâm Đồng")
    Place.objects.create(name="Ea Súp", level=PlaceLevel.COMMUNE, parent=province)
    Place.objects.create(name="Buôn Đôn", level=PlaceLevel.COMMUNE, parent=province)
    Place.objects.create(name="Lạc Dương", level=PlaceLevel.COMMUNE, parent=other)
    return province


@pytest.fixture
def ea_sup(dak_lak):
    return Place.objects.get(name="Ea Súp")


@pytest.fixture
def servers(settings):
    """E-mail through SMTP and SMS through SMPP, each to its local server."""
    smpp.session().close()
    smpp.session().take_incoming()
    with smtp_server() as (mailbox, smtp_port), smsc_server() as smsc:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp_port
        settings.BANLANG_OUTREACH = {
            **settings.BANLANG_OUTREACH,
            "CHANNELS": {
                **settings.BANLANG_OUTREACH["CHANNELS"],
                "email": "outreach.channels.email.EmailChannel",
                "sms": "outreach.channels.smpp.SmppChannel",
            },
            "SMPP": {**settings.BANLANG_OUTREACH["SMPP"], "PORT": smsc.port},
        }
        yield mailbox, smsc
        smpp.session().close()
        smpp.session().take_incoming()


@pytest.fixture
def zalo(settings):
    """Zalo ZNS through its local server, the other channels as they were."""
    with zalo_server() as running:
        settings.BANLANG_OUTREACH = {
            **settings.BANLANG_OUTREACH,
            "CHANNELS": {
                **settings.BANLANG_OUTREACH["CHANNELS"],
                "zalo": "outreach.channels.zalo.ZaloChannel",
            },
            "ZALO": {
                **settings.BANLANG_OUTREACH["ZALO"],
                "APP_ID": APP_ID,
                "SECRET_KEY": SECRET_KEY,
                "REFRESH_TOKEN": "refresh-1",
                "TEMPLATE_ID": "401234",
                "API_URL": f"{running.origin}/message/template",
                "OAUTH_URL": f"{running.origin}/v4/oa/access_token",
            },
            "RETRY_DELAY_SECONDS": 0,
        }
        yield running


@pytest.fixture(scope="session")
def voices(tmp_path_factory):
    """Voice messages as phones record them (AAC in MP4, Opus in WebM), one whose data stops
    at a third though its header promises six seconds, a video, and a text file passing for a
    recording."""
    from tests.media.conftest import ffmpeg

    if shutil.which("ffmpeg") is None:
        pytest.skip("ffmpeg not installed (apt-get install ffmpeg)")
    folder = tmp_path_factory.mktemp("voices")
    speech = "anoisesrc=c=pink:r=16000:a=0.5,bandpass=f=1000:width_type=h:w=2500,tremolo=f=4:d=0.9"
    ffmpeg("-f", "lavfi", "-i", speech, "-t", "6", "-c:a", "aac", str(folder / "voice.m4a"))
    ffmpeg("-f", "lavfi", "-i", speech, "-t", "3", "-c:a", "libopus", str(folder / "voice.webm"))
    ffmpeg(
        "-f", "lavfi", "-i", "testsrc2=s=320x240:r=10", "-t", "2", "-c:v", "libx264",
        "-preset", "ultrafast", str(folder / "video.mp4"),
    )  # fmt: skip
    ffmpeg(
        "-i", str(folder / "voice.m4a"), "-c", "copy", "-movflags", "+faststart",
        str(folder / "faststart.m4a"),
    )  # fmt: skip
    whole = (folder / "faststart.m4a").read_bytes()
    (folder / "cut-short.m4a").write_bytes(whole[: len(whole) // 3])
    (folder / "notes.m4a").write_text("Biên bản họp thôn, không phải tệp âm thanh.\n" * 50)
    return folder


VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = datetime.date(2025, 3, 10)
NOW = datetime.datetime(2025, 3, 10, 10, 0, tzinfo=VIETNAM)


class Clock:
    """``timezone.now`` for a test: it stands still until moved."""

    def __init__(self, now):
        self.now = now

    def __call__(self):
        return self.now

    def advance_to(self, when):
        self.now = max(self.now, when)


@pytest.fixture
def clock(monkeypatch):
    """It is 10:00 on 10 March 2025 in Vietnam, for the tests and the server alike."""
    stopped = Clock(NOW)
    monkeypatch.setattr(timezone, "now", stopped)
    return stopped
