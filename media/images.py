"""Image hardening: uploads are re-encoded without metadata before they are stored.

Phones write the place a photo was taken (GPS), the camera make, model and serial number into
EXIF; for photos of community members that is a risk. Re-encoding also destroys anything hidden
after the image data (a JPEG/HTML polyglot), so what is served is only a picture.
"""

import io
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {
    "JPEG": "image/jpeg",
    "PNG": "image/png",
    "WEBP": "image/webp",
    "GIF": "image/gif",
}


class ImageRejected(ValueError):
    """An image we will not store, with a message for the uploader."""


@dataclass(frozen=True)
class CleanImage:
    """A re-encoded image and its format."""

    data: bytes
    format: str

    @property
    def content_type(self) -> str:
        """MIME type of the image."""
        return ALLOWED_FORMATS[self.format]


def clean_image(data: bytes) -> CleanImage:
    """Re-encode an image without EXIF, XMP or comments, upright, in its own format."""
    try:
        source = Image.open(io.BytesIO(data))
    except (UnidentifiedImageError, OSError) as error:
        raise ImageRejected(_("This file is not a JPEG, PNG, WebP or GIF image.")) from error
    with source:
        if source.format not in ALLOWED_FORMATS:
            raise ImageRejected(_("This file is not a JPEG, PNG, WebP or GIF image."))
        if source.width * source.height > settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS:
            raise ImageRejected(_("This image has too many pixels."))
        image_format = source.format
        output = io.BytesIO()
        if image_format == "GIF" and getattr(source, "is_animated", False):
            source.info.pop("comment", None)
            source.save(output, "GIF", save_all=True)
        else:
            upright = ImageOps.exif_transpose(source)
            options = {"quality": 90, "optimize": True} if image_format == "JPEG" else {}
            if image_format == "WEBP":
                options = {"quality": 90}
            icc = source.info.get("icc_profile")
            if icc and image_format in {"JPEG", "PNG", "WEBP"}:
                options["icc_profile"] = icc
            upright.save(output, image_format, **options)
    return CleanImage(output.getvalue(), image_format)
