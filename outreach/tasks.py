"""Background work of the outreach app: bulletins from articles, their outbox, their sending.

One message a person waits for is sent by ``outreach.outbox.deliver_message``; everything else
by ``send_outbox`` and ``manage.py send_outbox``."""

from collections.abc import Sequence

from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from cms.models import ArticlePage
from outreach import (
    bulletins,
    delivery,
    digests,
    feedback_files,
    loudspeakers,
    page_views,
    sms,
    subscriptions,
)
from outreach.models import Bulletin, BulletinState, Programme, ProgrammeState, SubmissionFile

SENDERS = 2
"""Sending tasks queued per bulletin: one per worker process that should share the work."""
URGENT_PRIORITY = 50
"""Urgent bulletins' tasks go before every other task waiting (django-tasks' -100…100)."""
SENDING_SECONDS = 300
"""How long one sending task goes on before it hands over to a new one, so other tasks (an
urgent bulletin's, a page's rendering) get a worker in between."""


@task()
def send_outbox(channels: list[str] | None = None) -> int:
    """Send what is due in the outbox (``outreach.delivery.send_due``) for a while, then queue
    the rest to a new task; how many messages were sent. Marks the bulletins it finished."""
    sent = delivery.send_due(channels=channels, seconds=SENDING_SECONDS)
    bulletins.finish_sent()
    runner = send_outbox
    due = delivery.next_due(channels)
    if due is not None and due > timezone.now():
        # Held by the quiet hours or a retry's backoff: a worker takes it up when due, where
        # the backend can wait (``manage.py send_outbox`` does in any case).
        if not runner.get_backend().supports_defer:
            return sent
        runner = send_outbox.using(run_after=due)
    if due is not None:
        transaction.on_commit(lambda: runner.enqueue(channels))
    return sent


def enqueue_sending(urgent: bool = False) -> None:
    """Queue ``SENDERS`` sending tasks once the current transaction commits."""
    runner = send_outbox.using(priority=URGENT_PRIORITY if urgent else 0)
    for _ in range(SENDERS):
        transaction.on_commit(lambda: runner.enqueue(None))


@task()
def send_way_back(hashes: Sequence[Sequence[str]], site_url: str) -> None:
    """``outreach.subscriptions.send_way_back`` in the background: the request that asked
    answers before anyone looks whether the number or address is known."""
    subscriptions.send_way_back([(channel, value) for channel, value in hashes], site_url=site_url)


@task()
def send_digest() -> int:
    """Make the digest of what was published since the last one (``outreach.digests``) and
    queue its sending; how many messages it made."""
    digest = digests.build_digest()
    made = digest.messages.count() if digest else 0
    if made:
        enqueue_sending()
    return made


@task()
def build_bulletin(bulletin_pk: int) -> int:
    """Build an approved bulletin's outbox and queue its sending; how many messages it made."""
    bulletin = Bulletin.objects.get(pk=bulletin_pk)
    if bulletin.state not in (BulletinState.SCHEDULED, BulletinState.SENDING):
        return 0
    created = bulletins.build_outbox(bulletin)
    if created:
        enqueue_sending(bulletin.urgent)
    else:
        Bulletin.objects.filter(pk=bulletin_pk).update(state=BulletinState.SENT)
    return created


def send_bulletin(bulletin: Bulletin, user: User | AnonymousUser | None) -> None:
    """Approve ``bulletin`` (``outreach.bulletins.approve``) and queue it, at ``send_at`` or
    once the transaction commits."""
    bulletins.approve(bulletin, user)
    runner = build_bulletin
    if (
        bulletin.send_at
        and bulletin.send_at > timezone.now()
        and runner.get_backend().supports_defer
    ):
        runner = build_bulletin.using(run_after=bulletin.send_at)
    transaction.on_commit(lambda: runner.enqueue(bulletin.pk))


@task()
def bulletin_for_article(page_pk: int) -> str:
    """Make the bulletin of a newly published article and send it, unless it needs a second
    person's approval (then it waits in the admin); the bulletin's state."""
    page = ArticlePage.objects.filter(pk=page_pk).live().first()
    if page is None or Bulletin.objects.filter(page=page).exists():
        return ""
    bulletin = bulletins.bulletin_from_article(page)
    try:
        send_bulletin(bulletin, None)
    except bulletins.SecondPersonNeeded:
        pass
    except sms.TooLong:
        Bulletin.objects.filter(pk=bulletin.pk).update(state=BulletinState.DRAFT)
    bulletin.refresh_from_db()
    return str(bulletin.state)


@task()
def convert_voice_message(file_pk: int) -> str:
    """Convert a resident's voice message for staff to play; its status, or ``"gone"`` if it
    was erased before its turn came."""
    row = SubmissionFile.objects.filter(pk=file_pk, kind=SubmissionFile.Kind.VOICE).first()
    if row is None:
        return "gone"
    feedback_files.convert_voice(row)
    return row.status


@task()
def render_programme(programme_id: int) -> str:
    """Render a queued loudspeaker programme (``outreach.loudspeakers.render``); what came of
    it. A programme edited again meanwhile is queued again, so only the latest is rendered."""
    programme = Programme.objects.filter(pk=programme_id, state=ProgrammeState.QUEUED).first()
    if programme is None:
        return "gone"
    return loudspeakers.render(programme)


def queue_rendering(programme: Programme) -> None:
    """Render ``programme`` in the background once the current transaction commits."""
    Programme.objects.filter(pk=programme.pk).update(state=ProgrammeState.QUEUED, problems=[])
    transaction.on_commit(lambda: render_programme.enqueue(programme.pk))


@task()
def write_page_views(batch: list[list]) -> int:
    """Add a batch of page views a web process counted (``outreach.page_views``) to the days'
    counts; how many views were written."""
    return page_views.write(batch)
