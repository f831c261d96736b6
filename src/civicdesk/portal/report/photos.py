"""Photos and PDFs of reports in progress, checked on arrival and kept until the report is sent.

Each upload goes through `attachment_validate` as soon as it arrives, so the resident hears at
once when a file is refused and why. The cleaned bytes (images re-encoded without EXIF) wait in
`CIVICDESK_REPORT_DRAFT_DIR/<draft id>/<sha256>.<ext>`, outside the public media folder; the
final submit hands them to intake, which checks them again and stores them with the case. Every
web process must see the same folder (a shared volume when there are several machines).

Folders of drafts left for a day are removed by `photo_drafts_sweep`, which runs at most every
ten minutes, when someone adds a photo; a sent report's folder goes when its confirmation page
is shown.
"""

import contextlib
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.utils.translation import gettext as _

from civicdesk.cases.services.attachments import CleanUpload, attachment_validate
from civicdesk.intake.services import MAX_MEDIA_FILES
from civicdesk.portal.report.draft import DRAFT_ID, DRAFT_MAX_AGE_SECONDS, DraftPhoto, ReportDraft

logger = logging.getLogger(__name__)

MAX_PHOTOS = MAX_MEDIA_FILES
SWEEP_EVERY_SECONDS = 600
SHOWN_NAME_LENGTH = 60
_last_sweep = 0.0


class PhotoMissingError(Exception):
    """A photo of the draft is no longer on disk (swept, or another machine's disk)."""


def upload_size_limit() -> int:
    return int(settings.CIVICDESK_MAX_UPLOAD_BYTES)


def request_size_limit() -> int:
    """The largest body a photo upload may have: every photo at the limit, plus the form."""
    return MAX_PHOTOS * upload_size_limit() + 1024 * 1024


def photos_add(*, draft: ReportDraft, uploads: Sequence[UploadedFile[bytes]]) -> list[str]:
    """Check `uploads` and keep them with the draft; the messages of what was refused.

    All or nothing: when one file is refused, none of this batch is kept, so the resident
    never wonders which of their files made it. Files already on the draft stay.
    """
    uploads = [upload for upload in uploads if upload.name or upload.size]
    if not uploads:
        return [_("Choose a photo or PDF to add.")]
    room = MAX_PHOTOS - len(draft.photos)
    if len(uploads) > room:
        if room <= 0:
            return [
                _("You can add up to %(max)d files. Remove one to add another.")
                % {"max": MAX_PHOTOS}
            ]
        return [
            _("You can add up to %(max)d files; there is room for %(room)d more.")
            % {"max": MAX_PHOTOS, "room": room}
        ]
    clean: list[CleanUpload] = []
    problems: list[str] = []
    for upload in uploads:
        try:
            clean.append(attachment_validate(upload=upload, field="photos"))
        except ValidationError as error:
            problems.append(_refusal(upload, error))
    if problems:
        return problems
    folder = _folder(draft.id)
    folder.mkdir(parents=True, exist_ok=True)
    known = {photo.sha256 for photo in draft.photos}
    for item in clean:
        if item.sha256 in known:
            continue
        _write_atomically(folder / f"{item.sha256}.{item.extension}", item.content)
        draft.photos.append(
            DraftPhoto(
                sha256=item.sha256,
                extension=item.extension,
                content_type=item.content_type,
                name=item.original_name,
                size=item.size,
                width=item.width,
                height=item.height,
            )
        )
        known.add(item.sha256)
    _sweep_now_and_then()
    return []


def photo_remove(*, draft: ReportDraft, index: int) -> None:
    """Take one file off the draft (its bytes stay until the folder is cleared)."""
    if 0 <= index < len(draft.photos):
        del draft.photos[index]


def photo_read(*, draft: ReportDraft, photo: DraftPhoto) -> bytes:
    path = _folder(draft.id) / f"{photo.sha256}.{photo.extension}"
    try:
        return path.read_bytes()
    except OSError as error:
        raise PhotoMissingError(photo.name) from error


def photo_files(*, draft: ReportDraft) -> list[SimpleUploadedFile]:
    """The draft's photos as uploads for `IntakeSubmission.media`; PhotoMissingError if gone."""
    return [
        SimpleUploadedFile(
            photo.name, photo_read(draft=draft, photo=photo), content_type=photo.content_type
        )
        for photo in draft.photos
    ]


def photos_touch(*, draft_id: str) -> None:
    """Mark a draft's folder as in use, so the sweep leaves it while the resident works."""
    if DRAFT_ID.match(draft_id):
        with contextlib.suppress(OSError):
            os.utime(_folder(draft_id))


def photos_discard(*, draft_id: str) -> None:
    """Remove every waiting file of a draft (after it was sent)."""
    if DRAFT_ID.match(draft_id):
        shutil.rmtree(_folder(draft_id), ignore_errors=True)


def photo_drafts_sweep(*, now: float | None = None) -> int:
    """Remove the folders of drafts untouched for longer than a draft lives; how many."""
    root = Path(settings.CIVICDESK_REPORT_DRAFT_DIR)
    oldest = (time.time() if now is None else now) - DRAFT_MAX_AGE_SECONDS
    removed = 0
    try:
        folders = [entry for entry in root.iterdir() if entry.is_dir()]
    except OSError:
        return 0
    for folder in folders:
        try:
            if folder.stat().st_mtime < oldest:
                shutil.rmtree(folder, ignore_errors=True)
                removed += 1
        except OSError:
            continue
    return removed


def shown_name(name: str) -> str:
    """A file name short enough for a message or a list."""
    return name if len(name) <= SHOWN_NAME_LENGTH else name[: SHOWN_NAME_LENGTH - 1] + "…"


def _refusal(upload: UploadedFile[bytes], error: ValidationError) -> str:
    """Why a file was refused, in the resident's words and language."""
    if hasattr(error, "error_dict"):
        codes = [item.code for items in error.error_dict.values() for item in items]
    else:
        codes = [error.code]
    code = codes[0] if codes else "invalid"
    name = shown_name(upload.name or _("The file"))
    accepted = _("Choose a photo (JPEG, PNG, WebP or GIF) or a PDF.")
    messages = {
        "too_large": _("%(name)s is larger than %(megabytes)s MB.")
        % {"name": name, "megabytes": f"{upload_size_limit() / (1024 * 1024):g}"},
        "empty": _("%(name)s is empty.") % {"name": name},
        "damaged": _("%(name)s looks incomplete or damaged.") % {"name": name},
        "too_many_pixels": _("%(name)s has too many pixels.") % {"name": name},
        "mismatch": _("%(name)s is not the kind of file its name says.") % {"name": name},
    }
    reason = messages.get(code or "", _("%(name)s is not a photo or PDF.") % {"name": name})
    return f"{reason} {accepted}"


def _folder(draft_id: str) -> Path:
    return Path(settings.CIVICDESK_REPORT_DRAFT_DIR) / draft_id


def _write_atomically(path: Path, content: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    # The folder's time says when the draft last changed, for the sweep.
    os.utime(path.parent)


def _sweep_now_and_then() -> None:
    global _last_sweep
    now = time.time()
    if now - _last_sweep < SWEEP_EVERY_SECONDS:
        return
    _last_sweep = now
    removed = photo_drafts_sweep(now=now)
    if removed:
        logger.info("Removed the photos of %d abandoned report drafts.", removed)
