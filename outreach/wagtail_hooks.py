"""Admin for the outreach app: the bulletins, the outbox, an article's bulletin seen from its
editor, and the offices that answer residents with the rules that route to them."""

from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import path, reverse
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button
from wagtail.models import Page
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from cms.models import ArticlePage
from outreach import (
    bulletin_admin,
    bulletin_editor,
    feedback_report_admin,
    handling_admin,
    loudspeaker_admin,
    open_data_admin,
    page_views,
    paper_form_admin,
    tasks,
)
from outreach.admin_views import outbox_report
from outreach.models import LoudspeakerCluster, Office, Programme, RoutingRule


@hooks.register("register_admin_urls")
def outreach_admin_urls() -> list:
    """The outbox report and the bulletins."""
    return [
        path("outbox/", outbox_report, name="outreach_outbox"),
        path("bulletins/", bulletin_admin.bulletin_list, name="outreach_bulletins"),
        path("bulletins/<int:pk>/", bulletin_admin.bulletin_detail, name="outreach_bulletin"),
        path("bulletins/<int:pk>/send/", bulletin_admin.approve, name="outreach_bulletin_send"),
        path(
            "bulletins/<int:pk>/resend/",
            bulletin_admin.resend_failed,
            name="outreach_bulletin_resend",
        ),
        path("bulletins/new/", bulletin_editor.bulletin_create, name="outreach_bulletin_new"),
        path(
            "bulletins/<int:pk>/edit/", bulletin_editor.bulletin_edit, name="outreach_bulletin_edit"
        ),
        path(
            "bulletins/article/<int:page_id>/",
            bulletin_editor.article_bulletin_preview,
            name="outreach_article_bulletin",
        ),
        path("outreach/paper-form/", paper_form_admin.paper_form, name="outreach_paper_form"),
        path(
            "outreach/paper-form/<str:token>/",
            paper_form_admin.paper_form_entered,
            name="outreach_paper_form_entered",
        ),
    ]


class PermissionMenuItem(MenuItem):
    """Shown to those with ``permission``."""

    def __init__(self, *args: object, permission: str, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request: HttpRequest) -> bool:
        return request.user.has_perm(self.permission)


@hooks.register("register_admin_menu_item")
def outbox_menu_item() -> MenuItem:
    """A menu entry for the outbox."""
    return PermissionMenuItem(
        gettext_lazy("Outbox"),
        reverse("outreach_outbox"),
        icon_name="mail",
        order=320,
        permission="outreach.view_message",
    )


@hooks.register("register_admin_menu_item")
def bulletins_menu_item() -> MenuItem:
    """A menu entry for the bulletins."""
    return PermissionMenuItem(
        gettext_lazy("Bulletins"),
        reverse("outreach_bulletins"),
        icon_name="list-ul",
        order=315,
        permission="outreach.view_bulletin",
    )


@hooks.register("register_admin_menu_item")
def paper_form_menu_item() -> MenuItem:
    """A menu entry for entering a resident's paper form."""
    return PermissionMenuItem(
        gettext_lazy("Paper forms"),
        reverse("outreach_paper_form"),
        icon_name="doc-full",
        order=325,
        permission="outreach.add_subscriber",
    )


@hooks.register("register_page_header_buttons")
def article_bulletin_button(
    page: Page, user: object, view_name: str, next_url: str | None = None
) -> Iterator[Button]:
    """In the editor of an article whose topic notifies, for those who may edit it: a link to
    the bulletin publishing would send."""
    if (
        view_name == "edit"
        and isinstance(page, ArticlePage)
        and page.topic in settings.BANLANG_OUTREACH["NOTIFYING_TOPICS"]
        and page.permissions_for_user(user).can_edit()
    ):
        yield Button(
            gettext_lazy("Bulletin preview"),
            reverse("outreach_article_bulletin", args=[page.pk]),
            icon_name="mail",
            priority=90,
        )


