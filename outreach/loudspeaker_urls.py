"""Public URLs of the commune loudspeakers, under ``/loudspeakers/``: no language prefix."""

from django.urls import path

from outreach import loudspeaker_feeds

urlpatterns = [
    path(
        "<int:commune>/podcast.xml",
        loudspeaker_feeds.CommunePodcast(),
        name="loudspeaker_podcast",
    ),
    path("audio/<str:name>", loudspeaker_feeds.public_audio, name="loudspeaker_public_audio"),
]
