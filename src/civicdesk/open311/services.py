"""Open311 writes: the jurisdictions served, API keys (create, revoke, authenticate,
rate-limit) and batch submissions (accept now with a token, open the case in a worker).

Rate limits count in the Django cache with a fixed one-minute window. With REDIS_URL set the
cache is Redis and the limit holds across every web process; without it the cache is each
process's memory, so N processes together allow up to N times the limit.
"""

import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Iterable, Sequence
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civicdesk.catalog.choices import SlaUnit
from civicdesk.catalog.models import ServiceType
from civicdesk.contacts.choices import Channel
from civicdesk.core.ratelimit import window_count
from civicdesk.geo.choices import AreaKind
from civicdesk.geo.models import Area
from civicdesk.intake.services import IntakeError, IntakeSubmission, intake_submit, intake_validate
from civicdesk.open311.jurisdictions import jurisdictions_changed
from civicdesk.open311.models import ApiKey, BatchSubmission, Jurisdiction

KEY_MARK = "o311_"
KEY_PREFIX_LENGTH = 12
MAX_RAW_KEY_LENGTH = 200
RATE_WINDOW_SECONDS = 60
# Writing last_used_at on every request would turn each authenticated call into a write.
LAST_USED_PRECISION = timedelta(minutes=1)
PENDING_FOLDER = "open311/pending"


def jurisdiction_save(
    *,
    jurisdiction_id: str,
    name: str | None = None,
    boundary_code: str | None = None,
    service_codes: Iterable[str] | None = None,
    is_active: bool | None = None,
) -> tuple[Jurisdiction, bool]:
    """Create or update the jurisdiction with this id; returns it and whether it is new.

    What is left as None stays as stored (a new jurisdiction has no boundary, no services and is
    active). `boundary_code` is the code of an area of the kind jurisdiction, "" for none;
    `service_codes` replaces the services offered. Raises ValidationError naming every field at
    fault, before anything is written.
    """
    jurisdiction_id = jurisdiction_id.strip()
    errors: dict[str, list[str]] = {}
    with transaction.atomic():
        jurisdiction = (
            Jurisdiction.objects.select_for_update().filter(jurisdiction_id=jurisdiction_id).first()
        )
        created = jurisdiction is None
        if jurisdiction is None:
            jurisdiction = Jurisdiction(jurisdiction_id=jurisdiction_id)
        if name is not None:
            jurisdiction.name = name.strip()
        if is_active is not None:
            jurisdiction.is_active = is_active
        if boundary_code is not None:
            jurisdiction.boundary = _boundary(boundary_code.strip(), errors)
        services = None
        if service_codes is not None:
            services = _services(service_codes, errors)
        try:
            jurisdiction.full_clean()
        except ValidationError as error:
            for field_name, messages in error.message_dict.items():
                errors.setdefault(field_name, []).extend(messages)
        if errors:
            raise ValidationError(errors)
        jurisdiction.save()
        if services is not None:
            jurisdiction.services.set(services)
        jurisdictions_changed()
    return jurisdiction, created


def _boundary(code: str, errors: dict[str, list[str]]) -> Area | None:
    if not code:
        return None
    area = Area.objects.filter(kind=AreaKind.JURISDICTION, code=code).first()
    if area is None:
        errors.setdefault("boundary", []).append(
            f"No jurisdiction boundary has the code '{code}'; load it with "
            "`civicdesk geo import FILE --kind jurisdiction`."
        )
    return area


def _services(codes: Iterable[str], errors: dict[str, list[str]]) -> list[ServiceType]:
    wanted = sorted({code.strip() for code in codes if code.strip()})
    found = list(ServiceType.objects.filter(code__in=wanted))
    missing = sorted(set(wanted) - {service.code for service in found})
    if missing:
        errors.setdefault("services", []).append(
            "No service has the code " + ", ".join(f"'{code}'" for code in missing) + "."
        )
    return found


def jurisdiction_remove(*, jurisdiction_id: str) -> Jurisdiction:
    """Stop serving a jurisdiction and forget its settings.

    Its requests keep their jurisdiction_id, and show again if it is added back. Raises
    Jurisdiction.DoesNotExist for an id with no row.
    """
    with transaction.atomic():
        jurisdiction = Jurisdiction.objects.select_for_update().get(
            jurisdiction_id=jurisdiction_id.strip()
        )
        jurisdiction.delete()
        jurisdictions_changed()
    return jurisdiction


def _secret_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def apikey_create(
    *,
    name: str,
    rate_limit_per_minute: int = 120,
    contact_email: str = "",
    note: str = "",
) -> tuple[ApiKey, str]:
    """A new API key and its plain text, which is shown once and never stored."""
    with transaction.atomic():
        while True:
            raw = KEY_MARK + secrets.token_urlsafe(32)
            prefix = raw[:KEY_PREFIX_LENGTH]
            if not ApiKey.objects.filter(prefix=prefix).exists():
                break
        key = ApiKey(
            name=name.strip(),
            prefix=prefix,
            secret_hash=_secret_hash(raw),
            rate_limit_per_minute=rate_limit_per_minute,
            contact_email=contact_email.strip(),
            note=note.strip(),
        )
        key.full_clean()
        key.save()
    return key, raw


