"""Settings shared by every environment, read once from environment variables.

Every variable is documented in the README. Defaults are the embedded set-up: SQLite and uploaded
files under ``var/``, the database search backend and an in-process task queue.
"""

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url

from cms.languages import DEFAULT_LANGUAGE, LANGUAGE_CODES, django_languages, fallback_languages

BASE_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_list(name: str, default: str = "") -> list[str]:
    """A comma-separated environment variable as a list, blanks dropped."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_bool(name: str, default: bool = False) -> bool:
    """An environment variable read as a boolean (1/true/yes/on)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


SECRET_KEY = os.environ.get("SECRET_KEY", "")
# The fixed keys of the dev and test settings; the system checks refuse them in production.
DEV_SECRET_KEY = "dev-only-insecure-key-never-use-in-production"
TEST_SECRET_KEY = "test-only-insecure-key"
BANLANG_PRODUCTION = False
"""Whether these are deployment settings; ``cms.settings.production`` turns it on."""
DEBUG = env_bool("DEBUG")
# Django's technical "not found" and error pages instead of the site's, when DEBUG is on too.
TECHNICAL_ERROR_PAGES = env_bool("TECHNICAL_ERROR_PAGES")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "modeltranslation",
    "wagtail_modeltranslation",
    "wagtail_modeltranslation.makemigrations",
    "wagtail_modeltranslation.migrate",
    "cms",
    "heritage",
    "media",
    "outreach",
    "search",
    "wagtailmedia",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.search_promotions",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "axes",
]

MIDDLEWARE = [
    "cms.middleware.TextCompressionMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "cms.middleware.ContentSecurityPolicyMiddleware",
    "cms.middleware.SaveDataVaryMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "cms.middleware.InterfaceCatalogueMiddleware",
    "cms.middleware.ReaderLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "cms.admin_guards.AdminObjectGuardMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "axes.middleware.AxesMiddleware",
    "outreach.page_views.PageViewMiddleware",
    "cms.middleware.PageRoutingMiddleware",
    "cms.middleware.SiteErrorPagesMiddleware",
]

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "cms.context_processors.reading_language",
                "cms.context_processors.data_saving",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    INSTALLED_APPS.append("django.contrib.postgres")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server and the task worker share the file: in WAL mode readers go on while one
    # writes, and a writer waits its turn. A 64 MB page cache per connection (SQLite's default
    # is 2 MB) keeps the search index's hot pages in memory: a common word's search reads
    # thousands of documents.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
        "PRAGMA cache_size=-65536",
        "timeout": 20,
        # A transaction takes the write lock when it begins, waiting its turn: one that read
        # first and wrote later would fail at once if another process wrote in between.
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "cms.login_throttling.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling (django-axes, wired up in cms/login_throttling.py): five failed sign-ins for
# one username from anywhere, or from one client address for any usernames, pause sign-in for
# that username or address for 15 minutes; each further try restarts the pause.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "cms.login_throttling.client_ip_address"
AXES_LOCKOUT_CALLABLE = "cms.login_throttling.lockout_response"
# A successful sign-in forgets only its own account's failures (cms/login_throttling.py).
AXES_RESET_ON_SUCCESS = False
# Throttling needs the failures only; a record of every sign-in's address and browser would be
# personal data kept for no purpose.
AXES_DISABLE_ACCESS_LOG = True
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
"""How many reverse proxies in front of the app append to ``X-Forwarded-For``; 0 reads none."""

