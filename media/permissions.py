"""Who may see and change recordings and their captions in the admin.

Recordings follow whatever permission policy is registered for them in Wagtail's registry (the
heritage archive registers one that applies cultural protocols); captions follow their recording.
"""

from typing import Any

from django.db.models import QuerySet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry

from media.models import MediaAsset, MediaCaption


def recordings_for(user: Any) -> QuerySet[MediaAsset]:
    """The recordings ``user`` may change."""
    return policy_registry.get_by_type(MediaAsset).instances_user_has_permission_for(user, "change")


class CaptionPermissionPolicy(ModelPermissionPolicy):
    """Model permissions on captions, for the captions of recordings the user may change."""

    def user_has_permission_for_instance(
        self, user: Any, action: str, instance: MediaCaption
    ) -> bool:
        """Django's permission, and the right to change the recording."""
        allowed = super().user_has_permission_for_instance(user, action, instance)
        return allowed and recordings_for(user).filter(pk=instance.asset_id).exists()

    def instances_user_has_any_permission_for(
        self, user: Any, actions: list[str]
    ) -> QuerySet[MediaCaption]:
        """The captions the permission covers, of recordings the user may change."""
        captions = super().instances_user_has_any_permission_for(user, actions)
        return captions.filter(asset__in=recordings_for(user))
