"""Admin for the media app: processing status, re-processing and captions.

Which recordings and captions an editor may list or act on is ``media.permissions``' answer, so
the heritage archive's protocols apply here too.
"""

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from cms.admin_guards import guard_patterns
from media.models import MediaAsset, MediaCaption
from media.permissions import CaptionPermissionPolicy, recordings_for

register_permission_policy(MediaCaption, CaptionPermissionPolicy(MediaCaption), exact_class=True)


@require_POST
def reprocess(request: HttpRequest, asset_id: int) -> HttpResponse:
    """Queue an asset for processing again (after a failure, or new profiles)."""
    asset = get_object_or_404(MediaAsset, pk=asset_id)
    if not recordings_for(request.user).filter(pk=asset.pk).exists():
        return HttpResponse(status=403)
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
    icon = "doc-full"
    menu_label = gettext_lazy("Captions")
    list_display = ["asset", "language"]
    list_filter = ["language"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[MediaCaption]:
        """Captions of the recordings the editor may change."""
        return self.permission_policy.instances_user_has_any_permission_for(
            request.user, ["view", "change", "delete"]
        )

    def get_urlpatterns(self) -> list[URLPattern]:
        """Every URL naming a caption answers only editors of its recording."""
        return guard_patterns(
            super().get_urlpatterns(),
            lambda request, pk: self.get_queryset(request).filter(pk=pk).exists(),
        )


register_snippet(MediaCaptionViewSet)
