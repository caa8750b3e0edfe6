"""Why an upload was refused or failed, in words an editor understands, in their language."""

from typing import Any

from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "empty": _("The file is empty."),
    "too_big": _("The file is larger than %(limit)s MB."),
    "unreadable": _(
        "This is not an audio or video file we can read. Upload MP4, M4A, MP3, OGG, WebM, "
        "MKV, WAV or FLAC."
    ),
    "no_streams": _("The file has no sound or picture."),
    "codec": _("The file uses a format we do not accept (%(codec)s)."),
    "too_long": _("The recording is %(minutes)s minutes long; the limit is %(limit)s minutes."),
    "too_large_picture": _("The video is %(width)s×%(height)s; the limit is %(limit)s."),
    "timeout": _("Reading or converting the file took too long and was stopped."),
    "transcode": _("The file is damaged or incomplete and could not be converted."),
    "failed": _("Processing failed. Upload the file again or ask an administrator."),
}


def error_message(code: str, params: dict[str, Any]) -> str:
    """The message for ``code`` in the active language."""
    return str(MESSAGES.get(code, MESSAGES["failed"])) % params


class MediaRejected(Exception):
    """An upload that breaks a rule, or could not be converted."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params

    @property
    def message(self) -> str:
        """The explanation, translated into the active language."""
        return error_message(self.code, self.params)