def apikey_revoke(*, key: ApiKey) -> ApiKey:
    """Stop a key from working; revoking twice keeps the first revocation time."""
    with transaction.atomic():
        key = ApiKey.objects.select_for_update().get(pk=key.pk)
        if key.revoked_at is None:
            key.revoked_at = timezone.now()
            key.save(update_fields=["revoked_at"])
    _recent_keys.clear()
    return key


def apikey_authenticate(*, raw: str) -> ApiKey | None:
    """The active key whose secret is `raw`, or None (unknown, malformed or revoked)."""
    raw = raw.strip()
    # NUL cannot reach PostgreSQL, and no real key is long; neither deserves a query.
    if not raw.startswith(KEY_MARK) or len(raw) > MAX_RAW_KEY_LENGTH or "\x00" in raw:
        return None
    secret_hash = _secret_hash(raw)
    remembered = _recent_keys.get(secret_hash)
    if remembered is not None and time.monotonic() - remembered[0] < _recent_key_seconds():
        return remembered[1]
    key = ApiKey.objects.filter(prefix=raw[:KEY_PREFIX_LENGTH]).first()
    if key is None or not hmac.compare_digest(key.secret_hash, secret_hash):
        return None
    if key.revoked_at is not None:
        return None
    now = timezone.now()
    if key.last_used_at is None or now - key.last_used_at >= LAST_USED_PRECISION:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now
    if len(_recent_keys) >= MAX_RECENT_KEYS:
        _recent_keys.clear()
    _recent_keys[secret_hash] = (time.monotonic(), key)
    return key


# A busy client sends many requests a second with one key; each process trusts a key it has
# checked for a few seconds, so a revocation made elsewhere takes that long to reach it.
_recent_keys: dict[str, tuple[float, ApiKey]] = {}
MAX_RECENT_KEYS = 1000


def _recent_key_seconds() -> float:
    return float(getattr(settings, "CIVICDESK_APIKEY_CACHE_SECONDS", 5.0))


def apikey_check_rate(*, key: ApiKey) -> bool:
    """Count one call against the key's per-minute limit; False when it is over the limit."""
    window = int(time.time()) // RATE_WINDOW_SECONDS
    counter = f"open311:rate:{key.pk}:{window}"
    # Twice the window, so a counter read at the window's end has not expired underneath us.
    return window_count(counter, timeout=RATE_WINDOW_SECONDS * 2) <= key.rate_limit_per_minute


def rate_retry_after() -> int:
    """Seconds until the current rate window ends (the Retry-After of a 429)."""
    return RATE_WINDOW_SECONDS - int(time.time()) % RATE_WINDOW_SECONDS


def service_notice(*, service_type: ServiceType) -> str:
    """What the client may tell the resident about timing, from the service's SLA."""
    count = service_type.sla_value
    if count is None or not service_type.sla_unit:
        return ""
    if service_type.sla_unit == SlaUnit.CALENDAR_DAYS:
        text = ngettext(
            "We aim to respond within %(count)d day.",
            "We aim to respond within %(count)d days.",
            count,
        )
    else:
        text = ngettext(
            "We aim to respond within %(count)d business hour.",
            "We aim to respond within %(count)d business hours.",
            count,
        )
    return text % {"count": count}


def _batch_fingerprint(*, submission: IntakeSubmission, extra: Sequence[str]) -> str:
    media = []
    for upload in submission.media:
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        media.append(digest.hexdigest())
    canonical = {
        "service_code": submission.service_code.strip(),
        "lat": str(submission.lat or "").strip(),
        "long": str(submission.long or "").strip(),
        "address": submission.address.strip(),
        "address_id": submission.address_id.strip(),
        "attributes": {code: submission.attributes[code] for code in sorted(submission.attributes)},
        "email": submission.email.strip(),
        "phone": submission.phone.strip(),
        "names": [submission.first_name.strip(), submission.last_name.strip()],
        "description": submission.description.strip(),
        "media_url": submission.media_url.strip(),
        "media": media,
        "extra": list(extra),
    }
    if submission.jurisdiction.strip():
        # Only when named, so fingerprints stored before jurisdictions existed still match.
        canonical["jurisdiction"] = submission.jurisdiction.strip()
    return hashlib.sha256(json.dumps(canonical, sort_keys=True).encode()).hexdigest()


def _batch_replay(*, idempotency_key: str, fingerprint: str) -> BatchSubmission | None:
    existing = BatchSubmission.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None and existing.fingerprint != fingerprint:
        raise IntakeError(
            {"idempotency_key": [_("This key was already used for a different submission.")]}
        )
    return existing


