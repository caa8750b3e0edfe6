"""The abuse screening of residents' submissions: straight to its office, or to moderation.

``screen`` never refuses and never drops anything: it returns a ``Verdict``, and the caller
holds a suspicious submission for a moderator with its reasons
(``outreach.feedback.Received.held_because``). The rules, each a stable reason code:

* ``honeypot``: the form's hidden field, which people never see, was filled in;
* ``links``: more than ``MAX_LINKS`` links to sites other than the government's (addresses,
  bare domains such as ``abc.com``, also written ``abc[.]com``), or any link that hides where
  it leads or who is behind it (a URL shortener, a Telegram, Zalo or WhatsApp link, an
  ``@handle``); an e-mail address is not a link;
* ``repeated``: a character or a few words repeated absurdly, or the same text (compared
  folded) sent again within a day from the same client address or phone;
* ``classifier``: the spam classifier (``outreach.spam_model``) scores it at least
  ``SPAM_THRESHOLD``;
* ``rate``: more submissions from one client address or one phone than ``RATE_LIMITS``.

Counts and texts already seen are kept in the default cache, which every process shares in
production (Redis). They are kept under keyed hashes, never the address, number or text.
"""

import time
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlsplit

import regex
from django.core.cache import caches
from django.utils.crypto import salted_hmac

from cms.languages import get_language
from cms.text import nfc
from outreach.spam_model import SPAM_THRESHOLD, spam_score
from search.analysis import fold


class Reason(StrEnum):
    """Why a submission is held for moderation, as stored with it."""

    HONEYPOT = "honeypot"
    LINKS = "links"
    REPEATED = "repeated"
    CLASSIFIER = "classifier"
    RATE = "rate"


@dataclass(frozen=True)
class Verdict:
    """The screening of one submission: the reasons to hold it (none to pass it), and the
    classifier's score, from 0 (genuine) to 1 (spam)."""

    reasons: tuple[str, ...]
    score: float

    @property
    def suspicious(self) -> bool:
        """Whether the submission goes to moderation rather than to its office."""
        return bool(self.reasons)


MAX_LINKS = 1
"""Links to sites other than the government's that a submission may hold: a resident may point
to a photo or a news report, comment spam lists several."""

OFFICIAL_DOMAINS = ("gov.vn", "chinhphu.vn")
"""Links to these domains and their subdomains are never counted; the government portal,
chinhphu.vn, is outside gov.vn."""

HIDING_HOSTS = frozenset(
    {
        # URL shorteners
        "bit.ly",
        "cutt.ly",
        "goo.gl",
        "is.gd",
        "ow.ly",
        "rb.gy",
        "rebrand.ly",
        "s.id",
        "shorturl.at",
        "t.co",
        "t.ly",
        "tiny.cc",
        "tinyurl.com",
        # messengers' invitations
        "m.me",
        "t.me",
        "telegram.me",
        "wa.me",
        "zalo.me",
    }
)
"""Sites whose links hide where they lead or who is behind them: one is enough to hold a
submission."""

TOP_LEVEL_DOMAINS = frozenset(
    {
        "app",
        "asia",
        "bet",
        "biz",
        "casino",
        "cc",
        "click",
        "club",
        "co",
        "com",
        "fun",
        "game",
        "games",
        "icu",
        "info",
        "io",
        "life",
        "link",
        "live",
        "ly",
        "me",
        "net",
        "online",
        "org",
        "pro",
        "shop",
        "site",
        "store",
        "top",
        "tv",
        "vip",
        "vn",
        "win",
        "ws",
        "xyz",
    }
)
"""The endings that make ``name.ending`` a bare domain. Shorter than the real list, so that
ordinary abbreviations ("TP.HCM", "v.v.") are not taken for domains."""

_DOT = r"(?:\.|\[\.\]|\(\.\)|\[dot\]|\(dot\))"
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_URL = regex.compile(r"(?:https?://|www\.)[^\s<>\"']+", regex.IGNORECASE)
_ENDING = "|".join(sorted(TOP_LEVEL_DOMAINS, key=lambda ending: (-len(ending), ending)))
_DOMAIN = regex.compile(
    rf"(?<![\w@.-])((?:{_LABEL}{_DOT})+(?:{_ENDING}))(?![\w-])[^\s<>\"']*",
    regex.IGNORECASE,
)
_OBFUSCATED_DOT = regex.compile(r"\[\.\]|\(\.\)|\[dot\]|\(dot\)", regex.IGNORECASE)
_HANDLE = regex.compile(r"(?<![\w.])@[a-z0-9_]{4,}", regex.IGNORECASE)
_TRAILING_PUNCTUATION = ".,;:!?)]}»”’'\""

LONGEST_RUN = 20
"""A character repeated this many times in a row is absurd (rules drawn with - _ = . * ~ #
in a signature are not counted)."""
_RUN = regex.compile(rf"(?![\s\-_=.*~#])(\X)\1{{{LONGEST_RUN - 1},}}")

MOST_REPEATS = 6
"""A word, or a phrase of up to ``LONGEST_REPEATED_PHRASE`` words, said this many times in a row
is absurd."""
LONGEST_REPEATED_PHRASE = 4
_WORD = regex.compile(r"[\p{L}\p{N}][\p{L}\p{M}\p{N}']*")

