"""Validation of uploaded images by their content (never by name or declared type)."""

from django.core.files.uploadedfile import UploadedFile
from PIL import Image, UnidentifiedImageError

from domains.shared.errors import DomainError, ErrorCode

ACCEPTED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
MAX_PIXELS = 40_000_000  # refuses decompression bombs before decoding


def validate_image(upload: UploadedFile, *, max_bytes: int, field: str) -> str:
    """Check an upload is a JPEG, PNG or WebP image within the size cap; returns the file
    extension its content calls for. Raises DomainError(INVALID_IMAGE / FILE_TOO_LARGE)."""
    if upload is None or not hasattr(upload, "read"):
        raise DomainError("Attach an image file.", code=ErrorCode.INVALID_IMAGE, field=field)
    if upload.size is not None and upload.size > max_bytes:
        raise DomainError(
            f"The image is larger than {max_bytes // (1024 * 1024)} MB.",
            code=ErrorCode.FILE_TOO_LARGE,
            field=field,
        )
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image_format = image.format
            if image.width * image.height > MAX_PIXELS:
                raise DomainError(
                    "The image has too many pixels.", code=ErrorCode.INVALID_IMAGE, field=field
                )
            image.verify()  # reads the whole file: catches truncated and corrupt images
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise DomainError(
            "The file is not a valid image.", code=ErrorCode.INVALID_IMAGE, field=field
        )
    finally:
        upload.seek(0)
    if image_format not in ACCEPTED_FORMATS:
        raise DomainError(
            "Upload a JPEG, PNG or WebP image.", code=ErrorCode.INVALID_IMAGE, field=field
        )
    return ACCEPTED_FORMATS[image_format]
