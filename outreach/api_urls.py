"""URLs for providers: no language prefix, no pages."""

from django.urls import path

from outreach import api_views, loudspeaker_api

urlpatterns = [
    path("sms/inbound/", api_views.inbound_sms, name="outreach_inbound_sms"),
    path("sms/receipts/", api_views.sms_receipt, name="outreach_sms_receipt"),
    path("email/inbound/", api_views.inbound_email, name="outreach_inbound_email"),
    path("loudspeakers/schedule.json", loudspeaker_api.schedule, name="loudspeaker_schedule"),
    path("loudspeakers/audio/<str:name>", loudspeaker_api.audio, name="loudspeaker_audio"),
    path("loudspeakers/plays.json", loudspeaker_api.plays, name="loudspeaker_plays"),
]
