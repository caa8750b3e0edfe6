"""The loudspeaker clusters' API: the one way a cluster's device (a smart loudspeaker controller,
or a commune's source information system) gets its schedule and audio and reports its plays.

The official protocol of the source information systems is not public, so this is our own
contract; a system speaking another protocol would be fed by an adapter translating this one.

Every request carries the cluster's token, issued once in the admin::

    Authorization: Bearer <token>

A missing, wrong, replaced or revoked token is answered, on every endpoint, with the same
``401`` and ``WWW-Authenticate: Bearer realm="loudspeakers"`` and an empty body.

**Schedule.** ``GET /outreach/loudspeakers/schedule.json`` (or ``HEAD``) answers the cluster's
broadcasts from now for ``SCHEDULE_DAYS`` days (``outreach.loudspeaker_schedule``), in the order
they air; an urgent one comes first, at the cluster's next time, or now if none is left today::

    200 OK
    Content-Type: application/json
    Cache-Control: private, no-cache
    ETag: "3f9c…"

    {"cluster": "Cụm loa Ea Súp",
     "generated_at": "2025-03-10T10:00:00+07:00",
     "timezone": "Asia/Ho_Chi_Minh",
     "broadcasts": [
       {"programme": 41, "title": "Sạt lở đất", "starts_at": "2025-03-10T17:00:00+07:00",
        "urgent": true, "duration_seconds": 184.3,
        "url": "https://banlang.example/outreach/loudspeakers/audio/9b1e….mp3",
        "sha256": "9b1e…", "bytes": 1474560, "languages": ["vi"]},
       {"programme": 40, "title": "Bản tin sức khỏe", "starts_at": "2025-03-10T17:00:00+07:00",
        "urgent": false, "duration_seconds": 612.0, "url": "https://…/c07a….mp3",
        "sha256": "c07a…", "bytes": 4896000, "languages": ["km", "vi"]}]}

``starts_at`` is local time with its offset; ``languages`` are those heard in the programme, in
its order (empty for one made of recordings only). The ETag stands for the broadcasts, not for
``generated_at``: a device polling with ``If-None-Match: "3f9c…"`` gets ``304 Not Modified``
with no body until its schedule changes.

**Audio.** ``GET /outreach/loudspeakers/audio/<sha256>.mp3`` (or ``HEAD``) answers the MP3 of a
ready programme of the cluster's communes aired from ``SCHEDULE_DAYS`` days ago to the end of
the schedule, with ``Accept-Ranges: bytes``, an ``ETag`` and ``Cache-Control: private,
no-store``; ``Range`` (with ``If-Range``) gets ``206 Partial Content``, so a download broken
off resumes. A device checks the bytes' size and SHA-256 against the schedule before playing.
Any other audio, a programme of another cluster's included, is ``404`` exactly as a missing one.

**Plays.** ``POST /outreach/loudspeakers/plays.json`` takes what the device played, at most 500
plays and ``MAX_PLAYS_BODY`` bytes a request::

    {"plays": [{"sha256": "9b1e…", "started_at": "2025-03-10T17:00:02+07:00",
                "outcome": "played"}]}

``outcome`` is ``played``, ``interrupted`` or ``failed`` (a file that did not download or did
not match its checksum); ``started_at`` is ISO 8601 with its offset, at most five minutes ahead
of the server's clock. ``sha256`` is the audio of a programme of the cluster's communes. The
answer counts the plays saved and those already reported (the same audio starting at the same
instant, whatever the outcome; the first report is kept)::

    200 OK
    {"accepted": 1, "duplicates": 0}

If any play is invalid, none is saved: the answer is ``400`` with an error per invalid field::

    400 Bad Request
    {"error": "some plays are invalid; none was saved",
     "errors": [{"index": 0, "field": "outcome", "message": "must be one of: played,
                 interrupted, failed"}]}

A body that is not such JSON, or holds more than 500 plays, is ``400`` with only ``"error"``;
one larger than ``MAX_PLAYS_BODY`` is ``413``; any other method than ``POST`` is ``405``.
"""

import datetime
import hashlib
import json
import re
from pathlib import Path
from typing import cast

from django.conf import settings
from django.db import transaction
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseNotFound,
    JsonResponse,
)
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import quote_etag
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from media.serving import file_response
from outreach.loudspeaker_schedule import (
    Broadcast,
    cluster_programmes,
    schedule_days,
    schedule_for,
)
from outreach.models import (
    LoudspeakerCluster,
    PlayOutcome,
    PlayReport,
    Programme,
    ProgrammeItem,
    ProgrammeState,
)
from outreach.models.loudspeakers import token_digest

MAX_PLAYS = 500
"""The most plays one report may carry."""
MAX_PLAYS_BODY = MAX_PLAYS * 256
"""A play takes well under 256 bytes of JSON."""
FUTURE_TOLERANCE = datetime.timedelta(minutes=5)
"""How far ahead of the server's clock a device's clock may run."""
AUDIO_NAME = re.compile(r"([0-9a-f]{64})\.mp3")
SHA256 = re.compile(r"[0-9a-f]{64}")
SCHEDULE_CACHE_CONTROL = "private, no-cache"