def _pending_delete(paths: Sequence[str]) -> None:
    for path in paths:
        default_storage.delete(path)


def batch_submission_create(
    *,
    submission: IntakeSubmission,
    api_key: ApiKey | None,
    device_id: str = "",
    account_id: str = "",
    idempotency_key: str = "",
) -> tuple[BatchSubmission, bool]:
    """Check a submission for a batch service now, keep it, and open its case in a worker.

    Returns the stored submission and whether it is a replay of an earlier call with the same
    idempotency key. Raises IntakeError with every problem, before anything is written.
    """
    intake_validate(submission=submission)
    fingerprint = _batch_fingerprint(submission=submission, extra=[device_id, account_id])
    if idempotency_key:
        replay = _batch_replay(idempotency_key=idempotency_key, fingerprint=fingerprint)
        if replay is not None:
            return replay, True
    token = secrets.token_urlsafe(24)
    saved: list[str] = []
    media: list[dict[str, str]] = []
    try:
        for number, upload in enumerate(submission.media):
            upload.seek(0)
            path = default_storage.save(f"{PENDING_FOLDER}/{token}/{number}", upload)
            saved.append(path)
            media.append(
                {"path": path, "name": upload.name or "", "content_type": upload.content_type or ""}
            )
        with transaction.atomic():
            batch = BatchSubmission.objects.create(
                token=token,
                api_key=api_key,
                idempotency_key=idempotency_key or None,
                fingerprint=fingerprint,
                service_code=submission.service_code.strip(),
                jurisdiction=submission.jurisdiction.strip(),
                lat=str(submission.lat or "").strip(),
                long=str(submission.long or "").strip(),
                address=submission.address,
                address_id=submission.address_id,
                email=submission.email,
                phone=submission.phone,
                first_name=submission.first_name,
                last_name=submission.last_name,
                device_id=device_id,
                account_id=account_id,
                description=submission.description,
                media_url=submission.media_url,
                attributes=dict(submission.attributes),
                media=media,
            )
            transaction.on_commit(lambda: _batch_enqueue(batch_id=batch.pk))
    except IntegrityError:
        _pending_delete(saved)
        # A concurrent retry with the same key committed first; answer as its replay.
        replay = (
            _batch_replay(idempotency_key=idempotency_key, fingerprint=fingerprint)
            if idempotency_key
            else None
        )
        if replay is None:
            raise
        return replay, True
    except BaseException:
        _pending_delete(saved)
        raise
    return batch, False


def _batch_enqueue(*, batch_id: int) -> None:
    # Imported here: the task module imports this one to call batch_submission_process.
    from civicdesk.open311.tasks import batch_submission_run

    batch_submission_run.enqueue(batch_id=batch_id)


def _batch_uploads(batch: BatchSubmission) -> list[UploadedFile[bytes]]:
    uploads: list[UploadedFile[bytes]] = []
    for item in batch.media:
        with default_storage.open(item["path"], "rb") as handle:
            content = handle.read()
        uploads.append(SimpleUploadedFile(item["name"], content, item["content_type"]))
    return uploads


def batch_submission_process(*, batch_id: int) -> BatchSubmission | None:
    """Open the case of a batch submission, once; safe to run again after it has run.

    The token is the intake idempotency key, so even a run interrupted after intake committed
    cannot open a second case. A submission that no longer validates (the service was retired
    in between) is marked processed with the error, since retrying cannot fix it.
    """
    with transaction.atomic():
        batch = BatchSubmission.objects.select_for_update().filter(pk=batch_id).first()
        if batch is None or batch.processed_at is not None:
            return batch
        try:
            result = intake_submit(
                submission=IntakeSubmission(
                    channel=Channel.OPEN311,
                    service_code=batch.service_code,
                    lat=batch.lat or None,
                    long=batch.long or None,
                    address=batch.address,
                    address_id=batch.address_id,
                    attributes=batch.attributes,
                    email=batch.email,
                    phone=batch.phone,
                    first_name=batch.first_name,
                    last_name=batch.last_name,
                    description=batch.description,
                    media_url=batch.media_url,
                    media=_batch_uploads(batch),
                    occurred_at=batch.created_at,
                    jurisdiction=batch.jurisdiction,
                ),
                idempotency_key=f"open311-batch:{batch.token}",
            )
            batch.case = result.case
        except IntakeError as error:
            batch.error = "; ".join(
                f"{name}: {message}"
                for name, messages in error.message_dict.items()
                for message in messages
            )
        batch.processed_at = timezone.now()
        batch.save(update_fields=["case", "error", "processed_at"])
        paths = [item["path"] for item in batch.media]
        transaction.on_commit(lambda: _pending_delete(paths))
    return batch


def batch_submission_get(*, token: str) -> BatchSubmission | None:
    """The batch submission with this token and its case, or None."""
    return BatchSubmission.objects.select_related("case").filter(token=token).first()
