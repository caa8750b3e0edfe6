"""Cultural protocols in search: which documents a reader may find, inside the search query.

The database backends apply ``heritage.protocols.visible_to`` through each document's record
and media item, in the same SQL that matches (whose rows give totals and facets), against the
records as they are now. Elasticsearch cannot join, so documents also carry audience tokens
computed from a record's protocol (``heritage.audience``), and a reader's tokens are matched
against them; the tests check that both ways give the same answer for every person and protocol.
"""

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q

from heritage.protocols import visible_to


def visible_documents(user: User | AnonymousUser, prefix: str = "") -> Q:
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