INVALID_PLAYS = "some plays are invalid; none was saved"
NOT_A_PLAY = "must be an object with sha256, started_at and outcome"
UNKNOWN_AUDIO = "must be the SHA-256 of an audio file of this cluster"
BAD_TIME = "must be a date and time in ISO 8601 with its offset"
AHEAD = "is more than 5 minutes ahead"
BAD_OUTCOME = "must be one of: " + ", ".join(PlayOutcome.values)


def cluster_of(request: HttpRequest) -> LoudspeakerCluster | None:
    """The cluster whose token the request carries, if it is its current one."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        return None
    return LoudspeakerCluster.objects.filter(token_digest=token_digest(token)).first()


def unauthorized() -> HttpResponse:
    """The one answer to every request without a valid token."""
    response = HttpResponse(status=401)
    response["WWW-Authenticate"] = 'Bearer realm="loudspeakers"'
    return response


def missing_audio() -> HttpResponse:
    """The answer for audio that is not there, or not there for whoever asks: the same bytes
    either way, naming nothing (the site's page of a missing page repeats the address)."""
    return HttpResponseNotFound("Not found.\n", content_type="text/plain; charset=utf-8")


def audio_response(
    request: HttpRequest, programme: Programme | None, private: bool
) -> HttpResponseBase:
    """The programme's rendered audio, or ``missing_audio()`` if there is none."""
    if programme is None or not programme.audio.name:
        return missing_audio()
    path = Path(programme.audio.path)
    if not path.is_file():
        return missing_audio()
    return file_response(
        request,
        path,
        programme.audio.name,
        private=private,
        accel_prefix=settings.BANLANG_MEDIA["ACCEL_REDIRECT_PREFIX"],
    )


def programme_languages(programmes: list[Programme]) -> dict[int, list[str]]:
    """The languages heard in each programme, in its order, each once."""
    found: dict[int, list[str]] = {programme.pk: [] for programme in programmes}
    items = (
        ProgrammeItem.objects.filter(programme__in=programmes)
        .exclude(language="")
        .order_by("programme_id", "sort_order", "pk")
        .values_list("programme_id", "language")
    )
    for programme_id, language in items:
        if language not in found[programme_id]:
            found[programme_id].append(language)
    return found


def broadcast_json(
    request: HttpRequest, broadcast: Broadcast, languages: list[str]
) -> dict[str, object]:
    """One broadcast as the schedule gives it."""
    programme = broadcast.programme
    audio = reverse("loudspeaker_audio", args=[f"{programme.sha256}.mp3"])
    return {
        "programme": programme.pk,
        "title": programme.title,
        "starts_at": timezone.localtime(broadcast.starts_at).isoformat(),
        "urgent": broadcast.urgent,
        "duration_seconds": programme.duration,
        "url": request.build_absolute_uri(audio),
        "sha256": programme.sha256,
        "bytes": programme.size,
        "languages": languages,
    }


@require_http_methods(["GET", "HEAD"])
def schedule(request: HttpRequest) -> HttpResponse:
    """The cluster's broadcasts as JSON, or 304 while its copy (``If-None-Match``) is current."""
    cluster = cluster_of(request)
    if cluster is None:
        return unauthorized()
    now = timezone.now()
    broadcasts = schedule_for(cluster, now)
    languages = programme_languages(
        list({b.programme.pk: b.programme for b in broadcasts}.values())
    )
    contents = {
        "cluster": cluster.name,
        "timezone": settings.TIME_ZONE,
        "broadcasts": [broadcast_json(request, b, languages[b.programme.pk]) for b in broadcasts],
    }
    canonical = json.dumps(contents, sort_keys=True, ensure_ascii=False).encode()
    etag = quote_etag(hashlib.sha256(canonical).hexdigest()[:32])
    generated_at = timezone.localtime(now).isoformat()
    response = JsonResponse(
        {"cluster": cluster.name, "generated_at": generated_at, **contents},
        json_dumps_params={"ensure_ascii": False},
    )
    response["ETag"] = etag
    response["Cache-Control"] = SCHEDULE_CACHE_CONTROL
    patch_vary_headers(response, ["Authorization"])
    # The stubs do not say that the response given, or a 304, comes back.
    return cast(HttpResponse, get_conditional_response(request, etag=etag, response=response))


@require_http_methods(["GET", "HEAD"])
def audio(request: HttpRequest, name: str) -> HttpResponseBase:
    """The MP3 of a programme the cluster airs or aired lately; else a missing file's 404."""
    cluster = cluster_of(request)
    if cluster is None:
        return unauthorized()
    named = AUDIO_NAME.fullmatch(name)
    programme = None
    if named:
        today = timezone.localdate()
        days = datetime.timedelta(days=schedule_days())
        programme = (
            cluster_programmes(cluster)
            .filter(
                sha256=named[1],
                state=ProgrammeState.READY,
                air_date__gte=today - days,
                air_date__lt=today + days,
            )
            .first()
        )
    return audio_response(request, programme, private=True)


class InvalidReport(ValueError):
    """A report that is not what the contract says; its message is the answer's ``error``."""


def reported_plays(body: bytes) -> list[object]:
    """The ``plays`` list of a report."""
    try:
        data = json.loads(body)
    except ValueError as error:
        raise InvalidReport('expected JSON with "plays"') from error
    if not isinstance(data, dict) or not isinstance(data.get("plays"), list):
        raise InvalidReport('expected JSON with "plays"')
    if len(data["plays"]) > MAX_PLAYS:
        raise InvalidReport(f'"plays" must be a list of at most {MAX_PLAYS} plays')
    return data["plays"]


def started_at(value: object) -> datetime.datetime | None:
    """An ISO 8601 date and time with its offset, in UTC; ``None`` for anything else."""
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.datetime.fromisoformat(value)
        if parsed.utcoffset() is None:
            return None
        return parsed.astimezone(datetime.UTC)
    except (ValueError, OverflowError):  # OverflowError: the first or last day of year 1 or 9999
        return None


def checked_plays(
    cluster: LoudspeakerCluster, plays: list[object], now: datetime.datetime
) -> tuple[list[PlayReport], list[dict[str, object]]]:
    """The reports to save, and an error for each invalid field of each play."""
    shas = {
        play["sha256"]
        for play in plays
        if isinstance(play, dict)
        and isinstance(play.get("sha256"), str)
        and SHA256.fullmatch(play["sha256"])
    }
    # Audio made twice from the same inputs is the same file: the newest programme has it.
    known = dict(
        cluster_programmes(cluster)
        .filter(sha256__in=shas)
        .order_by("air_date", "pk")
        .values_list("sha256", "pk")
    )
    reports: list[PlayReport] = []
    errors: list[dict[str, object]] = []

    def error(index: int, field: str | None, message: str) -> None:
        errors.append({"index": index, "field": field, "message": message})

    for index, play in enumerate(plays):
        if not isinstance(play, dict):
            error(index, None, NOT_A_PLAY)
            continue
        sha256, outcome = play.get("sha256"), play.get("outcome")
        started = started_at(play.get("started_at"))
        errors_before = len(errors)
        if not isinstance(sha256, str) or sha256 not in known:
            error(index, "sha256", UNKNOWN_AUDIO)
        if started is None:
            error(index, "started_at", BAD_TIME)
        elif started > now + FUTURE_TOLERANCE:
            error(index, "started_at", AHEAD)
        if outcome not in PlayOutcome.values:
            error(index, "outcome", BAD_OUTCOME)
        if len(errors) == errors_before:
            # Each field was checked above: none was wrong.
            assert isinstance(sha256, str) and started is not None and isinstance(outcome, str)
            reports.append(
                PlayReport(
                    cluster=cluster,
                    programme_id=known[sha256],
                    sha256=sha256,
                    started_at=started,
                    outcome=outcome,
                )
            )
    return reports, errors


def save_plays(cluster: LoudspeakerCluster, reports: list[PlayReport]) -> int:
    """Save the reports not saved before; how many were new."""
    fresh: dict[tuple[str, datetime.datetime], PlayReport] = {}
    for report in reports:
        fresh.setdefault((report.sha256, report.started_at), report)
    with transaction.atomic():
        saved = PlayReport.objects.filter(
            cluster=cluster,
            sha256__in={sha for sha, _ in fresh},
            started_at__in={started for _, started in fresh},
        ).values_list("sha256", "started_at")
        for key in saved:
            fresh.pop(key, None)
        PlayReport.objects.bulk_create(fresh.values(), ignore_conflicts=True)
    return len(fresh)


def declared_length(request: HttpRequest) -> int:
    """The body's length as the request declares it; one that is no number counts as too long."""
    declared = request.headers.get("Content-Length") or "0"
    if not (declared.isascii() and declared.isdigit()) or len(declared) > 15:
        return MAX_PLAYS_BODY + 1
    return int(declared)


@csrf_exempt
@require_POST
def plays(request: HttpRequest) -> HttpResponse:
    """Save the plays a cluster reports, all of them or, if any is invalid, none."""
    cluster = cluster_of(request)
    if cluster is None:
        return unauthorized()
    if declared_length(request) > MAX_PLAYS_BODY:
        return JsonResponse({"error": f"at most {MAX_PLAYS_BODY} bytes"}, status=413)
    try:
        items = reported_plays(request.body)
    except InvalidReport as error:
        return JsonResponse({"error": str(error)}, status=400)
    reports, errors = checked_plays(cluster, items, timezone.now())
    if errors:
        return JsonResponse({"error": INVALID_PLAYS, "errors": errors}, status=400)
    accepted = save_plays(cluster, reports)
    return JsonResponse({"accepted": accepted, "duplicates": len(items) - accepted})
