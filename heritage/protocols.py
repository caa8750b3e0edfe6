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

from typing import Protocol, cast

from django.apps import apps
from django.contrib.auth.models import AnonymousUser, User
from django.db import models
from django.utils.translation import gettext_lazy as _

OFFICER_PERMISSION = "heritage.view_restricted_records"


class CulturalProtocol(models.TextChoices):
    """How far a record may travel."""

    PUBLIC = "public", _("Public")
    COMMUNITY = "community", _("Community")
    RESTRICTED = "restricted", _("Restricted: cultural officers")
    SECRET_SACRED = "secret-sacred", _("Secret/sacred: custodians")


def is_officer(user: User | AnonymousUser) -> bool:
    """Whether the user works as a cultural officer."""
    return bool(user.is_authenticated and user.has_perm(OFFICER_PERMISSION))


def visible_to(
    user: User | AnonymousUser,
    prefix: str = "",
    *,
    record: str = "",
    community: str | None = None,
) -> models.Q:
    """The rows ``user`` may see under their protocol, as a filter.

    ``prefix`` is the path to the row whose ``protocol`` decides; ``record`` the path from that
    row to its heritage record (empty for a record, ``record__`` for a narrative or media item).
    Under the community protocol, the row is for the communities its record is shared with, or,
    when ``community`` names a community group field of the row itself (a narrative's teller),
    for that community.

    Memberships are asked with small subqueries rather than joins, so the filter never repeats
    a row and a listing needs no ``DISTINCT``. A signed-in reader's rule is one ``CASE`` on the
    protocol rather than an ``OR``: SQLite answers an ``OR`` of indexed terms by gathering row
    ids from each index and then reading every row, where one expression lets it walk a single
    index in order (an officer's newest twenty records: 0.6 ms instead of 19.5 over 20,000).
    """
    protocol = f"{prefix}protocol"
    rule = models.Q(**{protocol: CulturalProtocol.PUBLIC})
    if not user.is_authenticated:
        return rule
    if user.is_superuser:
        return models.Q()
    records = apps.get_model("heritage", "HeritageRecord")
    groups = apps.get_model("heritage", "CommunityGroup")
    record_pk = f"{prefix}{record}pk__in"
    own_groups = groups.members.through.objects.filter(user=user).values("communitygroup_id")
    if community is None:
        shared = records.communities.through.objects.filter(communitygroup_id__in=own_groups)
        in_community = models.Q(**{record_pk: shared.values("heritagerecord_id")})
    else:
        in_community = models.Q(**{f"{prefix}{community}__in": own_groups})
    kept = records.custodians.through.objects.filter(user=user).values("heritagerecord_id")
    if is_officer(user):
        seen = [CulturalProtocol.COMMUNITY, CulturalProtocol.RESTRICTED]
        shared_rule = models.Q(**{f"{protocol}__in": seen})
    else:
        shared_rule = models.Q(**{protocol: CulturalProtocol.COMMUNITY}) & in_community
    allowed = models.Case(
        models.When(rule, then=True),
        models.When(shared_rule, then=True),
        models.When(
            models.Q(**{protocol: CulturalProtocol.SECRET_SACRED, record_pk: kept}), then=True
        ),
        default=False,
        output_field=models.BooleanField(),
    )
    return models.Q(allowed)


class _VisibleRows(Protocol):
    """The default manager of records, narratives and media items."""

    def visible_to(self, user: User | AnonymousUser) -> models.QuerySet: ...


def can_view(user: User | AnonymousUser, item: models.Model) -> bool:
    """Whether ``user`` may see ``item`` (a record, narrative or media item): one row asked."""
    # The stubs type every model's default manager as a plain Manager.
    manager = cast(_VisibleRows, type(item)._default_manager)
    return manager.visible_to(user).filter(pk=item.pk).exists()
