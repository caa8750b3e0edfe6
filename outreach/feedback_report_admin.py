"""The offices' figures in the admin: a chart of the last twelve months and the table of every
month, office, topic and language (``outreach.feedback_reports``), over the submissions the
user may see."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cms.charts import bar_chart_svg
from cms.languages import django_languages
from cms.topics import Topic
from outreach import handling
from outreach.feedback_reports import by_month, report
from outreach.handling_admin import may_use_queue


@require_GET
def questions_report(request: HttpRequest) -> HttpResponse:
    """Received, answered, overdue and the median days to answer, for the user's offices (all
    of them for a coordinator)."""
    if not may_use_queue(request.user):
        raise PermissionDenied
    rows = report(handling.visible_to(request.user))
    chart = bar_chart_svg(
        by_month(rows), (_("Received"), _("Answered")), _("Submissions received and answered")
    )
    topics = dict(Topic.choices)
    languages = dict(django_languages())
    shown = [(row, topics.get(row.topic, ""), languages.get(row.language, "")) for row in rows]
    return TemplateResponse(
        request, "outreach/admin/questions_report.html", {"rows": shown, "chart": chart}
    )
