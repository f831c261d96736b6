"""Photos and documents on a case.

Validation and storage are separate so the intake service can check every upload before it
writes anything: `attachment_validate` only reads bytes, `attachment_store` writes inside the
caller's transaction.
"""

import hashlib
import unicodedata
import uuid
import warnings
from dataclasses import dataclass
from io import BytesIO
from pathlib import PurePosixPath
from typing import IO

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from civicdesk.cases.choices import EventKind
from civicdesk.cases.models import Attachment, Case
from civicdesk.cases.services.events import case_event_record

# Pillow format name -> (format to re-encode to, content type, file extension). A GIF keeps
# only its first frame, so it becomes a still PNG.
IMAGE_OUTPUTS: dict[str, tuple[str, str, str]] = {
    "JPEG": ("JPEG", "image/jpeg", "jpg"),
    "PNG": ("PNG", "image/png", "png"),
    "WEBP": ("WEBP", "image/webp", "webp"),
    "GIF": ("PNG", "image/png", "png"),
}
# What a name or a client content type may claim, by family. The content decides what a file
# is; a claim from the other family (a "photo.jpg" that is a PDF) is refused as a disguise.
CLAIMED_FAMILY: dict[str, str] = {
    "jpg": "image",
    "jpeg": "image",
    "png": "image",
    "webp": "image",
    "gif": "image",
    "pdf": "document",
    "image/jpeg": "image",
    "image/png": "image",
    "image/webp": "image",
    "image/gif": "image",
    "application/pdf": "document",
}
JPEG_QUALITY = 88
PDF_EOF_WINDOW = 1024
MAX_ORIGINAL_NAME = 200


@dataclass(frozen=True, kw_only=True)
class CleanUpload:
    """An upload that passed validation, re-encoded and ready to store."""

    content: bytes
    content_type: str
    extension: str
    original_name: str
    size: int
    sha256: str
    width: int | None = None
    height: int | None = None


def _accepted_message() -> str:
    return _("Upload a photo (JPEG, PNG, WebP or GIF) or a PDF document.")


def _reject(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: [ValidationError(message, code=code)]})


def _sanitize_name(name: str | None) -> str:
    # Browsers on Windows used to send the full client path; keep only the last part.
    base = PurePosixPath((name or "").replace("\\", "/")).name
    base = unicodedata.normalize("NFC", base)
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    if base in {"", ".", ".."}:
        return "upload"
    if len(base) > MAX_ORIGINAL_NAME:
        stem, dot, suffix = base.rpartition(".")
        if dot and 0 < len(suffix) <= 10:
            base = stem[: MAX_ORIGINAL_NAME - len(suffix) - 1] + "." + suffix
        else:
            base = base[:MAX_ORIGINAL_NAME]
    return base


def _read_limited(upload: File[bytes] | UploadedFile[bytes], limit: int) -> bytes:
    upload.seek(0)
    stream: IO[bytes] = upload
    # Read one byte past the limit so an oversize file is caught without reading all of it.
    data = stream.read(limit + 1)
    if isinstance(data, str):
        data = data.encode()
    return data


def _clean_pdf(*, data: bytes, field: str) -> tuple[bytes, str, str, None, None]:
    if b"%%EOF" not in data[-PDF_EOF_WINDOW:]:
        raise _reject(
            field,
            _("This PDF looks incomplete or damaged. %(accepted)s")
            % {"accepted": _accepted_message()},
            "damaged",
        )
    return data, "application/pdf", "pdf", None, None


def _clean_image(*, data: bytes, field: str) -> tuple[bytes, str, str, int, int]:
    max_pixels: int = settings.CIVICDESK_MAX_IMAGE_PIXELS
    too_big = _reject(
        field,
        _("This image is too large (more than %(limit)s pixels).") % {"limit": f"{max_pixels:,}"},
        "too_many_pixels",
    )
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its own limit and twice it; treat that as a bomb too.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            # `formats` keeps every other Pillow decoder (TIFF, EPS, ICO, ...) out of reach.
            image = Image.open(BytesIO(data), formats=list(IMAGE_OUTPUTS))
            source_format = image.format or ""
            width, height = image.size
            if width * height > max_pixels:
                raise too_big
            image.seek(0)
            image.load()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise too_big from error
    except Exception as error:
        # Hostile or broken files make Pillow raise almost anything (OSError, SyntaxError,
        # ValueError, struct.error, ...); each one means the same thing to the resident.
        raise _reject(
            field,
            _("This file is not a photo or document we can read. %(accepted)s")
            % {"accepted": _accepted_message()},
            "invalid",
        ) from error

    output_format, content_type, extension = IMAGE_OUTPUTS[source_format]
    upright = ImageOps.exif_transpose(image) or image
    if "transparency" in upright.info or upright.mode in {"PA", "LA"}:
        upright = upright.convert("RGBA")
    elif upright.mode not in {"RGB", "RGBA", "L"}:
        upright = upright.convert("RGB")
    if output_format == "JPEG" and upright.mode == "RGBA":
        upright = upright.convert("RGB")
    # Re-encoding from pixels with an empty `info` drops EXIF (GPS, camera serial), XMP,
    # ICC profiles and text chunks: none of it is needed to see the problem in the photo.
    clean = upright.copy()
    clean.info = {}
    buffer = BytesIO()
    save_options: dict[str, object] = {}
    if output_format in {"JPEG", "WEBP"}:
        save_options["quality"] = JPEG_QUALITY
    if output_format in {"JPEG", "PNG"}:
        save_options["optimize"] = True
    clean.save(buffer, format=output_format, **save_options)
    return buffer.getvalue(), content_type, extension, clean.width, clean.height


