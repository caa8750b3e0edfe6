"""Readers on tiny data plans: the browser's ``Save-Data: on`` asks for a text-first page."""

from django.http import HttpRequest


def saves_data(request: HttpRequest | None) -> bool:
    """Whether the reader asked to save data (the browser's ``Save-Data: on``).

    Such a reader gets a text-first page: images become links to them, the player shows no
    waveform or poster and lists its smallest file first, and no web font is loaded.
    """
    if not request:
        return False
    return request.headers.get("Save-Data", "").strip().lower() == "on"