class OfficeViewSet(SnippetViewSet):
    """The offices that answer residents' questions."""

    model = Office
    icon = "group"
    list_display = ["name", "place", "parent", "group", "remote"]
    search_fields = ["name"]


class RoutingRuleViewSet(SnippetViewSet):
    """Which office a topic and place route to."""

    model = RoutingRule
    icon = "redirect"
    list_display = ["topic", "place", "office"]
    list_filter = ["topic", "office"]


class QuestionsViewSetGroup(SnippetViewSetGroup):
    """The residents' questions menu."""

    menu_label = gettext_lazy("Residents' questions")
    menu_icon = "help"
    menu_order = 330
    items = (OfficeViewSet, RoutingRuleViewSet)


register_snippet(QuestionsViewSetGroup)


@hooks.register("register_admin_urls")
def questions_admin_urls() -> list:
    """The offices' queue of residents' submissions, each submission's page, and the offices'
    figures."""
    return [
        path("questions/", handling_admin.queue, name="outreach_questions"),
        path("questions/<int:pk>/", handling_admin.question, name="outreach_question"),
        path(
            "questions/report/",
            feedback_report_admin.questions_report,
            name="outreach_questions_report",
        ),
    ]


class QuestionsMenuItem(MenuItem):
    """Shown to those with a queue of residents' submissions: coordinators and the staff of
    any office."""

    def is_shown(self, request: HttpRequest) -> bool:
        return handling_admin.may_use_queue(request.user)


@hooks.register("register_admin_menu_item")
def questions_menu_item() -> MenuItem:
    """A menu entry for the queue of residents' submissions."""
    return QuestionsMenuItem(
        gettext_lazy("Questions"), reverse("outreach_questions"), icon_name="help", order=328
    )


register_snippet(loudspeaker_admin.LoudspeakerViewSetGroup)


@hooks.register("register_admin_urls")
def loudspeaker_admin_urls() -> list:
    """A cluster's device token: issued once, revoked."""
    return [
        path(
            "loudspeakers/clusters/<int:pk>/token/",
            loudspeaker_admin.cluster_token,
            name="outreach_cluster_token",
        ),
        path(
            "loudspeakers/clusters/<int:pk>/token/revoke/",
            loudspeaker_admin.revoke_cluster_token,
            name="outreach_revoke_cluster_token",
        ),
    ]


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def render_saved_programme(request: HttpRequest, instance: object) -> None:
    """A programme saved in the admin is rendered again in the background."""
    if isinstance(instance, Programme):
        tasks.queue_rendering(instance)


@hooks.register("register_snippet_listing_buttons")
def cluster_token_button(
    snippet: object, user: Any, next_url: str | None = None
) -> Iterator[Button]:
    """A cluster's device token page, from the clusters' list."""
    if isinstance(snippet, LoudspeakerCluster) and user.has_perm(loudspeaker_admin.CHANGE_CLUSTERS):
        yield Button(
            gettext_lazy("Device token"),
            reverse("outreach_cluster_token", args=[snippet.pk]),
            icon_name="key",
            priority=30,
        )


@hooks.register("before_serve_page")
def count_page_view(page: Page, request: HttpRequest, serve_args: list, serve_kwargs: dict) -> None:
    """Mark a reader's request for a page, to be counted once answered (``outreach.page_views``)."""
    page_views.mark(page, request)


@hooks.register("register_admin_urls")
def open_data_admin_urls() -> list:
    """The open data dashboard and its "publish now"."""
    return open_data_admin.urlpatterns


@hooks.register("register_admin_menu_item")
def open_data_menu_item() -> MenuItem:
    """A menu entry for the open data dashboard."""
    return PermissionMenuItem(
        gettext_lazy("Open data"),
        reverse("outreach_open_data"),
        icon_name="table",
        order=330,
        permission="outreach.view_bulletin",
    )
