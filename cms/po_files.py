"""Translation files brought back: the upload form's size limit, and PO files, with the header
every catalogue we write carries, read safely."""

import os
import tempfile
from typing import Any

import polib
from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _


class UnreadableUpload(ValueError):
    """An uploaded file cannot be read: the message says why, in the reader's language."""


def po_header(language: str) -> dict[str, str]:
    """The header of a PO file we write for ``language``."""
    return {
        "Project-Id-Version": "Bản Làng",
        "Language": language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }


def utf8_text(data: bytes) -> str:
    """``data`` decoded from UTF-8 (a byte-order mark dropped)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UnreadableUpload(
            _("The file is not in UTF-8 (byte %(position)d).") % {"position": error.start}
        ) from error


def parse_po(text: str) -> polib.POFile:
    """The PO catalogue ``text`` holds.

    polib takes a string naming an existing file for that file, so an upload saying
    ``/etc/passwd`` would read it: the text is always given to it as a file of its own.
    """
    with tempfile.NamedTemporaryFile("w", suffix=".po", encoding="utf-8", delete=False) as file:
        file.write(text)
    try:
        return polib.pofile(file.name, encoding="utf-8")
    except (OSError, ValueError) as error:
        raise UnreadableUpload(
            _("The file is not a well-formed PO file: %(reason)s")
            % {"reason": str(error).replace(file.name, "")}
        ) from error
    finally:
        os.unlink(file.name)


class TranslationUploadForm(forms.Form):
    """A translated file to bring back, at most ``limit`` bytes; subclasses declare ``file``."""

    limit: int

    def clean_file(self) -> Any:
        """Refuse a file too big to be one we wrote, translated."""
        upload = self.cleaned_data["file"]
        if upload.size > self.limit:
            raise forms.ValidationError(
                _("The file is %(size)s; at most %(limit)s is taken.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(self.limit)}
            )
        return upload
