"""Cultural protocols: who may see a heritage record. One rule, used by every surface.

``visible_to(user)`` is the rule, as a database filter, so listings, counts, feeds, sitemaps and
search apply it inside their queries; ``can_view(user, record)`` asks the same filter about one
record. Nothing else decides visibility.

- public: everyone;
- community: members of the record's community groups;
- restricted: cultural officers (the ``heritage.view_restricted_records`` permission);
- secret/sacred: the record's named custodians only.

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


def visible_to(user: AbstractBaseUser | AnonymousUser, prefix: str = "") -> models.Q:
    """The records ``user`` may see, as a filter; ``prefix`` reaches them through a relation."""
    protocol = f"{prefix}protocol"
    rule = models.Q(**{protocol: CulturalProtocol.PUBLIC})
    if not user.is_authenticated:
        return rule
    if user.is_superuser:
        return models.Q()
    rule |= models.Q(
        **{protocol: CulturalProtocol.COMMUNITY, f"{prefix}communities__members": user}
    )
    rule |= models.Q(**{protocol: CulturalProtocol.SECRET_SACRED, f"{prefix}custodians": user})
    if is_officer(user):
        rule |= models.Q(
            **{f"{protocol}__in": [CulturalProtocol.COMMUNITY, CulturalProtocol.RESTRICTED]}
        )
    return rule


def can_view(user: AbstractBaseUser | AnonymousUser, record: models.Model) -> bool:
    """Whether ``user`` may see ``record``: the same filter, asked about one row."""
    return type(record)._default_manager.filter(visible_to(user), pk=record.pk).exists()
