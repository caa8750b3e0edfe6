"""``make bench-feedback``: residents' questions at 100,000 submissions.

On a throw-away SQLite database under production settings (PostgreSQL when ``DATABASE_URL``
names a server) it seeds three offices in each of the 34 provinces with their routing rules,
and ``--submissions`` submissions over the last year: every kind, topic, language and state,
a third answered, some overdue. Then it measures, in one process through Django's test client:

1. asking: ``--requests`` posts of the public form (each screened, routed, stored and logged),
   the first (cold: the classifier is trained, templates compiled) apart;
2. an office's queue (``/admin/questions/``) for its staff, and the whole queue for a
   coordinator, cycling through its filters: the first visit of each apart, then p50 and p95.

The table is printed and written to ``var/bench/feedback.json``.
"""

import argparse
import random
import time
from statistics import median

from tests.bench.common import percentile, report, throwaway_site, time_admin_pages

LANGUAGES = ("vi", "hmn", "km", "blt", "cjm", "rad", "jra", "bdq", "cmo", "en")
TOPICS = ("policy", "market", "health", "education", "security-order")
TEXTS = (
    "Khi nào thôn tôi được cấp thẻ bảo hiểm y tế năm sau?",
    "Đường vào bản bị sạt lở sau mưa lớn, xe máy không đi được, đề nghị sửa sớm.",
    "Giá cà phê tuần này ở chợ huyện là bao nhiêu, có hỗ trợ phân bón không?",
    "Con tôi học lớp 6, học phí và tiền ăn trưa năm nay được miễn giảm thế nào?",
    "Đề nghị lắp thêm đèn đường ở đoạn qua trường tiểu học của xã.",
)


def seed(count: int) -> dict:
    """The offices, their rules and ``count`` submissions; the offices and staff to time."""
    import datetime

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission
    from django.db.models import F
    from django.utils import timezone

    from heritage.models import Place
    from outreach.feedback import new_reference
    from outreach.models import Office, RoutingRule, Submission, SubmissionEvent, SubmissionState

    chooser = random.Random(14)
    offices = []
    for province in Place.objects.current().provinces().order_by("name"):
        group = Group.objects.create(name=f"Cán bộ {province.name}")
        committee = Office.objects.create(
            name=f"UBND tỉnh {province.name}", place=province, group=group
        )
        RoutingRule.objects.create(topic="", place=province, office=committee)
        offices.append(committee)
        for topic, name in (("health", "Sở Y tế"), ("market", "Sở Nông nghiệp")):
            office = Office.objects.create(
                name=f"{name} {province.name}", place=province, parent=committee, group=group
            )
            RoutingRule.objects.create(topic=topic, place=province, office=office)
            offices.append(office)
    now = timezone.now()
    states = [SubmissionState.ASSIGNED] * 4 + [SubmissionState.IN_PROGRESS] * 2
    states += [SubmissionState.ANSWERED] * 3 + [SubmissionState.CLOSED]
    for start in range(0, count, 10_000):
        batch = []
        for number in range(start, min(start + 10_000, count)):
            received = now - datetime.timedelta(minutes=chooser.randrange(365 * 24 * 60))
            state = chooser.choice(states)
            answered = state in (SubmissionState.ANSWERED, SubmissionState.CLOSED)
            office = offices[number % len(offices)]
            batch.append(
                Submission(
                    reference=new_reference(),
                    kind=chooser.choice(("question", "report", "proposal")),
                    topic=TOPICS[number % len(TOPICS)],
                    language=LANGUAGES[number % len(LANGUAGES)],
                    province_id=office.place_id,
                    text=TEXTS[number % len(TEXTS)],
                    came_by="web",
                    state=state,
                    office=office,
                    due_at=received + datetime.timedelta(days=30),
                    answered_at=received + datetime.timedelta(days=chooser.randrange(1, 45))
                    if answered
                    else None,
                    answer="Đã trả lời." if answered else "",
                )
            )
        made = Submission.objects.bulk_create(batch)
        SubmissionEvent.objects.bulk_create(
            SubmissionEvent(submission=submission, kind="received") for submission in made
        )
    # Made "now" on creation: spread over the year, as each one's deadline says.
    Submission.objects.update(received_at=F("due_at") - datetime.timedelta(days=30))
    users = get_user_model()
    staff = users.objects.create_user("bench-staff")
    staff.groups.add(offices[0].group)
    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    coordinator = users.objects.create_user("bench-coordinator")
    coordinator.user_permissions.add(
        *Permission.objects.filter(codename__in=["access_admin", "change_submission"])
    )
    return {"staff": staff, "coordinator": coordinator, "province": offices[0].place}


def time_asking(province: object, requests: int) -> tuple[float, list[float]]:
    """Milliseconds of the first post, and of ``requests`` more, each from its own address."""
    from django.test import Client

    from outreach.models import Submission

    before = Submission.objects.count()
    client = Client()
    url = f"/vi/ask/?province={province.pk}"  # type: ignore[attr-defined]

    def ask(number: int) -> float:
        data = {
            "kind": "question",
            "topic": TOPICS[number % len(TOPICS)],
            "commune": "",
            "language": LANGUAGES[number % len(LANGUAGES)],
            "text": f"{TEXTS[number % len(TEXTS)]} ({number})",
            "answer_channel": "",
            "website": "",
        }
        started = time.perf_counter()
        response = client.post(url, data, REMOTE_ADDR=f"10.{number // 250}.{number % 250}.1")
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 302:
            raise SystemExit(f"asking answered {response.status_code}")
        return elapsed

    first = ask(0)
    timings = [ask(number) for number in range(1, requests + 1)]
    assert Submission.objects.count() == before + requests + 1
    return first, timings


def queue_urls() -> list[str]:
    """The queue and its filters."""
    base = "/admin/questions/"
    return [
        base,
        f"{base}?state=assigned",
        f"{base}?overdue=1",
        f"{base}?topic=health",
        f"{base}?language=km",
        f"{base}?state=in_progress&topic=market",
        f"{base}?page=3",
    ]


def main() -> None:
    """Seed, time, print and write the report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--submissions", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=300)
    options = parser.parse_args()
    with throwaway_site("feedback"):
        from django.db import connection

        started = time.monotonic()
        seeded = seed(options.submissions)
        seed_seconds = time.monotonic() - started
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        first_ask, asking = time_asking(seeded["province"], options.requests)
        staff_first, staff = time_admin_pages(seeded["staff"], queue_urls(), options.requests)
        all_first, everything = time_admin_pages(
            seeded["coordinator"], queue_urls(), options.requests
        )

    def p95(values: list[float]) -> float:
        return round(percentile(values, 0.95), 1)

    figures = [
        ("submissions", options.submissions, "submissions"),
        ("seed_seconds", round(seed_seconds, 1), "s"),
        ("submit_first_ms", round(first_ask, 1), "ms"),
        ("submit_p50_ms", round(median(asking), 1), "ms"),
        ("submit_p95_ms", p95(asking), "ms"),
        ("queue_first_visit_p95_ms", p95(staff_first), "ms"),
        ("queue_p50_ms", round(median(staff), 1), "ms"),
        ("queue_p95_ms", p95(staff), "ms"),
        ("queue_all_first_visit_p95_ms", p95(all_first), "ms"),
        ("queue_all_p50_ms", round(median(everything), 1), "ms"),
        ("queue_all_p95_ms", p95(everything), "ms"),
    ]
    report("feedback", figures)


if __name__ == "__main__":
    main()
