"""The open data dashboard in the admin: the same charts as the public page, when each dataset
was last published, and a button to publish now rather than wait for the night's run.

For outreach officers (``outreach.view_bulletin``, with access to the admin); no permission of
its own. ``outreach.wagtail_hooks`` registers ``urlpatterns`` and the menu item.
"""

from django.contrib.auth.decorators import permission_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from wagtail.admin import messages

from outreach import open_data
from outreach.open_data_sets import DATASETS
from outreach.open_data_tasks import publish_open_data
from outreach.open_data_views import entries

PERMISSION = "outreach.view_bulletin"


@require_GET
@permission_required(PERMISSION, raise_exception=True)
def dashboard(request: HttpRequest) -> HttpResponse:
    """Every dataset with its last publication, its chart and the table of its figures."""
    failed = {name for name in DATASETS if open_data.failed(name)}
    return TemplateResponse(
        request, "outreach/admin/open_data.html", {"entries": entries(), "failed": failed}
    )


@require_POST
@permission_required(PERMISSION, raise_exception=True)
def publish_now(request: HttpRequest) -> HttpResponse:
    """Queue a publication of every dataset once this request's transaction commits."""
    transaction.on_commit(lambda: publish_open_data.enqueue())
    messages.success(request, _("Publication queued: the datasets are updated in a moment."))
    return redirect("outreach_open_data")


urlpatterns = [
    path("open-data/", dashboard, name="outreach_open_data"),
    path("open-data/publish/", publish_now, name="outreach_open_data_publish"),
]
