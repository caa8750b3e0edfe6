"""Admin for the media app: processing status, re-processing and captions.

Which recordings and captions an editor may list or act on is ``media.permissions``' answer, so
the heritage archive's protocols apply here too.
"""

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.images import get_image_model
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from cms.admin_choices import VisibleChooserViewSet
from cms.admin_guards import guard_admin_namespace
from cms.admin_visibility import register_visibility, visible_instances
from media.models import MediaAsset, MediaCaption
from media.permissions import CaptionPermissionPolicy, recordings_for

register_permission_policy(MediaCaption, CaptionPermissionPolicy(MediaCaption), exact_class=True)


@require_POST
def reprocess(request: HttpRequest, asset_id: int) -> HttpResponse:
    """Queue an asset for processing again (after a failure, or new profiles); one the editor
    may not change is answered like a missing one."""
    asset = get_object_or_404(recordings_for(request.user), pk=asset_id)
    asset.mark_for_processing()
    asset.save(update_fields=["status", "error_code", "error_params", "attempts"])
    messages.success(request, _("“%(title)s” will be processed again.") % {"title": asset.title})
    return redirect(reverse("media_processing"))


def processing_report(request: HttpRequest) -> HttpResponse:
    """Every upload with its processing status and, if it failed, why."""
    assets = recordings_for(request.user).order_by("-created_at").prefetch_related("renditions")
    assets = assets[:200]
    return TemplateResponse(request, "media/admin/processing.html", {"assets": assets})


@hooks.register("register_admin_urls")
def media_admin_urls() -> list:
    """The processing report and the re-process action."""
    return [
        path("media-processing/", processing_report, name="media_processing"),
        path("media-processing/<int:asset_id>/reprocess/", reprocess, name="media_reprocess"),
    ]


@hooks.register("register_admin_menu_item")
def processing_menu_item() -> MenuItem:
    """A menu entry for the processing report."""
    return MenuItem(
        gettext_lazy("Media processing"), reverse("media_processing"), icon_name="media", order=310
    )


class MediaCaptionViewSet(SnippetViewSet):
    """WebVTT caption files, one per language of a recording."""

    model = MediaCaption
    chooser_viewset_class = VisibleChooserViewSet
    icon = "doc-full"
    menu_label = gettext_lazy("Captions")
    list_display = ["asset", "language"]
    list_filter = ["language"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[MediaCaption]:
        """Captions of the recordings the editor may change."""
        return self.permission_policy.instances_user_has_any_permission_for(
            request.user, ["view", "change", "delete"]
        )


def visible_captions(user: Any) -> QuerySet[MediaCaption]:
    """Captions are seen by whoever may see their recording."""
    recordings = visible_instances(user, MediaAsset)
    captions = MediaCaption.objects.all()
    return captions if recordings is None else captions.filter(asset__in=recordings)


register_snippet(MediaCaptionViewSet)
register_visibility(MediaCaption, visible_captions)
for viewset in (MediaCaption.snippet_viewset, MediaCaption.snippet_viewset.chooser_viewset):  # type: ignore[attr-defined]  # set by register_snippet
    guard_admin_namespace(viewset.url_namespace, lambda: MediaCaption, "pk")
# The admin's own URLs naming images and recordings, by the arguments they name them with.
guard_admin_namespace("wagtailimages", get_image_model, "image_id")
guard_admin_namespace("wagtailimages_chooser", get_image_model, "pk", "image_id")
guard_admin_namespace("wagtailadmin_api:images", get_image_model, "pk")
guard_admin_namespace("wagtailmedia", lambda: MediaAsset, "media_id")
