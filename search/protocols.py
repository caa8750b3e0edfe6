"""Cultural protocols in search: which documents a reader may find, inside the search query.

The database backends apply ``heritage.protocols.visible_to`` through each document's record
and media item, in the same SQL that matches (whose rows give totals and facets), against the
records as they are now. Elasticsearch cannot join, so documents also carry audience tokens
computed from a record's protocol (``heritage.audience``), and a reader's tokens are matched
against them; the tests check that both ways give the same answer for every person and protocol.
"""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q

from heritage.audience import PUBLIC, narrative_audience
from heritage.models import CommunityNarrative
from heritage.protocols import visible_to


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


def open_to_record_readers(narrative: CommunityNarrative, record_tokens: list[str]) -> bool:
    """Whether everyone who may see the narrative's record may see the narrative too.

    Only such narratives are indexed, inside their record's document: search filters by the
    record, so a narrower narrative's words would otherwise reach the record's other readers.
    """
    tokens = set(narrative_audience(narrative))
    return PUBLIC in tokens or set(record_tokens) <= tokens
