"""Cultural protocols: who may see a heritage record. One rule, used by every surface.

``visible_to(user)`` is the rule, as a database filter, so listings, counts, feeds, sitemaps and
search apply it inside their queries; ``can_view(user, record)`` asks the same filter about one
record. Nothing else decides visibility.

- public: everyone;
- community: members of the record's community groups;
- restricted: cultural officers (the ``heritage.view_restricted_records`` permission);
- secret/sacred: the record's named custodians only.

A record's community narratives and media items carry protocols of their own; they are visible
when both the record and they are.

Cultural officers also see community records, which they catalogue; superusers see everything.
"""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models
from django.utils.translation import gettext_lazy as _

OFFICER_PERMISSION = "heritage.view_restricted_records"


class CulturalProtocol(models.TextChoices):
    """How far a record may travel."""

    PUBLIC = "public", _("Public")
    COMMUNITY = "community", _("Community")
    RESTRICTED = "restricted", _("Restricted: cultural officers")
    SECRET_SACRED = "secret-sacred", _("Secret/sacred: custodians")


def is_officer(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Whether the user works as a cultural officer."""
    return bool(user.is_authenticated and user.has_perm(OFFICER_PERMISSION))


def visible_to(
    user: AbstractBaseUser | AnonymousUser,
    prefix: str = "",
    *,
    members: str = "communities__members",
    custodians: str = "custodians",
) -> models.Q:
    """The rows ``user`` may see under their protocol, as a filter.

    ``prefix`` reaches the protocol through a relation; ``members`` and ``custodians`` are the
    paths (after the prefix) to the users of the community groups the row is shared with and to
    its custodians. A record's narratives and media items pass their own paths.
    """
    protocol = f"{prefix}protocol"
    rule = models.Q(**{protocol: CulturalProtocol.PUBLIC})
    if not user.is_authenticated:
        return rule
    if user.is_superuser:
        return models.Q()
    rule |= models.Q(**{protocol: CulturalProtocol.COMMUNITY, f"{prefix}{members}": user})
    rule |= models.Q(**{protocol: CulturalProtocol.SECRET_SACRED, f"{prefix}{custodians}": user})
    if is_officer(user):
        rule |= models.Q(
            **{f"{protocol}__in": [CulturalProtocol.COMMUNITY, CulturalProtocol.RESTRICTED]}
        )
    return rule


def can_view(user: AbstractBaseUser | AnonymousUser, item: models.Model) -> bool:
    """Whether ``user`` may see ``item`` (a record, narrative or media item): one row asked."""
    return type(item)._default_manager.visible_to(user).filter(pk=item.pk).exists()
