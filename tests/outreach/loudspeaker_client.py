"""A loudspeaker cluster's device, over real HTTP, as ``outreach.loudspeaker_api`` describes it.

It pulls its schedule, downloads each programme's audio the way a device on a poor link would
(the first kilobyte, then the rest under ``If-Range`` so a file changed in between is sent
whole), checks the size and SHA-256 the schedule promised, "plays" each broadcast when it is
due (waiting through ``wait_until``, which a test makes a clock it moves) and reports what it
played. A download that does not match is never played: it is reported ``failed``.
"""

import datetime
import hashlib
import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone

SCHEDULE = "/outreach/loudspeakers/schedule.json"
PLAYS = "/outreach/loudspeakers/plays.json"
FIRST_BYTES = 1024


@dataclass
class Answer:
    """An HTTP answer: status, headers (names in lower case) and body."""

    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> object:
        return json.loads(self.body)


@dataclass
class Download:
    """How the audio of one programme came down."""

    sha256: str
    statuses: list[int] = field(default_factory=list)
    received: int = 0
    problem: str = ""

    @property
    def ok(self) -> bool:
        return not self.problem


@dataclass
class Played:
    """One broadcast the device played."""

    title: str
    sha256: str
    starts_at: datetime.datetime
    urgent: bool


@dataclass
class DeviceRun:
    """What one run of the device saw and did."""

    schedule: dict
    downloads: dict[str, Download]
    played: list[Played]
    reported: list[dict]
    report_answer: Answer


def wait_in_real_time(when: datetime.datetime) -> None:
    """Sleep until ``when``, as a device in the field does."""
    time.sleep(max(0.0, (when - timezone.now()).total_seconds()))


class LoudspeakerDevice:
    """The device of one cluster, talking to the server at ``base_url``."""

    def __init__(
        self,
        base_url: str,
        token: str,
        wait_until: Callable[[datetime.datetime], None] = wait_in_real_time,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.wait_until = wait_until
        # No proxy from the environment: the server is on this machine.
        self.opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def request(
        self, method: str, url: str, headers: dict[str, str] | None = None, body: bytes = b""
    ) -> Answer:
        """One request with the token; an error status is an answer too."""
        if url.startswith("/"):
            url = self.base_url + url
        sent = {"Authorization": f"Bearer {self.token}", **(headers or {})}
        request = urllib.request.Request(url, data=body or None, headers=sent, method=method)
        try:
            with self.opener.open(request, timeout=30) as response:
                return Answer(response.status, lower(response.headers), response.read())
        except urllib.error.HTTPError as error:
            with error:
                return Answer(error.code, lower(error.headers), error.read())

    def schedule(self, etag: str = "") -> Answer:
        """The schedule, or a 304 if ``etag`` is still its version."""
        return self.request("GET", SCHEDULE, {"If-None-Match": etag} if etag else {})

    def download(self, broadcast: dict) -> tuple[bytes, Download]:
        """The broadcast's audio, the first kilobyte first, checked against the schedule."""
        done = Download(broadcast["sha256"])
        first = self.request("GET", broadcast["url"], {"Range": f"bytes=0-{FIRST_BYTES - 1}"})
        done.statuses.append(first.status)
        audio = first.body
        if first.status == 206:
            total = int(first.headers["content-range"].rsplit("/", 1)[1])
            if len(audio) < total:
                rest = self.request(
                    "GET",
                    broadcast["url"],
                    {"Range": f"bytes={len(audio)}-", "If-Range": first.headers["etag"]},
                )
                done.statuses.append(rest.status)
                if rest.status == 206:
                    expected = f"bytes {len(audio)}-{total - 1}/{total}"
                    if rest.headers.get("content-range") != expected:
                        done.problem = f"unexpected range {rest.headers.get('content-range')}"
                    audio += rest.body
                elif rest.status == 200:  # the file changed: it came whole
                    audio = rest.body
                else:
                    done.problem = f"HTTP {rest.status}"
        elif first.status != 200:
            done.problem = f"HTTP {first.status}"
        done.received = len(audio)
        if not done.problem and len(audio) != broadcast["bytes"]:
            done.problem = f"{len(audio)} bytes, {broadcast['bytes']} expected"
        elif not done.problem and hashlib.sha256(audio).hexdigest() != broadcast["sha256"]:
            done.problem = "SHA-256 does not match"
        return audio, done

    def report(self, plays: list[dict]) -> Answer:
        """Report ``plays``."""
        body = json.dumps({"plays": plays}).encode()
        return self.request("POST", PLAYS, {"Content-Type": "application/json"}, body)

    def run(self) -> DeviceRun:
        """Pull, download, play when due, report."""
        schedule = self.schedule().json()
        downloads: dict[str, Download] = {}
        for broadcast in schedule["broadcasts"]:
            if broadcast["sha256"] not in downloads:
                _audio, downloads[broadcast["sha256"]] = self.download(broadcast)
        played, reported = [], []
        for broadcast in schedule["broadcasts"]:
            starts_at = datetime.datetime.fromisoformat(broadcast["starts_at"])
            self.wait_until(starts_at)
            ok = downloads[broadcast["sha256"]].ok
            if ok:
                played.append(
                    Played(broadcast["title"], broadcast["sha256"], starts_at, broadcast["urgent"])
                )
            reported.append(
                {
                    "sha256": broadcast["sha256"],
                    "started_at": broadcast["starts_at"],
                    "outcome": "played" if ok else "failed",
                }
            )
        return DeviceRun(schedule, downloads, played, reported, self.report(reported))


def lower(headers: object) -> dict[str, str]:
    """Header names in lower case (one value each, the last)."""
    return {name.lower(): value for name, value in headers.items()}
