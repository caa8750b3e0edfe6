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

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from heritage.models import CommunityNarrative, HeritageRecord, RecordMedia
from heritage.protocols import CulturalProtocol, is_officer

PUBLIC = "public"
OFFICERS = "officers"


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


def user_audience(user: AbstractBaseUser | AnonymousUser) -> list[str] | None:
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
    if protocol == CulturalProtocol.PUBLIC:
        return [PUBLIC]
    if protocol == CulturalProtocol.COMMUNITY:
        communities = record.communities.values_list("pk", flat=True)
        return [OFFICERS, *(f"community:{pk}" for pk in communities)]
    if protocol == CulturalProtocol.RESTRICTED:
        return [OFFICERS]
    return [f"user:{pk}" for pk in record.custodians.values_list("pk", flat=True)]
