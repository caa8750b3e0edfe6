"""Wagtail's reports, dashboard panels and snippet counts, less the objects an editor may not see.

Wagtail lists log entries, workflow states and tasks by content type and model permission, and
counts every snippet. These versions leave out rows naming objects hidden from the editor
(``cms.admin_visibility``), so a report never shows the title of something its reader could not
open. ``urlpatterns`` puts the reports at Wagtail's own addresses, ahead of Wagtail's views.
"""

from typing import Any

from django.db.models import QuerySet
from django.urls import path
from wagtail.admin.views.home import (
    UserObjectsInWorkflowModerationPanel,
    WorkflowObjectsToModeratePanel,
)
from wagtail.admin.views.reports.audit_logging import LogEntriesView
from wagtail.admin.views.reports.workflows import WorkflowTasksView, WorkflowView
from wagtail.snippets.views.snippets import ModelIndexView

from cms.admin_visibility import hidden_references, is_visible


class VisibleLogEntriesView(LogEntriesView):
    """Site history without entries about hidden objects."""

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        """The report's filters, and the editor's protocols on entries naming an object."""
        queryset = super().filter_queryset(queryset)
        fields = {field.name for field in queryset.model._meta.get_fields()}
        if {"content_type", "object_id"} <= fields:
            queryset = queryset.filter(hidden_references(self.request.user))
        return queryset


class VisibleWorkflowView(WorkflowView):
    """The workflow report without hidden objects."""

    def get_queryset(self) -> QuerySet:
        """Wagtail's workflow states, less those of objects hidden from the editor."""
        hidden = hidden_references(self.request.user, "base_content_type", "object_id")
        return super().get_queryset().filter(hidden)


class VisibleWorkflowTasksView(WorkflowTasksView):
    """The workflow task report without hidden objects."""

    def get_queryset(self) -> QuerySet:
        """Wagtail's task states, less those of objects hidden from the editor."""
        hidden = hidden_references(
            self.request.user, "workflow_state__base_content_type", "workflow_state__object_id"
        )
        return super().get_queryset().filter(hidden)


def shown(user: Any, obj: Any) -> bool:
    """Whether ``user`` may see ``obj`` (a page or snippet in a workflow)."""
    return obj is not None and is_visible(user, type(obj), obj.pk)


class VisibleObjectsInModerationPanel(UserObjectsInWorkflowModerationPanel):
    """ "Your pages and snippets in a workflow", less those the editor may no longer see."""

    def get_context_data(self, parent_context: Any) -> dict[str, Any]:
        """Wagtail's list, filtered."""
        context = super().get_context_data(parent_context)
        user = parent_context["request"].user
        states = context["workflow_states"]
        context["workflow_states"] = [
            state for state in states if shown(user, state.content_object)
        ]
        return context


class VisibleObjectsToModeratePanel(WorkflowObjectsToModeratePanel):
    """ "Awaiting your review", less what the reviewer may not see."""

    def get_context_data(self, parent_context: Any) -> dict[str, Any]:
        """Wagtail's list, filtered."""
        context = super().get_context_data(parent_context)
        user = parent_context["request"].user
        context["states"] = [state for state in context["states"] if shown(user, state["obj"])]
        return context


def replace_moderation_panels(request: Any, panels: list[Any]) -> None:
    """The dashboard's workflow panels, filtered (a ``construct_homepage_panels`` hook)."""
    replacements = {
        UserObjectsInWorkflowModerationPanel: VisibleObjectsInModerationPanel,
        WorkflowObjectsToModeratePanel: VisibleObjectsToModeratePanel,
    }
    for index, panel in enumerate(panels):
        if type(panel) in replacements:
            panels[index] = replacements[type(panel)]()


class VisibleModelIndexView(ModelIndexView):
    """The snippets index, counting what each snippet listing lists for the editor."""

    def _get_snippet_types(self) -> list[dict[str, Any]]:
        types = super()._get_snippet_types()
        for snippet_type in types:
            model = snippet_type["model"]
            listed = model.snippet_viewset.get_queryset(self.request)
            snippet_type["count"] = (model._default_manager if listed is None else listed).count()
        return types


urlpatterns = [
    path("reports/workflow/", VisibleWorkflowView.as_view()),
    path("reports/workflow/results/", VisibleWorkflowView.as_view(results_only=True)),
    path("reports/workflow_tasks/", VisibleWorkflowTasksView.as_view()),
    path("reports/workflow_tasks/results/", VisibleWorkflowTasksView.as_view(results_only=True)),
    path("reports/site-history/", VisibleLogEntriesView.as_view()),
    path("reports/site-history/results/", VisibleLogEntriesView.as_view(results_only=True)),
    path("snippets/", VisibleModelIndexView.as_view()),
]
"""Ahead of Wagtail's admin URLs (``cms.urls``)."""
