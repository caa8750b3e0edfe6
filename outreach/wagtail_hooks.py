"""Admin for the outreach app: the bulletins and the outbox."""

from django.http import HttpRequest
from django.urls import path, reverse
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from outreach import bulletin_admin
from outreach.admin_views import outbox_report


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
