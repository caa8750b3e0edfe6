"""What a bulletin's readers would get, before it is sent: each language's text on each of its
channels, the size of its SMS with and without marks, and how many it reaches.

The audience is counted by channel and by language, never listed: no person appears, and no
person beside their language.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import get_language as active_language
from django.utils.translation import gettext_lazy as _

from cms.formatting import format_moment
from cms.languages import DEFAULT_LANGUAGE, LANGUAGE_CODES, get_language
from outreach import sms
from outreach.audience import Addressing, audience_counts
from outreach.bulletins import ALL_CHANNELS, VIETNAM, long_text, short_text
from outreach.links import footer
from outreach.models import Bulletin, BulletinText, Channel

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

PERSONAL_LINK = _("[the reader's own link]")
"""Stands for the links to stop or change a subscription, which are each reader's own."""


@dataclass(frozen=True)
class ChannelText:
    """What one channel carries: a subject (e-mail, push) and a text."""

    channel: str
    label: "StrOrPromise"
    subject: str
    text: str


@dataclass(frozen=True)
class LanguagePreview:
    """A bulletin in one language, on each of its channels, with the SMS size of its short
    text as written and without marks."""

    language: str
    name: str
    channels: list[ChannelText]
    written: sms.SmsSize
    folded: sms.SmsSize


@dataclass(frozen=True)
class LanguageCount:
    """How many of the audience read a language, and whether they get the Vietnamese."""

    name: str
    count: int
    gets_vietnamese: bool


@dataclass(frozen=True)
class AudiencePreview:
    """How many contacts a bulletin reaches, by channel and by language."""

    by_channel: list[tuple["StrOrPromise", int]]
    by_language: list[LanguageCount]


def language_name(code: str) -> str:
    """A language as officers see it: its own name and its code, ``ភាសាខ្មែរ (km)``."""
    return f"{get_language(code).name_native} ({code})"


def in_vietnam_time(moment: datetime.datetime) -> str:
    """``moment`` as Vietnam's clocks show it, whatever time zone the officer's profile names."""
    with timezone.override(VIETNAM):
        return format_moment(moment, active_language() or DEFAULT_LANGUAGE)


def ordered_channels(channels: Iterable[str]) -> list[str]:
    """``channels`` in the order the admin shows them: e-mail, SMS, push, Zalo."""
    chosen = set(channels)
    return [channel for channel in ALL_CHANNELS if channel in chosen]


def texts_preview(bulletin: Bulletin, texts: Iterable[BulletinText]) -> list[LanguagePreview]:
    """Each text of ``bulletin`` (saved or not) as its channels carry it, Vietnamese first."""
    order = {code: index for index, code in enumerate(LANGUAGE_CODES)}
    previews = []
    for text in sorted(texts, key=lambda text: order[text.language]):
        carried = []
        for channel in ordered_channels(bulletin.channels):
            if channel in (Channel.SMS, Channel.ZALO):
                subject, body = "", short_text(bulletin, text)
            elif channel == Channel.PUSH:
                subject, body = text.title, long_text(text)
            else:
                subject = text.title
                ending = footer(text.language, PERSONAL_LINK, PERSONAL_LINK)
                body = f"{long_text(text)}\n\n{ending}"
            carried.append(ChannelText(channel, Channel(channel).label, subject, body))
        previews.append(
            LanguagePreview(
                language=text.language,
                name=language_name(text.language),
                channels=carried,
                written=sms.size(text.short),
                folded=sms.size(sms.fold(text.short)),
            )
        )
    return previews


def audience_preview(to: Bulletin | Addressing, written: Iterable[str]) -> AudiencePreview:
    """How many contacts ``to`` reaches on each of its channels and in each language; those
    whose language is not among ``written`` get the Vietnamese."""
    counts = audience_counts(to)
    written = set(written)
    return AudiencePreview(
        by_channel=[
            (Channel(channel).label, counts["channel"].get(channel, 0))
            for channel in ordered_channels(to.channels)
        ],
        by_language=[
            LanguageCount(
                name=language_name(code),
                count=counts["language"][code],
                gets_vietnamese=code != DEFAULT_LANGUAGE and code not in written,
            )
            for code in LANGUAGE_CODES
            if code in counts["language"]
        ],
    )