def attachment_validate(
    *, upload: File[bytes] | UploadedFile[bytes], field: str = "media"
) -> CleanUpload:
    """Check an upload by its content and return it cleaned, or raise ValidationError.

    Accepts JPEG, PNG, WebP and GIF images (re-encoded without metadata, EXIF orientation
    applied) and PDF documents. The file name and client content type are never trusted.
    """
    limit: int = settings.CIVICDESK_MAX_UPLOAD_BYTES
    if upload.size is not None and upload.size > limit:
        raise _reject(field, _too_large_message(limit), "too_large")
    data = _read_limited(upload, limit)
    if not data:
        raise _reject(
            field, _("The file is empty. %(accepted)s") % {"accepted": _accepted_message()}, "empty"
        )
    if len(data) > limit:
        raise _reject(field, _too_large_message(limit), "too_large")

    is_pdf = data.startswith(b"%PDF-")
    _check_claims(upload=upload, family="document" if is_pdf else "image", field=field)
    if is_pdf:
        content, content_type, extension, width, height = _clean_pdf(data=data, field=field)
    else:
        content, content_type, extension, width, height = _clean_image(data=data, field=field)
    return CleanUpload(
        content=content,
        content_type=content_type,
        extension=extension,
        original_name=_sanitize_name(upload.name),
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        width=width,
        height=height,
    )


def _check_claims(*, upload: File[bytes] | UploadedFile[bytes], family: str, field: str) -> None:
    suffix = PurePosixPath((upload.name or "").replace("\\", "/")).suffix.lower().lstrip(".")
    client_type = (getattr(upload, "content_type", None) or "").split(";")[0].strip().lower()
    for claim in (suffix, client_type):
        claimed = CLAIMED_FAMILY.get(claim)
        if claimed is not None and claimed != family:
            raise _reject(
                field,
                _("The file's name or type does not match its content. %(accepted)s")
                % {"accepted": _accepted_message()},
                "mismatch",
            )


def _too_large_message(limit: int) -> str:
    return _("The file is larger than %(megabytes)s MB. %(accepted)s") % {
        "megabytes": f"{limit / (1024 * 1024):g}",
        "accepted": _accepted_message(),
    }


def attachment_store(
    *,
    case: Case,
    upload: CleanUpload,
    actor: User | None = None,
    is_public: bool,
) -> Attachment:
    """Save a validated upload on a case and write the `attachment_added` event.

    Runs inside the caller's transaction. The stored name is random, so it reveals nothing of
    the resident's file name or folder.
    """
    attachment = Attachment(
        case=case,
        original_name=upload.original_name,
        content_type=upload.content_type,
        size=upload.size,
        sha256=upload.sha256,
        width=upload.width,
        height=upload.height,
        is_public=is_public,
        uploaded_by=actor,
    )
    attachment.file.save(
        f"{uuid.uuid4().hex}.{upload.extension}", ContentFile(upload.content), save=False
    )
    stored_name = attachment.file.name or ""
    try:
        with transaction.atomic():
            attachment.full_clean()
            attachment.save()
            case_event_record(
                case=case,
                kind=EventKind.ATTACHMENT_ADDED,
                actor=actor,
                is_public=is_public,
                public_text=_("Photo or document added.") if is_public else "",
                data={
                    "attachment_id": attachment.pk,
                    "content_type": upload.content_type,
                    "size": upload.size,
                    "sha256": upload.sha256,
                },
                at=attachment.created_at,
            )
    except BaseException:
        # The file went to storage first (the row needs its name); don't leave it orphaned.
        attachment.file.storage.delete(stored_name)
        raise
    return attachment
