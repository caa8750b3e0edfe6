"""Who may see a record, narrative or media item, as tokens: the protocol rule in a form that
travels with what it protects (a search document, a file kept after its holders are gone) and can
be compared without the database.

A reader's tokens (``user_audience``) meet an item's tokens when ``heritage.protocols.visible_to``
lets the reader see it; the tests check both ways agree for every person and protocol.

- ``public``: everyone;
- ``officers``: cultural officers;
- ``community:<id>``: the members of a community group;
- ``user:<id>``: one person (a custodian).
"""

from collections.abc import Iterable
from typing import Any, TypeVar

from django.contrib.auth.models import AnonymousUser, User

from heritage.models import CommunityNarrative, HeritageRecord, RecordMedia
from heritage.protocols import CulturalProtocol, is_officer

PUBLIC = "public"
OFFICERS = "officers"

_Child = TypeVar("_Child", CommunityNarrative, RecordMedia)


def record_audience(record: HeritageRecord) -> list[str]:
    """Who may see ``record``, as tokens."""
    return protocol_audience(record.protocol, record)


def media_audience(item: RecordMedia) -> list[str]:
    """Who may see a media item by its own protocol (its record's audience applies as well).

    Under the community protocol, its viewers are the record's communities.
    """
    return protocol_audience(item.protocol, item.record)


def narrative_audience(narrative: CommunityNarrative) -> list[str]:
    """Who may see a narrative by its own protocol (its record's audience applies as well).

    Under the community protocol, its viewers are the community telling it.
    """
    if narrative.protocol == CulturalProtocol.COMMUNITY:
        told_by = [f"community:{narrative.community_id}"] if narrative.community_id else []
        return [OFFICERS, *told_by]
    return protocol_audience(narrative.protocol, narrative.record)


def user_audience(user: User | AnonymousUser) -> list[str] | None:
    """The audience tokens ``user`` belongs to; ``None`` for a superuser, who sees everything."""
    if not user.is_authenticated:
        return [PUBLIC]
    if user.is_superuser:
        return None
    tokens = [PUBLIC, f"user:{user.pk}"]
    tokens += [f"community:{pk}" for pk in user.heritage_communities.values_list("pk", flat=True)]
    if is_officer(user):
        tokens.append(OFFICERS)
    return tokens


def protocol_audience(protocol: str, record: HeritageRecord) -> list[str]:
    """The tokens of ``protocol``, with the communities and custodians of ``record``."""
    saved = record.pk is not None
    return audience_of(
        protocol,
        communities=(community.pk for community in record.communities.all()) if saved else (),
        custodians=(custodian.pk for custodian in record.custodians.all()) if saved else (),
    )


def audience_of(protocol: str, communities: Iterable[int], custodians: Iterable[int]) -> list[str]:
    """The tokens of ``protocol`` for a record shared with ``communities`` and kept by
    ``custodians`` (primary keys): the rule itself, for a record that may not be saved yet."""
    if protocol == CulturalProtocol.PUBLIC:
        return [PUBLIC]
    if protocol == CulturalProtocol.COMMUNITY:
        return [OFFICERS, *(f"community:{pk}" for pk in communities)]
    if protocol == CulturalProtocol.RESTRICTED:
        return [OFFICERS]
    return [f"user:{pk}" for pk in custodians]


def both(first: Iterable[str], second: Iterable[str]) -> set[str]:
    """Who is in both audiences, as far as tokens can say: ``public`` is everyone; otherwise the
    tokens the two share (someone holding a different token of each, a custodian who is also an
    officer, is left out, so the answer may be narrower than the truth, never wider)."""
    first, second = set(first), set(second)
    if PUBLIC in first:
        return second
    if PUBLIC in second:
        return first
    return first & second


def sees(reader: Iterable[str] | None, audience: Iterable[str]) -> bool:
    """Whether a reader with tokens ``reader`` (``None``: a superuser) is in ``audience``."""
    return reader is None or bool(set(reader) & set(audience))


def child_audience(record: HeritageRecord, child: CommunityNarrative | RecordMedia) -> list[str]:
    """Who may see a narrative or media item of ``record`` by its own protocol, as tokens."""
    if isinstance(child, CommunityNarrative) and child.protocol == CulturalProtocol.COMMUNITY:
        return narrative_audience(child)
    return protocol_audience(child.protocol, record)


def open_to_record_readers(record: HeritageRecord, child: CommunityNarrative | RecordMedia) -> bool:
    """Whether everyone who may see ``record`` may see its narrative or media item ``child``: a
    narrower part's words, indexed or counted with its record, would reach the record's other
    readers."""
    tokens = set(child_audience(record, child))
    return PUBLIC in tokens or set(record_audience(record)) <= tokens


def visible_children(user: Any, record: HeritageRecord, children: list[_Child]) -> list[_Child]:
    """Those of ``children`` (of a record ``user`` may see, perhaps in a revision) that ``user``
    may see by their own protocol."""
    tokens = user_audience(user)
    return [child for child in children if sees(tokens, child_audience(record, child))]
