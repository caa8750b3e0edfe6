"""Each commune's loudspeaker programmes as a podcast: RSS 2.0 with the audio as enclosures,
for whoever missed a broadcast or lives out of the loudspeakers' reach.

A programme's audio is public once it is ready and its air date has come: before, it may
still change, and is served to the clusters' devices only (``outreach.loudspeaker_api``).
"""

import datetime
from typing import Any

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponseBase
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Enclosure, Rss201rev2Feed
from django.utils.translation import gettext as _
from django.utils.xmlutils import SimplerXMLGenerator
from django.views.decorators.http import require_http_methods

from heritage.models import Place
from heritage.models.reference import COMMUNE_LEVELS
from outreach.loudspeaker_api import AUDIO_NAME, audio_response
from outreach.loudspeaker_schedule import local_datetime
from outreach.models import Programme, ProgrammeState

PODCAST_LENGTH = 50
ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"


def aired_programmes() -> QuerySet[Programme]:
    """Programmes whose audio is public: ready, on or after their air date."""
    return Programme.objects.filter(state=ProgrammeState.READY, air_date__lte=timezone.localdate())


class PodcastRss(Rss201rev2Feed):
    """RSS 2.0 whose items say how long their audio lasts, as podcast apps read it."""

    def rss_attributes(self) -> dict[str, str]:
        """The RSS attributes, with the iTunes podcast namespace."""
        return {**super().rss_attributes(), "xmlns:itunes": ITUNES}

    def add_item_elements(self, handler: SimplerXMLGenerator, item: dict[str, Any]) -> None:
        """The standard item elements, then the duration in whole seconds."""
        super().add_item_elements(handler, item)
        handler.addQuickElement("itunes:duration", item["duration"])


class CommunePodcast(Feed):
    """The newest programmes aired in a commune, newest first."""

    feed_type = PodcastRss

    def get_object(self, request: HttpRequest, commune: int) -> Place:
        """The commune in the URL, if it is one in force today."""
        self.request = request
        place = Place.objects.current().filter(pk=commune, level__in=COMMUNE_LEVELS).first()
        if place is None:
            raise Http404
        return place

    def title(self, commune: Place) -> str:
        """ "Loudspeakers of <commune>", in the reader's language."""
        return _("Loudspeakers of %(commune)s") % {"commune": commune.name}

    def link(self, commune: Place) -> str:
        """The feed itself: a commune has no page of its own."""
        return reverse("loudspeaker_podcast", args=[commune.pk])

    def description(self, commune: Place) -> str:
        """What the feed holds."""
        return _("The programmes of the commune loudspeakers of %(commune)s.") % {
            "commune": commune.name
        }

    def items(self, commune: Place) -> QuerySet[Programme]:
        """The newest programmes aired in the commune."""
        return (
            aired_programmes()
            .filter(communes=commune)
            .order_by("-air_date", "-pk")[:PODCAST_LENGTH]
        )

    def item_title(self, programme: Programme) -> str:
        """The programme's title."""
        return programme.title

    def item_description(self, programme: Programme) -> str:
        """The programme's running order."""
        return programme.running_order

    def item_link(self, programme: Programme) -> str:
        """The programme's public audio."""
        return reverse("loudspeaker_public_audio", args=[f"{programme.sha256}.mp3"])

    def item_pubdate(self, programme: Programme) -> datetime.datetime:
        """The start of its air date."""
        return local_datetime(programme.air_date, datetime.time(0))

    def item_enclosures(self, programme: Programme) -> list[Enclosure]:
        """The programme's MP3."""
        url = self.request.build_absolute_uri(self.item_link(programme))
        return [Enclosure(url, str(programme.size), "audio/mpeg")]

    def item_extra_kwargs(self, programme: Programme) -> dict[str, str]:
        """How long the programme lasts, in whole seconds."""
        return {"duration": str(round(programme.duration))}


@require_http_methods(["GET", "HEAD"])
def public_audio(request: HttpRequest, name: str) -> HttpResponseBase:
    """A programme's MP3 once it may be heard by all; before, a missing file's 404."""
    named = AUDIO_NAME.fullmatch(name)
    programme = aired_programmes().filter(sha256=named[1]).first() if named else None
    return audio_response(request, programme, private=False)
