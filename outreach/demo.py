"""The demo's offices that answer residents, the rules that route to them, and one answered
question to follow by its code, published (``cms.demo.signals.demo_loaded``)."""

from django.db import transaction
from django.utils import timezone

from heritage.models import Place
from outreach import feedback
from outreach.models import Office, RoutingRule, Submission, SubmissionKind, SubmissionState

PROVINCES = ("Đắk Lắk", "Lào Cai", "Gia Lai")
DEPARTMENTS = (
    ("health", "Sở Y tế {province}", "Department of Health, {province}"),
    ("market", "Sở Nông nghiệp và Môi trường {province}", "Department of Agriculture, {province}"),
)
QUESTION = "Khi nào bà con buôn Ea Súp được cấp thẻ bảo hiểm y tế năm 2027?"
ANSWER = (
    "Thẻ bảo hiểm y tế năm 2027 được cấp tại trạm y tế xã từ ngày 15 tháng 1. "
    "Bà con mang theo căn cước công dân."
)


@transaction.atomic
def load_outreach_demo() -> None:
    """Add what is missing: each demo province's People's Committee (everything there) and two
    of its departments (health, market), and one answered and published question."""
    for name in PROVINCES:
        province = Place.objects.current().provinces().filter(name=name).first()
        if province is None:
            continue
        committee, _ = Office.objects.get_or_create(
            name_vi=f"UBND tỉnh {name}",
            defaults={"name_en": f"People's Committee of {name}", "place": province},
        )
        RoutingRule.objects.get_or_create(topic="", place=province, defaults={"office": committee})
        for topic, vietnamese, english in DEPARTMENTS:
            office, _ = Office.objects.get_or_create(
                name_vi=vietnamese.format(province=name),
                defaults={
                    "name_en": english.format(province=name),
                    "place": province,
                    "parent": committee,
                },
            )
            RoutingRule.objects.get_or_create(
                topic=topic, place=province, defaults={"office": office}
            )
    if Submission.objects.filter(text=QUESTION).exists():
        return
    province = Place.objects.current().provinces().filter(name=PROVINCES[0]).first()
    asked = feedback.receive(
        feedback.Received(
            kind=SubmissionKind.QUESTION,
            text=QUESTION,
            language="vi",
            came_by="web",
            topic="health",
            province=province,
            may_publish=True,
        )
    )
    Submission.objects.filter(pk=asked.pk).update(
        state=SubmissionState.ANSWERED,
        answer=ANSWER,
        answer_language="vi",
        answered_at=timezone.now(),
        public_question=QUESTION,
        published_at=timezone.now(),
    )
