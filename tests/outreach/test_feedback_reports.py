"""The offices' figures: received, answered, overdue and median days, by month, office, topic
and language; exact counts, nobody named."""

import datetime
from zoneinfo import ZoneInfo

from outreach import feedback
from outreach.feedback_reports import ReportRow, by_month, report
from outreach.models import Office, Submission, SubmissionState

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime.datetime(2026, 12, 20, 9, tzinfo=VIETNAM)


def asked(office, language="vi", topic="health", *, on, answered_after=None, state=None):
    submission = feedback.receive(
        feedback.Received(
            kind="question", text="Câu hỏi về y tế", language=language, came_by="web", topic=topic
        )
    )
    received = datetime.datetime(*on, 10, tzinfo=VIETNAM)
    fields = {
        "office": office,
        "received_at": received,
        "due_at": received + datetime.timedelta(days=30),
        "state": state or SubmissionState.ASSIGNED,
    }
    if answered_after is not None:
        fields["answered_at"] = received + datetime.timedelta(days=answered_after)
        fields["state"] = state or SubmissionState.ANSWERED
    Submission.objects.filter(pk=submission.pk).update(**fields)


def test_each_month_office_topic_and_language_has_its_figures(db):
    health = Office.objects.create(name="Sở Y tế Đắk Lắk")
    asked(health, on=(2026, 11, 2), answered_after=4)
    asked(health, on=(2026, 11, 3), answered_after=40)  # answered late
    asked(health, on=(2026, 11, 5))  # still owed, past its deadline
    asked(health, on=(2026, 11, 6), state=SubmissionState.REJECTED)  # nothing owed
    asked(health, on=(2026, 10, 31), answered_after=10)  # 31 Oct in Vietnam: October
    asked(health, "km", on=(2026, 12, 1))  # owed, not yet due
    asked(None, topic="education", on=(2026, 12, 2))  # in triage
    rows = report(Submission.objects.all(), now=NOW.astimezone(datetime.UTC))
    assert rows == [
        ReportRow(datetime.date(2026, 12, 1), "", "education", "vi", 1, 0, 0, None),
        ReportRow(datetime.date(2026, 12, 1), "Sở Y tế Đắk Lắk", "health", "km", 1, 0, 0, None),
        ReportRow(datetime.date(2026, 11, 1), "Sở Y tế Đắk Lắk", "health", "vi", 4, 2, 2, 22.0),
        ReportRow(datetime.date(2026, 10, 1), "Sở Y tế Đắk Lắk", "health", "vi", 1, 1, 0, 10.0),
    ]
    assert by_month(rows) == [
        ("10/2026", (1, 1)),
        ("11/2026", (4, 2)),
        ("12/2026", (2, 0)),
    ]
    assert by_month(rows, months=1) == [("12/2026", (2, 0))]
