"""Admin for the media app: processing status, re-processing and captions."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from media.models import MediaAsset, MediaCaption

CHANGE_PERMISSION = f"{MediaAsset._meta.app_label}.change_{MediaAsset._meta.model_name}"


@require_POST
def reprocess(request: HttpRequest, asset_id: int) -> HttpResponse:
    """Queue an asset for processing again (after a failure, or new profiles)."""
    asset = get_object_or_404(MediaAsset, pk=asset_id)
    if not request.user.has_perm(CHANGE_PERMISSION):
        return HttpResponse(status=403)
    asset.mark_for_processing()
    asset.save(update_fields=["status", "error_code", "error_params", "attempts"])
    messages.success(request, _("“%(title)s” will be processed again.") % {"title": asset.title})
    return redirect(reverse("media_processing"))


def processing_report(request: HttpRequest) -> HttpResponse:
    """Every upload with its processing status and, if it failed, why."""
    assets = MediaAsset.objects.order_by("-created_at").prefetch_related("renditions")[:200]
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


register_snippet(MediaCaptionViewSet)
