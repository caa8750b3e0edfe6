"""Cultural protocols in search: which documents a reader may find, inside the search query.

The database backends apply ``heritage.protocols.visible_to`` through each document's record
and media item, in the same SQL that matches (whose rows give totals and facets), against the
records as they are now. Elasticsearch cannot join, so documents also carry audience tokens
computed from a record's protocol, and a reader's tokens are matched against them; the tests
check that both ways give the same answer for every person and protocol.
"""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q

from heritage.models import CommunityNarrative, HeritageRecord, RecordMedia
from heritage.protocols import CulturalProtocol, is_officer, visible_to

PUBLIC = "public"
OFFICERS = "officers"


def visible_documents(user: AbstractBaseUser | AnonymousUser, prefix: str = "") -> Q:
    """The documents ``user`` may find; ``prefix`` reaches the document through a relation.

    Content outside the archive is public. Heritage documents need their record published and
    visible to the reader, and a media item's document its item visible too: the protocol rule
    itself, applied through the document's record and media item.
    """
    record, item = f"{prefix}record", f"{prefix}media_item"
    record_rule = visible_to(user, prefix=f"{record}__") & Q(**{f"{record}__live": True})
    item_rule = visible_to(user, prefix=f"{item}__", record="record__")
    return (Q(**{f"{record}__isnull": True}) | record_rule) & (
        Q(**{f"{item}__isnull": True}) | item_rule
    )


def record_audience(record: HeritageRecord) -> list[str]:
    """Who may see ``record``, as tokens: ``public``, ``officers``, ``community:<id>``,
    ``user:<id>``."""
    return _audience(record.protocol, record)


def media_audience(item: RecordMedia) -> list[str]:
    """Who may see a media item by its own protocol (its record's audience applies as well).

    Under the community protocol, its viewers are the record's communities.
    """
    return _audience(item.protocol, item.record)


def narrative_audience(narrative: CommunityNarrative) -> list[str]:
    """Who may see a narrative by its own protocol (its record's audience applies as well).

    Under the community protocol, its viewers are the community telling it.
    """
    if narrative.protocol == CulturalProtocol.COMMUNITY:
        told_by = [f"community:{narrative.community_id}"] if narrative.community_id else []
        return [OFFICERS, *told_by]
    return _audience(narrative.protocol, narrative.record)


def open_to_record_readers(narrative: CommunityNarrative, record_tokens: list[str]) -> bool:
    """Whether everyone who may see the narrative's record may see the narrative too.

    Only such narratives are indexed, inside their record's document: search filters by the
    record, so a narrower narrative's words would otherwise reach the record's other readers.
    """
    tokens = set(narrative_audience(narrative))
    return PUBLIC in tokens or set(record_tokens) <= tokens


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


def _audience(protocol: str, record: HeritageRecord) -> list[str]:
    """The tokens of a protocol, with the communities and custodians of ``record``."""
    if protocol == CulturalProtocol.PUBLIC:
        return [PUBLIC]
    if protocol == CulturalProtocol.COMMUNITY:
        communities = record.communities.values_list("pk", flat=True)
        return [OFFICERS, *(f"community:{pk}" for pk in communities)]
    if protocol == CulturalProtocol.RESTRICTED:
        return [OFFICERS]
    return [f"user:{pk}" for pk in record.custodians.values_list("pk", flat=True)]
