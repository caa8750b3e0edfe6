"""What a loudspeaker cluster is to play: its broadcasts for the coming days.

A ready programme is aired in the clusters of its communes on its air date, at each of the
cluster's daily times (local time, ``TIME_ZONE``). An urgent programme is aired once, first,
at the cluster's next time, or at once when the cluster has no time left that day.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from outreach.models import LoudspeakerCluster, Programme, ProgrammeState


@dataclass(frozen=True)
class Broadcast:
    """One airing of a programme by a cluster."""

    programme: Programme
    starts_at: datetime.datetime
    urgent: bool = False


def schedule_days() -> int:
    """How many days, today included, a schedule covers; audio stays available as long after."""
    return settings.BANLANG_LOUDSPEAKER["SCHEDULE_DAYS"]


def daily_times(cluster: LoudspeakerCluster) -> list[datetime.time]:
    """The cluster's broadcast times in the day's order; one that is no ``HH:MM`` is left out
    rather than stopping the whole schedule."""
    times = set()
    for value in cluster.times:
        try:
            times.add(datetime.time.fromisoformat(str(value)))
        except ValueError:
            continue
    return sorted(times)


def cluster_programmes(cluster: LoudspeakerCluster) -> QuerySet[Programme]:
    """Every programme aired in one of the cluster's communes, whatever its state or date."""
    communes = LoudspeakerCluster.communes.through.objects.filter(
        loudspeakercluster=cluster
    ).values("place")
    aired_there = Programme.communes.through.objects.filter(place__in=communes)
    return Programme.objects.filter(pk__in=aired_there.values("programme"))


def local_datetime(day: datetime.date, time: datetime.time) -> datetime.datetime:
    """``time`` on ``day`` where the loudspeakers are."""
    return timezone.make_aware(
        datetime.datetime.combine(day, time), timezone.get_default_timezone()
    )


def schedule_for(cluster: LoudspeakerCluster, now: datetime.datetime) -> list[Broadcast]:
    """The cluster's broadcasts from ``now``, for ``schedule_days()`` days (today is the first),
    in the order they air; an urgent programme comes before the others at its time."""
    today = timezone.localtime(now, timezone.get_default_timezone()).date()
    last_day = today + datetime.timedelta(days=schedule_days() - 1)
    programmes = cluster_programmes(cluster).filter(
        state=ProgrammeState.READY, air_date__gte=today, air_date__lte=last_day
    )
    times = daily_times(cluster)
    broadcasts = []
    for programme in programmes:
        starts = [local_datetime(programme.air_date, time) for time in times]
        upcoming = [start for start in starts if start >= now]
        if programme.urgent:
            day_start = local_datetime(programme.air_date, datetime.time(0))
            first = upcoming[0] if upcoming else max(now, day_start)
            broadcasts.append(Broadcast(programme, first, urgent=True))
        else:
            broadcasts.extend(Broadcast(programme, start) for start in upcoming)
    broadcasts.sort(key=lambda b: (b.starts_at, not b.urgent, b.programme.title, b.programme.pk))
    return broadcasts
