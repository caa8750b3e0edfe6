"""Admin for commune loudspeakers: clusters with their device tokens, and programmes.

Saving a programme queues its rendering (``outreach.tasks.queue_rendering``); its page then
shows what was measured, the running order, or which clip stopped it and why. A cluster's token
is shown once, when issued; issuing another or revoking it locks the old one out at once.
"""

import re
from typing import Any

from django import forms
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    ObjectList,
    PageChooserPanel,
)
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup
from wagtailmedia.edit_handlers import MediaChooserPanel

from cms.languages import django_languages
from outreach.models import LoudspeakerCluster, Programme

CHANGE_CLUSTERS = "outreach.change_loudspeakercluster"
TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


class ClusterForm(WagtailAdminModelForm):
    """A cluster's languages as choices and its times as text, "06:00, 17:00"."""

    languages = forms.MultipleChoiceField(
        label=gettext_lazy("languages"),
        choices=django_languages(),
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("The languages its programmes are aired in."),
    )
    times = forms.CharField(
        label=gettext_lazy("broadcast times"),
        help_text=gettext_lazy("Daily, local time, separated by commas, e.g. 06:00, 17:00."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["times"] = ", ".join(self.instance.times)

    def clean_times(self) -> list[str]:
        """Each time as HH:MM, in order, once."""
        times = set()
        for text in filter(None, (part.strip() for part in self.cleaned_data["times"].split(","))):
            match = TIME.match(text)
            if match is None:
                raise ValidationError(
                    _("“%(time)s” is not a time of day like 06:00.") % {"time": text}
                )
            times.add(f"{int(match[1]):02d}:{match[2]}")
        if not times:
            raise ValidationError(_("Give at least one time of day."))
        return sorted(times)


class ClusterViewSet(SnippetViewSet):
    """The loudspeaker clusters of communes."""

    model = LoudspeakerCluster
    icon = "radio-full"
    list_display = ["name", "token_issued_at"]
    search_fields = ["name"]
    edit_handler = ObjectList(
        [FieldPanel("name"), FieldPanel("communes"), FieldPanel("languages"), FieldPanel("times")],
        base_form_class=ClusterForm,
    )


class ProgrammeViewSet(SnippetViewSet):
    """The loudspeaker programmes; saving one renders it in the background."""

    model = Programme
    icon = "media"
    list_display = ["title", "air_date", "state", "urgent", "duration", "loudness"]
    list_filter = ["state", "urgent"]
    search_fields = ["title"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "title",
        "air_date",
        "urgent",
        "state",
        "problem_messages",
        "duration",
        "loudness",
        "true_peak",
        "loudness_range",
        "running_order",
        "sha256",
    ]
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("title"), FieldPanel("air_date")]),
            FieldPanel("urgent"),
            FieldPanel("communes"),
            FieldRowPanel(
                [
                    MediaChooserPanel("intro", media_type="audio"),
                    MediaChooserPanel("outro", media_type="audio"),
                ]
            ),
            FieldPanel("gap_seconds"),
            InlinePanel(
                "items",
                label=gettext_lazy("Item"),
                heading=gettext_lazy("Running order"),
                panels=[
                    PageChooserPanel("article", page_type="cms.ArticlePage"),
                    FieldPanel("language"),
                    MediaChooserPanel("recording", media_type="audio"),
                ],
            ),
        ]
    )


class LoudspeakerViewSetGroup(SnippetViewSetGroup):
    """The loudspeakers menu."""

    menu_label = gettext_lazy("Loudspeakers")
    menu_icon = "radio-full"
    menu_order = 335
    items = (ProgrammeViewSet, ClusterViewSet)


@permission_required(CHANGE_CLUSTERS, raise_exception=True)
def cluster_token(request: HttpRequest, pk: int) -> HttpResponse:
    """A cluster's token: a page to issue or revoke it (GET), issuing one shown once (POST)."""
    cluster = get_object_or_404(LoudspeakerCluster, pk=pk)
    token = ""
    if request.method == "POST":
        token = cluster.issue_token()
    return TemplateResponse(
        request,
        "outreach/admin/cluster_token.html",
        {"cluster": cluster, "token": token, "page_title": cluster.name},
    )


@require_POST
@permission_required(CHANGE_CLUSTERS, raise_exception=True)
def revoke_cluster_token(request: HttpRequest, pk: int) -> HttpResponse:
    """Lock the cluster's device out until a new token is issued."""
    cluster = get_object_or_404(LoudspeakerCluster, pk=pk)
    cluster.revoke_token()
    messages.success(request, _("The token of “%(name)s” is revoked.") % {"name": cluster.name})
    return redirect(reverse("outreach_cluster_token", args=[cluster.pk]))
