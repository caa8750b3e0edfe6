"""Background work of the outreach app: bulletins from articles, their outbox, their sending.

One message's sending is ``outreach.outbox.deliver_message``."""

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from cms.models import ArticlePage
from outreach import bulletins, delivery, sms
from outreach.models import Bulletin, BulletinState, Message, MessageState
from outreach.outbox import enqueue_delivery

SEND_BATCH = 500
"""Messages one sending task takes: enough to keep a worker busy, few enough to share."""
URGENT_PRIORITY = 50
"""Urgent bulletins' tasks go before every other task waiting (django-tasks' -100…100)."""


@task()
def deliver_batch(message_pks: list[int]) -> int:
    """Send a batch of a bulletin's messages; how many were sent. Temporary failures are
    queued again one by one; messages held back by the quiet hours wait for their hour."""
    sent = 0
    for pk in message_pks:
        outcome = delivery.deliver(pk)
        if outcome.state == MessageState.SENT:
            sent += 1
        elif outcome.state == MessageState.QUEUED:
            enqueue_delivery(pk, outcome.retry_in)
    waiting = Message.objects.filter(
        pk__in=message_pks, state=MessageState.QUEUED, next_attempt_at__gt=timezone.now()
    ).order_by("next_attempt_at")
    first = waiting.values_list("next_attempt_at", flat=True).first()
    if first is not None and deliver_batch.get_backend().supports_defer:
        later = list(waiting.values_list("pk", flat=True))
        transaction.on_commit(lambda: deliver_batch.using(run_after=first).enqueue(later))
    _finish_if_done(message_pks)
    return sent


def _finish_if_done(message_pks: list[int]) -> None:
    bulletin_pk = (
        Message.objects.filter(pk__in=message_pks[:1]).values_list("bulletin", flat=True).first()
    )
    if bulletin_pk is None:
        return
    pending = Message.objects.filter(
        bulletin=bulletin_pk, state__in=[MessageState.QUEUED, MessageState.SENDING]
    )
    if not pending.exists():
        Bulletin.objects.filter(pk=bulletin_pk, state=BulletinState.SENDING).update(
            state=BulletinState.SENT
        )


@task()
def build_bulletin(bulletin_pk: int) -> int:
    """Build an approved bulletin's outbox and queue its sending; how many messages it made."""
    bulletin = Bulletin.objects.get(pk=bulletin_pk)
    if bulletin.state not in (BulletinState.SCHEDULED, BulletinState.SENDING):
        return 0
    created = bulletins.build_outbox(bulletin)
    priority = URGENT_PRIORITY if bulletin.urgent else 0
    for start in range(0, len(created), SEND_BATCH):
        chunk = created[start : start + SEND_BATCH]
        transaction.on_commit(
            lambda chunk=chunk: deliver_batch.using(priority=priority).enqueue(chunk)
        )
    if not created:
        Bulletin.objects.filter(pk=bulletin_pk).update(state=BulletinState.SENT)
    return len(created)


def send_bulletin(bulletin: Bulletin, user: object) -> None:
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
