"""Admin for the outreach app: the outbox."""

from django.http import HttpRequest
from django.urls import path, reverse
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from outreach.admin_views import outbox_report


@hooks.register("register_admin_urls")
def outreach_admin_urls() -> list:
    """The outbox report."""
    return [path("outbox/", outbox_report, name="outreach_outbox")]


class OutboxMenuItem(MenuItem):
    """Shown to those who may read the outbox."""

    def is_shown(self, request: HttpRequest) -> bool:
        return request.user.has_perm("outreach.view_message")


@hooks.register("register_admin_menu_item")
def outbox_menu_item() -> MenuItem:
    """A menu entry for the outbox."""
    return OutboxMenuItem(
        gettext_lazy("Outbox"), reverse("outreach_outbox"), icon_name="mail", order=320
    )
