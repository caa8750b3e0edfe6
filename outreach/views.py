"""The public pages of subscriptions, each working without JavaScript.

Links in messages carry signed tokens; a token that is forged, expired or names what is no
longer there is answered with the site's own 404, like any missing page. No page is kept by a
cache or by the offline reader (``never_cache``): they hold a person's data or a form's token.
"""

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from cms.languages import CONTENT_LANGUAGES
from cms.text_language import reading_code
from outreach import lifecycle, links, subscriptions, tasks
from outreach.forms import CodeForm, FindForm, ManageForm, ProvinceForm, SubscribeForm
from outreach.models import ConsentMethod, Contact, Subscriber
from outreach.privacy import subscriber_export

PENDING_SALT = "outreach.pending"
PENDING_MAX_AGE = 24 * 3600
"""How long the page that waits for a confirmation code stays reachable."""
ONE_CLICK = "List-Unsubscribe=One-Click"
"""The body an RFC 8058 one-click unsubscribe POST carries."""


def site_url(request: HttpRequest) -> str:
    """The site's address as ``request`` reached it, for the links in messages."""
    return f"{request.scheme}://{request.get_host()}"


@never_cache
@require_http_methods(["GET", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    """Step one chooses the province (``?province=``); step two the rest, and subscribes."""
    chooser = ProvinceForm(request.GET if "province" in request.GET else None)
    if not chooser.is_valid():
        return render(request, "outreach/subscribe.html", {"chooser": chooser})
    province = chooser.cleaned_data["province"]
    initial = {"language": reading_code()}
    form = SubscribeForm(
        request.POST if request.method == "POST" else None, initial=initial, province=province
    )
    if request.method == "POST" and form.is_valid():
        subscriber = subscriptions.subscribe(
            form.subscription(), ConsentMethod.WEB, site_url(request)
        )
        token = signing.dumps(str(subscriber.public_id), salt=PENDING_SALT)
        return redirect(reverse("outreach:pending", args=[token]))
    status = 400 if request.method == "POST" else 200
    context = {
        "chooser": chooser,
        "province": province,
        "form": form,
        "languages": CONTENT_LANGUAGES,
        "push_key": settings.BANLANG_OUTREACH["PUSH"]["VAPID_PUBLIC_KEY"],
    }
    return render(request, "outreach/subscribe.html", context, status=status)


def _pending_subscriber(token: str) -> Subscriber:
    try:
        public_id = signing.loads(token, salt=PENDING_SALT, max_age=PENDING_MAX_AGE)
    except signing.BadSignature as error:
        raise Http404 from error
    subscriber = Subscriber.objects.filter(public_id=public_id).first()
    if subscriber is None:
        raise Http404
    return subscriber


def code_step(request: HttpRequest, contacts: list[Contact]) -> tuple[CodeForm | None, bool, bool]:
    """The form for the code of the first of ``contacts`` still waiting for one, and what came
    of a code entered: ``(form, refused, confirmed)``."""
    waiting = subscriptions.waiting_for_code(contacts)
    if waiting is None:
        return None, False, False
    form = CodeForm(request.POST if request.method == "POST" else None, channel=waiting.channel)
    if not form.is_valid():
        return form, False, False
    try:
        subscriptions.confirm_code(waiting.address_hash, form.cleaned_data["code"])
    except subscriptions.CodeRefused:
        return form, True, False
    return form, False, True


@never_cache
@require_http_methods(["GET", "POST"])
def pending(request: HttpRequest, token: str) -> HttpResponse:
    """What is waiting for confirmation; the codes sent by SMS and Zalo are entered here, one
    after the other."""
    subscriber = _pending_subscriber(token)
    contacts = list(subscriber.contacts.all())
    form, refused, confirmed = code_step(request, contacts)
    if confirmed:
        return redirect(reverse("outreach:pending", args=[token]))
    context = {
        "contacts": contacts,
        "form": form,
        "refused": refused,
        "manage_token": (
            links.manage_token(subscriber)
            if any(contact.is_confirmed for contact in contacts)
            else ""
        ),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "outreach/pending.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def find(request: HttpRequest) -> HttpResponse:
    """Ask for the way back to one's subscription by the number or address it was made with.

    Answered alike whether or not that number or address is subscribed (the same redirect, or
    the same refusal past ``FIND_PER_HOUR``): nobody learns who subscribed.
    """
    form = FindForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        address = form.cleaned_data["contact"]
        if subscriptions.asked_too_often(address):
            context = {"form": FindForm(), "too_often": True}
            return render(request, "outreach/find.html", context, status=429)
        hashes = subscriptions.way_back_hashes(address, by_email=form.by_email)
        base = site_url(request)
        transaction.on_commit(lambda: tasks.send_way_back.enqueue(hashes, base))
        if form.by_email:
            return redirect(reverse("outreach:find_sent"))
        return redirect(reverse("outreach:find_code", args=[subscriptions.find_token(address)]))
    status = 400 if request.method == "POST" else 200
    return render(request, "outreach/find.html", {"form": form}, status=status)


@never_cache
@require_http_methods(["GET"])
def find_sent(request: HttpRequest) -> HttpResponse:
    """What follows asking by e-mail address: look for the link."""
    return render(request, "outreach/find_sent.html")


@never_cache
@require_http_methods(["GET", "POST"])
def find_code(request: HttpRequest, token: str) -> HttpResponse:
    """The code sent to a number opens its subscriber's page; any other code is refused, alike
    for a number that is not subscribed."""
    hashes = subscriptions.hashes_for_find_token(token)
    if hashes is None:
        raise Http404
    form = CodeForm(request.POST if request.method == "POST" else None, channel="")
    refused = False
    if request.method == "POST" and form.is_valid():
        try:
            subscriber = subscriptions.subscriber_for_code(hashes, form.cleaned_data["code"])
        except subscriptions.CodeRefused:
            refused = True
        else:
            manage = links.manage_token(subscriber)
            return redirect(reverse("outreach:manage", args=[manage]))
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "refused": refused}
    return render(request, "outreach/find_code.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def confirm_link(request: HttpRequest, token: str) -> HttpResponse:
    """The link sent by e-mail or Zalo: a button that confirms (a mail scanner's or a link
    preview's GET changes nothing)."""
    if request.method == "GET":
        channel = subscriptions.confirm_link_channel(token)
        if channel is None:
            raise Http404
        return render(request, "outreach/confirm.html", {"token": token, "channel": channel})
    contact = subscriptions.confirm_link(token)
    if contact is None:
        raise Http404
    manage = links.manage_token(contact.subscriber)
    return render(request, "outreach/confirmed.html", {"manage_token": manage})


@never_cache
@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest, token: str) -> HttpResponse:
    """The subscriber's own page: what is kept about them, to correct, export or erase."""
    subscriber = links.subscriber_for_token(token)
    if subscriber is None:
        raise Http404
    chooser = ProvinceForm(request.GET if "province" in request.GET else None)
    province = chooser.cleaned_data["province"] if chooser.is_valid() else subscriber.province
    form = ManageForm(
        request.POST if request.method == "POST" else None,
        subscriber=subscriber,
        province=province,
    )
    saved = False
    if request.method == "POST" and form.is_valid():
        form.save()
        saved = True
    context = {
        "subscriber": subscriber,
        "languages": CONTENT_LANGUAGES,
        "chooser": ProvinceForm(initial={"province": province}),
        "province": province,
        "contacts": subscriber.contacts.all(),
        "consents": subscriber.consents.filter(withdrawn_at__isnull=True),
        "form": form,
        "saved": saved,
        "token": token,
    }
    status = 400 if request.method == "POST" and not saved else 200
    return render(request, "outreach/manage.html", context, status=status)


@never_cache
def export(request: HttpRequest, token: str) -> HttpResponse:
    """The subscriber's data as JSON, for them to keep or take elsewhere."""
    subscriber = links.subscriber_for_token(token)
    if subscriber is None:
        raise Http404
    response = JsonResponse(subscriber_export(subscriber), json_dumps_params={"indent": 2})
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="ban-lang-{stamp}.json"'
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def erase(request: HttpRequest, token: str) -> HttpResponse:
    """Delete everything about the subscriber, after a confirming button."""
    subscriber = links.subscriber_for_token(token)
    if subscriber is None:
        raise Http404
    if request.method == "GET":
        return render(request, "outreach/erase.html", {"token": token})
    lifecycle.erase(subscriber)
    return render(request, "outreach/erased.html")


@never_cache
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The link in every message. ``GET`` asks; ``POST`` withdraws: the page's button, or a mail
    service's RFC 8058 one-click request (no cookies, so no CSRF token: the signed token is
    the proof)."""
    contact = links.contact_for_unsubscribe_token(token)
    if contact is None:
        raise Http404
    if request.method == "GET":
        return render(request, "outreach/unsubscribe.html", {"contact": contact, "token": token})
    method = ConsentMethod.EMAIL if request.body == ONE_CLICK.encode() else ConsentMethod.WEB
    lifecycle.withdraw(contact, method)
    return render(request, "outreach/unsubscribed.html")