DUPLICATE_SECONDS = 24 * 3600
"""How long a text is remembered for ``repeated``."""

RATE_LIMITS = ((10 * 60, 5), (24 * 3600, 20))
"""(seconds, most submissions) from one client address or one phone. Windows are fixed (a day
is a calendar day in UTC), so up to twice a limit can pass across a window's end."""

_KEY_PREFIX = "outreach.abuse"


def screen(
    text: str, *, language: str, honeypot: str = "", client: str = "", phone_hash: str = ""
) -> Verdict:
    """Screen one submission, and count it: call once per submission received.

    ``language`` is the code of the language the resident writes in (``KeyError`` for one we
    do not serve); the rules and the classifier read every script the same way. ``honeypot``
    is the hidden form field's value. ``client`` is the sender's address as
    ``cms.login_throttling.client_ip_address`` reads it; ``phone_hash`` a keyed hash of the
    sender's phone number. Either may be empty (an e-mail has no client address); with
    neither, nothing is counted or remembered. The whole text is read: capping its length is
    the channel's part (the web form allows ``outreach.feedback_forms.MAX_TEXT``).
    """
    get_language(language)
    text = nfc(text)
    words = _WORD.findall(fold(text))
    senders = [
        (kind, value) for kind, value in (("client", client), ("phone", phone_hash)) if value
    ]
    reasons: list[str] = []
    if honeypot.strip():
        reasons.append(Reason.HONEYPOT)
    if _too_many_links(text):
        reasons.append(Reason.LINKS)
    repeated = bool(words) and _sent_before(" ".join(words), senders)
    if repeated or _repeats_absurdly(text, words):
        reasons.append(Reason.REPEATED)
    score = spam_score(text)
    if score >= SPAM_THRESHOLD:
        reasons.append(Reason.CLASSIFIER)
    if _over_rate(senders):
        reasons.append(Reason.RATE)
    return Verdict(tuple(reasons), score)


def _too_many_links(text: str) -> bool:
    """Whether ``text`` links elsewhere than the government more than ``MAX_LINKS`` times, or
    links anywhere through a site that hides the destination or the person."""
    hosts = [_host(match[0]) for match in _URL.finditer(text)]
    rest = _URL.sub(" ", text)
    hosts += [_OBFUSCATED_DOT.sub(".", match[1]).lower() for match in _DOMAIN.finditer(rest)]
    others = [host for host in hosts if not _official(host)]
    if any(host in HIDING_HOSTS for host in others) or _HANDLE.search(rest):
        return True
    return len(others) > MAX_LINKS


def _host(url: str) -> str:
    """The host name of a URL as written in text, ``www.`` left out."""
    url = url.rstrip(_TRAILING_PUNCTUATION)
    if "://" not in url:
        url = f"http://{url}"
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.")


def _official(host: str) -> bool:
    """Whether ``host`` is a government site."""
    return any(host == domain or host.endswith(f".{domain}") for domain in OFFICIAL_DOMAINS)


def _repeats_absurdly(text: str, words: list[str]) -> bool:
    """Whether a character of ``text`` runs ``LONGEST_RUN`` times, or a phrase of its folded
    ``words`` is said ``MOST_REPEATS`` times in a row."""
    if _RUN.search(text):
        return True
    for length in range(1, LONGEST_REPEATED_PHRASE + 1):
        # A phrase of ``length`` words said n times in a row: a stretch where each word equals
        # the one ``length`` before it, (n - 1) * length words long.
        stretch = 0
        for index in range(length, len(words)):
            stretch = stretch + 1 if words[index] == words[index - length] else 0
            if stretch >= (MOST_REPEATS - 1) * length:
                return True
    return False


def _sent_before(folded: str, senders: list[tuple[str, str]]) -> bool:
    """Whether any of ``senders`` sent the ``folded`` text within ``DUPLICATE_SECONDS``;
    remembers it for each of them."""
    cache = caches["default"]
    first_times = [
        cache.add(f"{_KEY_PREFIX}:text:{_digest(kind, value, folded)}", 1, DUPLICATE_SECONDS)
        for kind, value in senders
    ]
    return not all(first_times)


def _over_rate(senders: list[tuple[str, str]]) -> bool:
    """Count a submission from each of ``senders``; whether any has passed a limit."""
    now = time.time()
    over = False
    for kind, value in senders:
        sender = _digest(kind, value)
        for seconds, most in RATE_LIMITS:
            window = int(now // seconds)
            count = _count(f"{_KEY_PREFIX}:rate:{seconds}:{window}:{sender}", seconds)
            over = over or count > most
    return over


def _count(key: str, seconds: int) -> int:
    """Add one to the counter ``key``, kept ``seconds``, atomically where the cache can (Redis
    and the local-memory cache; the database cache counts with a read and a write)."""
    cache = caches["default"]
    cache.add(key, 0, seconds)
    try:
        return cache.incr(key)
    except ValueError:  # evicted between the two calls
        cache.set(key, 1, seconds)
        return 1


def _digest(*parts: str) -> str:
    """A keyed hash of ``parts`` for a cache key: addresses, numbers and texts are not kept."""
    return salted_hmac(_KEY_PREFIX, "\n".join(parts), algorithm="sha256").hexdigest()