# Languages: all derived from cms/languages.py.
LANGUAGE_CODE = DEFAULT_LANGUAGE
LANGUAGES = django_languages()
# The catalogues compiled at run time with the admin's translations (cms/interface_reload.py)
# come first: their translations win over the committed ones.
LOCALE_PATHS = [VAR_DIR / "locale", BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
LANGUAGE_COOKIE_NAME = "lang"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"

MODELTRANSLATION_DEFAULT_LANGUAGE = DEFAULT_LANGUAGE
MODELTRANSLATION_LANGUAGES = LANGUAGE_CODES
MODELTRANSLATION_FALLBACK_LANGUAGES = fallback_languages()
MODELTRANSLATION_CUSTOM_FIELDS = ("StreamField", "RichTextField")
WAGTAIL_I18N_ENABLED = False
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
WAGTAILMODELTRANSLATION_LOCALE_PICKER = True
WAGTAILMODELTRANSLATION_CUSTOM_SIMPLE_PANELS = ["wagtailmedia.edit_handlers.MediaChooserPanel"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_MAX_AGE = 3600

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

WAGTAIL_SITE_NAME = "Bản Làng"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# Readers' search (the search app): on Elasticsearch when ELASTICSEARCH_URL names a cluster,
# on the database's own index otherwise, and whenever the cluster is down or slow.
SEARCH_ELASTICSEARCH: dict[str, Any] = {
    "URL": os.environ.get("ELASTICSEARCH_URL", ""),
    "INDEX": os.environ.get("ELASTICSEARCH_INDEX", "banlang_search"),
    "TIMEOUT": float(os.environ.get("ELASTICSEARCH_TIMEOUT", "2")),
    "RETRY_AFTER": 30,
    "REPLICAS": int(os.environ.get("ELASTICSEARCH_REPLICAS", "1")),
}
WAGTAIL_ALLOW_UNICODE_SLUGS = True
WAGTAILDOCS_EXTENSIONS = ["pdf", "odt", "docx", "xlsx", "csv", "txt"]
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"bmp": "jpeg", "webp": "webp"}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "SAMEORIGIN"

# Media processing: every limit and switch of the media app, in one place.
BANLANG_MEDIA: dict[str, Any] = {
    "MAX_UPLOAD_BYTES": int(os.environ.get("MEDIA_MAX_UPLOAD_BYTES", str(1024**3))),
    "MAX_DURATION_SECONDS": 3 * 3600,
    "MAX_WIDTH": 3840,
    "MAX_HEIGHT": 2160,
    "DEMUXERS": ["mov,mp4,m4a,3gp,3g2,mj2", "matroska,webm", "mp3", "ogg", "wav", "flac", "aac"],
    "AUDIO_CODECS": ["aac", "mp3", "opus", "vorbis", "flac", "pcm_s16le", "pcm_s24le", "alac"],
    "VIDEO_CODECS": ["h264", "hevc", "vp8", "vp9", "av1", "mpeg4"],
    "FFMPEG_THREADS": 2,
    "PROBE_TIMEOUT_SECONDS": 15,
    "TRANSCODE_TIMEOUT_PER_MEDIA_SECOND": 4.0,
    "TRANSCODE_TIMEOUT_MIN_SECONDS": 60,
    "MAX_ATTEMPTS": 3,
    "RETRY_DELAY_SECONDS": 30,
    "ACCEL_REDIRECT_PREFIX": os.environ.get("MEDIA_ACCEL_REDIRECT_PREFIX", ""),
    "ACCESS_POLICY": "outreach.media_access.feedback_file_access",
}
BANLANG_LOUDSPEAKER: dict[str, Any] = {
    # Commune loudspeaker programmes (``outreach.loudspeaker_audio``): mono MP3, normalised in
    # two passes of ffmpeg's loudnorm to EBU R 128-style targets, measured after with ebur128.
    "BIT_RATE": os.environ.get("LOUDSPEAKER_BIT_RATE", "64k"),
    "SAMPLE_RATE": 44100,
    "LOUDNESS_LUFS": float(os.environ.get("LOUDSPEAKER_LOUDNESS_LUFS", "-16")),
    "TRUE_PEAK_DBTP": float(os.environ.get("LOUDSPEAKER_TRUE_PEAK_DBTP", "-1.5")),
    "LOUDNESS_RANGE_LU": 11.0,
    "SILENT_BELOW_LUFS": -50.0,
    "TOO_LOUD_ABOVE_LUFS": -5.0,
    "CLIPPED_SHARE": 0.001,
    "MAX_SECONDS": 3 * 3600,
    "SCHEDULE_DAYS": 7,
}
WAGTAILMEDIA = {
    "MEDIA_MODEL": "media.MediaAsset",
    "MEDIA_FORM_BASE": "media.forms.MediaAssetForm",
    "AUDIO_EXTENSIONS": ["aac", "flac", "m4a", "mp3", "ogg", "opus", "wav"],
    "VIDEO_EXTENSIONS": ["m4v", "mkv", "mov", "mp4", "webm"],
}
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "webp", "gif"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 20 * 1024**2
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 64_000_000
WAGTAILIMAGES_IMAGE_FORM_BASE = "media.forms.SafeImageForm"
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024**2
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024**2

OAI_ADMIN_EMAIL = os.environ.get("OAI_ADMIN_EMAIL", "disan@banlang.example")
"""The contact harvesters see in the OAI-PMH ``Identify`` answer."""
OAI_PAGE_SIZE = 100

# Outreach: every channel and limit of the outreach app, in one place (README, "Outreach").
BANLANG_OUTREACH: dict[str, Any] = {
    # Keys the hashes kept of withdrawn contacts. Set it once in production and keep it: a new
    # key forgets who withdrew. Development and tests derive one from SECRET_KEY.
    "HASH_KEY": os.environ.get("OUTREACH_HASH_KEY", ""),
    # Each channel's sender (outreach/channels/); the outbox only stores what would be sent.
    "CHANNELS": {
        "email": os.environ.get("OUTREACH_EMAIL_CHANNEL", "outreach.channels.outbox.OutboxChannel"),
        "sms": os.environ.get("OUTREACH_SMS_CHANNEL", "outreach.channels.outbox.OutboxChannel"),
        "push": os.environ.get("OUTREACH_PUSH_CHANNEL", "outreach.channels.outbox.OutboxChannel"),
        "zalo": os.environ.get("OUTREACH_ZALO_CHANNEL", "outreach.channels.outbox.OutboxChannel"),
    },
    "CODE_LENGTH": 6,
    "CODE_VALID_MINUTES": 30,
    "CODE_MAX_ATTEMPTS": 5,
    # Requests for the way back to one's subscription (a code or a link), per number or
    # address and hour, whether or not it is subscribed.
    "FIND_PER_HOUR": 3,
    "UNCONFIRMED_KEPT_DAYS": 7,
    "MESSAGE_CONTACT_KEPT_DAYS": 90,
    "MANAGE_LINK_VALID_DAYS": 365,
    "SEND_ATTEMPTS": 5,
    "RETRY_DELAY_SECONDS": 60,
    # A sender holds the messages it claimed this long; past it, they are another sender's.
    "LEASE_SECONDS": int(os.environ.get("OUTREACH_LEASE_SECONDS", "120")),
    # Messages a sender claims at once, per channel.
    "CLAIM_BATCH": 50,
    # Each channel's most messages a second, over all senders together (0: no cap): what the
    # provider's contract allows (an SMSC's window, Zalo's quota, an SMTP relay's limit).
    "RATE_PER_SECOND": {
        channel: int(os.environ.get(f"OUTREACH_{channel.upper()}_RATE", "0"))
        for channel in ("email", "sms", "push", "zalo")
    },
    # Bulletins: a second person approves any sent to more people than this; no subscriber gets
    # more than DAILY_CAP a day, nor SMS or Zalo in the quiet hours (Vietnam time), except urgent.
    "APPROVAL_ABOVE": int(os.environ.get("OUTREACH_APPROVAL_ABOVE", "1000")),
    "DAILY_CAP": 3,
    "QUIET_HOURS": (22, 7),
    "QUIET_CHANNELS": ("sms", "zalo"),
    # Digests are written a batch of staff at a time; a bulletin's outbox, by ranges of this many
    # contacts (by primary key), one statement each.
    "BATCH_SIZE": 1000,
    "OUTBOX_RANGE": 50_000,
    # SMS over SMPP 3.4 (outreach.channels.smpp.SmppChannel): the operator's or aggregator's SMSC.
    "SMPP": {
        "HOST": os.environ.get("OUTREACH_SMPP_HOST", "127.0.0.1"),
        "PORT": int(os.environ.get("OUTREACH_SMPP_PORT", "2775")),
        "SYSTEM_ID": os.environ.get("OUTREACH_SMPP_SYSTEM_ID", ""),
        "PASSWORD": os.environ.get("OUTREACH_SMPP_PASSWORD", ""),
        "SOURCE_ADDR": os.environ.get("OUTREACH_SMPP_SOURCE_ADDR", "BanLang"),
        "TIMEOUT": 10,
    },
    # SMS through an aggregator's HTTP API (outreach.channels.sms_gateway.SmsGatewayChannel):
    # JSON with an idempotency key; delivery receipts come back signed to /outreach/sms/receipts/.
    "SMS_GATEWAY": {
        "URL": os.environ.get("OUTREACH_SMS_GATEWAY_URL", ""),
        "TOKEN": os.environ.get("OUTREACH_SMS_GATEWAY_TOKEN", ""),
        "SENDER": os.environ.get("OUTREACH_SMS_GATEWAY_SENDER", "BanLang"),
        "CALLBACK_URL": os.environ.get("OUTREACH_SMS_GATEWAY_CALLBACK_URL", ""),
        "TIMEOUT": 10,
    },
    # Web push (outreach.channels.push.PushChannel): the VAPID key pair from
    # ``manage.py vapid_keys``, and who to contact about our pushes (a mailto: or https: URL).
    "PUSH": {
        "VAPID_PRIVATE_KEY": os.environ.get("OUTREACH_VAPID_PRIVATE_KEY", ""),
        "VAPID_PUBLIC_KEY": os.environ.get("OUTREACH_VAPID_PUBLIC_KEY", ""),
        "VAPID_SUBJECT": os.environ.get("OUTREACH_VAPID_SUBJECT", "mailto:tin@banlang.example"),
        "TTL_SECONDS": 24 * 3600,
        "TIMEOUT": 10,
    },
    # Zalo Notification Service (outreach.channels.zalo.ZaloChannel): the official account's app,
    # its first refresh token (later ones are kept in the database) and the approved template
    # of bulletins, whose parameters are ``content`` and ``url``.
    "ZALO": {
        "APP_ID": os.environ.get("OUTREACH_ZALO_APP_ID", ""),
        "SECRET_KEY": os.environ.get("OUTREACH_ZALO_SECRET_KEY", ""),
        "REFRESH_TOKEN": os.environ.get("OUTREACH_ZALO_REFRESH_TOKEN", ""),
        "TEMPLATE_ID": os.environ.get("OUTREACH_ZALO_TEMPLATE_ID", ""),
        "API_URL": os.environ.get(
            "OUTREACH_ZALO_API_URL", "https://business.openapi.zalo.me/message/template"
        ),
        "OAUTH_URL": os.environ.get(
            "OUTREACH_ZALO_OAUTH_URL", "https://oauth.zaloapp.com/v4/oa/access_token"
        ),
        "TIMEOUT": 10,
    },
    # Inbound SMS over HTTP: the gateway signs each request with this shared secret (HMAC-SHA256);
    # empty, the endpoint refuses everything.
    "INBOUND_SMS_SECRET": os.environ.get("OUTREACH_INBOUND_SMS_SECRET", ""),
    # Inbound e-mail: Mailgun's webhook signing key, which signs each mail its route forwards to
    # /outreach/email/inbound/ (HMAC-SHA256); empty, the endpoint refuses everything.
    "INBOUND_EMAIL_SIGNING_KEY": os.environ.get("OUTREACH_INBOUND_EMAIL_SIGNING_KEY", ""),
    "INBOUND_MAX_AGE_SECONDS": 300,
    # Articles published under these topics make a bulletin for those who follow the topic.
    "NOTIFYING_TOPICS": ("policy", "market", "health", "education", "security-order"),
}

# Reach without tracking people (outreach.page_views): each web process counts page views in
# memory and hands them to a task to write every FLUSH_SECONDS, or once FLUSH_KEYS pages ×
# languages × days are counted; a crash loses up to FLUSH_SECONDS of that process's views.
BANLANG_REACH = {
    "FLUSH_SECONDS": 60,
    "FLUSH_KEYS": 1000,
}

# Residents' questions, reports and proposals (outreach.feedback): the days an office has to
# answer, by kind; offices serving remote and difficult areas have longer (the Law on
# Complaints' 30 and 45 days).
BANLANG_FEEDBACK: dict[str, Any] = {
    "DEADLINE_DAYS": {"question": 30, "report": 30, "proposal": 30},
    "REMOTE_DEADLINE_DAYS": {"question": 45, "report": 45, "proposal": 45},
    # A resident's number or address is erased this long after their submission is closed.
    "CONTACT_RETENTION_DAYS": 365,
    # A photo or a voice message sent with a submission; a voice message says a question, not
    # a speech.
    "PHOTO_MAX_BYTES": 10 * 1024**2,
    "VOICE_MAX_BYTES": 10 * 1024**2,
    "VOICE_MAX_SECONDS": 300,
}

DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Bản Làng <tin@banlang.example>")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = 10
"""Seconds before an SMTP server that does not answer is given up: a worker never hangs."""
