"""The admin report of what readers search for."""

from typing import Any

from django.http import HttpRequest
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from search import views


class QueryReportMenuItem(MenuItem):
    """Shown to those allowed to read the query log."""

    def is_shown(self, request: HttpRequest) -> bool:
        """Whether the user may see the report."""
        return request.user.has_perm("search.view_querylog")


@hooks.register("register_admin_urls")
def register_report_url() -> list[URLPattern]:
    """The report's admin URL."""
    return [path("reports/search-queries/", views.query_report, name="search_query_report")]


@hooks.register("register_reports_menu_item")
def register_report_menu_item() -> Any:
    """The report under Reports."""
    return QueryReportMenuItem(
        _("Search queries"), reverse("search_query_report"), icon_name="search", order=900
    )
