"""Writing bulletins in the admin, and an article's bulletin seen before the article goes out.

A bulletin written here is a draft: the approval on its page sends it (at its time, if it has
one), with a second person's approval when it reaches many. An article's bulletin is shown as
publishing would make it, from the article's latest draft, and nothing is saved.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from cms.models import ArticlePage
from outreach.bulletin_forms import BulletinForms
from outreach.bulletin_preview import audience_preview, texts_preview
from outreach.bulletins import article_bulletin, article_texts
from outreach.models import Bulletin, BulletinState, Channel


def _write(request: HttpRequest, bulletin: Bulletin) -> HttpResponse:
    forms = BulletinForms(request.POST if request.method == "POST" else None, instance=bulletin)
    if request.method == "POST":
        if forms.is_valid():
            saved = forms.save(request.user)
            return redirect(reverse("outreach_bulletin", args=[saved.pk]))
        messages.error(request, _("The bulletin was not saved: correct what is marked below."))
    context = {"forms": forms, "bulletin": bulletin if bulletin.pk else None}
    return TemplateResponse(request, "outreach/admin/bulletin_form.html", context)


@permission_required("outreach.add_bulletin", raise_exception=True)
def bulletin_create(request: HttpRequest) -> HttpResponse:
    """Write a new bulletin; saved as a draft, it opens on its page with its preview."""
    return _write(request, Bulletin())


@permission_required("outreach.change_bulletin", raise_exception=True)
def bulletin_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a draft bulletin; one already approved or sent is no longer changed."""
    return _write(request, get_object_or_404(Bulletin, pk=pk, state=BulletinState.DRAFT))


def article_bulletin_preview(request: HttpRequest, page_id: int) -> HttpResponse:
    """What publishing the article would send, from its latest draft, to those who can edit
    it: each language on each channel, SMS sizes, and the audience counted. Saves nothing."""
    page = get_object_or_404(ArticlePage, pk=page_id)
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    if page.topic not in settings.BANLANG_OUTREACH["NOTIFYING_TOPICS"]:
        raise Http404
    draft = page.get_latest_revision_as_object()
    bulletin = article_bulletin(draft)
    texts = article_texts(draft)
    context = {
        "page": page,
        "bulletin": bulletin,
        "previews": texts_preview(bulletin, texts),
        "audience": audience_preview(bulletin, [text.language for text in texts]),
        "sms": Channel.SMS in bulletin.channels,
        "already_made": Bulletin.objects.filter(page=page).exists(),
    }
    return TemplateResponse(request, "outreach/admin/article_bulletin.html", context)
