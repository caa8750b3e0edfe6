"""Who may list, open, change and choose records, images and recordings in the admin.

Wagtail decides these by model permission (records) and by collection (images and recordings). The
archive narrows that: a record kept from the editor, and an image or recording they may not see
(``heritage.file_audience``: one only media items kept from them hold, a secret/sacred photograph or
a community's recording, or one kept for others after its holders went), are as absent for them in
the admin as on the site. Files are refused anyway (``heritage.media_access``); these policies keep
titles out of the library listings, searches, edit and usage pages (where another object's usage
names a record, the record shows as private), choosers and the admin API.

A file also used by a media item the editor may see stays available: choosing it there was an
editor's decision to show it.
"""

from typing import Any

from django.db.models import Model, QuerySet
from wagtail.images import get_image_model
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permission_policies.collections import CollectionOwnershipPermissionPolicy
from wagtail.permissions import policy_registry, register_permission_policy

from cms.admin_visibility import register_visibility
from heritage.file_audience import visible_files
from heritage.models import HeritageRecord
from heritage.protocols import can_view
from media.models import MediaAsset


class RecordPermissionPolicy(ModelPermissionPolicy):
    """Model permissions on records, for the records the user may see only."""

    def user_has_permission_for_instance(self, user: Any, action: str, instance: Model) -> bool:
        """Django's permission, and the record's protocol."""
        return super().user_has_permission_for_instance(user, action, instance) and can_view(
            user, instance
        )

    def instances_user_has_any_permission_for(self, user: Any, actions: list[str]) -> QuerySet:
        """The records the permission covers that the user may see."""
        records = super().instances_user_has_any_permission_for(user, actions)
        return records.filter(pk__in=HeritageRecord.objects.visible_to(user).values("pk"))


class ProtocolAwarePermissionPolicy(CollectionOwnershipPermissionPolicy):
    """Wagtail's collection permissions, less the files cultural protocols keep from the user."""

    def __init__(self, model: type[Model], auth_model: str, field: str) -> None:
        super().__init__(model, auth_model=auth_model, owner_field_name="uploaded_by_user")
        self.field = field

    def instances_visible_to(self, user: Any) -> QuerySet:
        """The files protocols let ``user`` see."""
        return visible_files(user, self.field)

    def is_hidden(self, user: Any, instance: Model) -> bool:
        """Whether protocols keep ``instance`` from ``user``."""
        return not self.instances_visible_to(user).filter(pk=instance.pk).exists()

    def user_has_any_permission_for_instance(
        self, user: Any, actions: list[str], instance: Model
    ) -> bool:
        """Wagtail's answer, and no for a file kept from the user."""
        allowed = super().user_has_any_permission_for_instance(user, actions, instance)
        return allowed and not self.is_hidden(user, instance)

    def instances_user_has_any_permission_for(self, user: Any, actions: list[str]) -> QuerySet:
        """Wagtail's listing, less the files kept from the user."""
        instances = super().instances_user_has_any_permission_for(user, actions)
        return instances.filter(pk__in=self.instances_visible_to(user).values("pk"))


class ProtocolAwareImagesAdminAPIViewSet(ImagesAdminAPIViewSet):
    """The admin API's images (used by rich text and choosers), less those kept from the user."""

    def get_queryset(self) -> QuerySet:
        """Only images the user may see."""
        visible = visible_files(self.request.user, "image")
        return super().get_queryset().filter(pk__in=visible.values("pk"))


def register_policies() -> None:
    """Put the protocol-aware policies in Wagtail's registry for records, images and recordings,
    and their visibility rules where the whole admin asks (``cms.admin_visibility``).

    wagtailmedia's views still hold policies of their own (its ``permission_checker`` objects and
    admin URL finder) rather than asking the registry; until they do, they are given ours.
    """
    from wagtailmedia import wagtail_hooks as media_hooks
    from wagtailmedia.views import chooser as media_chooser
    from wagtailmedia.views import media as media_views

    image_policy = ProtocolAwarePermissionPolicy(get_image_model(), "wagtailimages.Image", "image")
    media_policy = ProtocolAwarePermissionPolicy(MediaAsset, "wagtailmedia.Media", "media")
    # For the exact classes, which the registry prefers whichever app registered first.
    register_permission_policy(
        HeritageRecord, RecordPermissionPolicy(HeritageRecord), exact_class=True
    )
    register_permission_policy(get_image_model(), image_policy, exact_class=True)
    register_permission_policy(MediaAsset, media_policy, exact_class=True)
    for checker in (media_views.permission_checker, media_chooser.permission_checker):
        checker.__dict__["policy"] = policy_registry.get_by_type(MediaAsset)
    media_hooks.permission_policy = media_policy
    media_hooks.MediaAdminURLFinder.permission_policy = media_policy
    register_visibility(HeritageRecord, HeritageRecord.objects.visible_to)
    register_visibility(get_image_model(), image_policy.instances_visible_to)
    register_visibility(MediaAsset, media_policy.instances_visible_to)
