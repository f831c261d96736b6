"""Open311 GeoReport v2 writes: POST requests.{fmt} and GET tokens/{token}.{fmt}.

The body is read here, before anything else touches `request.POST`, so that an oversized,
malformed or non-UTF-8 body becomes a 400 in the client's format rather than a Django error
page. Status codes beyond the spec's 400/403/404: 429 when a key is over its rate limit (with
Retry-After), 422 when an Idempotency-Key is reused for a different submission, 201 for a new
request and 200 for a replay of an earlier one.
"""

import math
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

from django.conf import settings
from django.core.exceptions import (
    BadRequest,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.views.decorators.csrf import csrf_exempt

from civicdesk.cases.models import default_jurisdiction
from civicdesk.catalog.cache import service_type_active_get
from civicdesk.catalog.choices import ServiceKind
from civicdesk.catalog.models import ServiceType
from civicdesk.contacts.choices import Channel
from civicdesk.intake.services import (
    MAX_MEDIA_FILES,
    IntakeError,
    IntakeSubmission,
    intake_submit,
)
from civicdesk.open311.endpoint import open311_view, request_jurisdiction
from civicdesk.open311.formats import Format, error_response, render
from civicdesk.open311.jurisdictions import (
    ServedJurisdiction,
    jurisdiction_location_problem,
    jurisdiction_resolve,
)
from civicdesk.open311.models import ApiKey
from civicdesk.open311.services import (
    apikey_authenticate,
    apikey_check_rate,
    batch_submission_create,
    batch_submission_get,
    rate_retry_after,
    service_notice,
)

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
UTF8_NAMES = {"utf-8", "utf8", "us-ascii", "ascii"}
SINGLE_VALUED = (
    "api_key",
    "jurisdiction_id",
    "service_code",
    "lat",
    "long",
    "address_string",
    "address_id",
    "email",
    "device_id",
    "account_id",
    "first_name",
    "last_name",
    "phone",
    "description",
    "media_url",
)
ATTRIBUTE = re.compile(r"attribute\[([^\[\]]*)\](\[\])?")
TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")
# Intake names the address `address`; Open311 clients sent `address_string`.
FIELD_NAMES = {"address": "address_string", "jurisdiction": "jurisdiction_id"}
MAX_CLIENT_ID_LENGTH = 200
# Intake keys are at most 200 characters; the namespace takes the rest.
MAX_IDEMPOTENCY_HEADER_LENGTH = 150
# Room for the largest set of photos intake accepts, plus the text fields.
MULTIPART_SLACK_BYTES = 1024 * 1024


class Refused(Exception):
    """A request answered with Open311 errors instead of a result."""

    def __init__(
        self, status: int, errors: list[tuple[int, str]], headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(status, errors)
        self.status = status
        self.errors = errors
        self.headers = headers or {}

    def response(self, fmt: Format) -> HttpResponse:
        answer = error_response(fmt, self.errors, status=self.status)
        for name, value in self.headers.items():
            answer[name] = value
        return answer


def _bad(message: str) -> Refused:
    return Refused(400, [(400, message)])


@dataclass
class Form:
    """The POST body as (name, value) pairs in order, and the `media` files."""

    fields: list[tuple[str, str]] = field(default_factory=list)
    media: list[UploadedFile[bytes]] = field(default_factory=list)

    def values(self, name: str) -> list[str]:
        return [value for key, value in self.fields if key == name]

    def one(self, name: str) -> str:
        found = self.values(name)
        return found[0] if found else ""


def multipart_limit() -> int:
    return MAX_MEDIA_FILES * settings.CIVICDESK_MAX_UPLOAD_BYTES + MULTIPART_SLACK_BYTES


def _utf8(text: str, what: str) -> str:
    """Undo the Latin-1 reading of a multipart field, insisting on UTF-8."""
    try:
        raw = text.encode("iso-8859-1")
    except UnicodeEncodeError:
        # Already decoded by Django from an RFC 2231 parameter; it is proper text.
        return text
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _bad(
            f"{what} is not valid UTF-8 (byte 0x{raw[exc.start]:02x} at position {exc.start}); "
            "send every field as UTF-8."
        ) from exc


def _no_replacement(text: str, what: str) -> str:
    if "\ufffd" in text:
        raise _bad(f"{what} is not valid UTF-8; send every field as UTF-8.")
    return text


def _read_urlencoded(request: HttpRequest) -> Form:
    body = request.body
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _bad(
            f"The request body is not valid UTF-8 (byte 0x{body[exc.start]:02x} at position "
            f"{exc.start}); send the form as UTF-8."
        ) from exc
    try:
        pairs = parse_qsl(
            text,
            keep_blank_values=True,
            encoding="utf-8",
            errors="strict",
            max_num_fields=settings.DATA_UPLOAD_MAX_NUMBER_FIELDS,
        )
    except UnicodeDecodeError as exc:
        raise _bad(
            "A percent-encoded value in the body is not valid UTF-8; encode text as UTF-8 "
            "before percent-encoding it."
        ) from exc
    except ValueError as exc:
        raise _bad(f"Send at most {settings.DATA_UPLOAD_MAX_NUMBER_FIELDS:,} form fields.") from exc
    return Form(fields=pairs)


def _read_multipart(request: HttpRequest) -> Form:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > multipart_limit():
        raise _bad(f"The request body is larger than {multipart_limit():,} bytes.")
    # Django would replace undecodable bytes silently; read every byte as Latin-1 (lossless)
    # and decode as UTF-8 ourselves, so bad bytes become an error naming the field. When a
    # wrapper already parsed the body (the stream is gone), the replacement character is the
    # only trace of bad bytes left.
    decode = _utf8
    if hasattr(request, "_post"):
        decode = _no_replacement
    else:
        request.encoding = "iso-8859-1"
    post = request.POST
    form = Form()
    for name, values in post.lists():
        clean_name = decode(name, "A field name")
        for value in values:
            form.fields.append((clean_name, decode(value, f"The field '{clean_name[:50]}'")))
    for upload in request.FILES.getlist("media"):
        if upload.name:
            upload.name = decode(upload.name, "The name of a media file")
        form.media.append(upload)
    return form


def read_form(request: HttpRequest) -> Form:
    """The body of a POST as a Form, or Refused with a 400 that says what is wrong."""
    content_type = (request.content_type or "").lower()
    if content_type not in FORM_TYPES:
        raise _bad("Send the request as application/x-www-form-urlencoded or multipart/form-data")
    charset = (request.content_params or {}).get("charset", "").strip().lower()
    if charset and charset not in UTF8_NAMES:
        raise _bad(f"Send the body as UTF-8, not {charset[:40]}.")
    try:
        if content_type == "multipart/form-data":
            return _read_multipart(request)
        return _read_urlencoded(request)
    except RequestDataTooBig as exc:
        raise _bad(
            f"The form is larger than {settings.DATA_UPLOAD_MAX_MEMORY_SIZE:,} bytes; "
            "send photos as multipart `media` files."
        ) from exc
    except TooManyFieldsSent as exc:
        raise _bad(f"Send at most {settings.DATA_UPLOAD_MAX_NUMBER_FIELDS:,} form fields.") from exc
    except TooManyFilesSent as exc:
        raise _bad(f"Attach at most {MAX_MEDIA_FILES} files.") from exc
    except (MultiPartParserError, BadRequest, UnreadablePostError) as exc:
        raise _bad("The multipart body could not be read; check its boundaries.") from exc


def _authenticate(request: HttpRequest, form: Form) -> ApiKey:
    values = form.values("api_key") or request.GET.getlist("api_key")
    if len(values) > 1:
        raise _bad("api_key: send this parameter once.")
    raw = values[0].strip() if values else ""
    if not raw:
        raise Refused(403, [(403, "api_key: creating a request needs an API key.")])
    key = apikey_authenticate(raw=raw)
    if key is None:
        raise Refused(403, [(403, "api_key: this key is not valid or has been revoked.")])
    if not apikey_check_rate(key=key):
        wait = rate_retry_after()
        raise Refused(
            429,
            [
                (
                    429,
                    f"api_key: over the limit of {key.rate_limit_per_minute} requests a minute; "
                    f"try again in {wait} seconds.",
                )
            ],
            headers={"Retry-After": str(wait)},
        )
    return key


def _attributes(form: Form) -> dict[str, str | list[str]]:
    answers: dict[str, list[str]] = {}
    listed: set[str] = set()
    for name, value in form.fields:
        if not name.startswith("attribute"):
            continue
        match = ATTRIBUTE.fullmatch(name)
        if match is None or not match.group(1).strip():
            shown = name[:80]
            raise _bad(f"{shown}: write answers as attribute[CODE]=value (attribute[CODE][]=v).")
        code = match.group(1).strip()
        answers.setdefault(code, []).append(value)
        if match.group(2):
            listed.add(code)
    # One plain answer stays text; repeated or [] answers form a list intake checks by datatype.
    return {
        code: values if code in listed or len(values) > 1 else values[0]
        for code, values in answers.items()
    }


def _idempotency_key(request: HttpRequest, key: ApiKey) -> str:
    header = request.headers.get("Idempotency-Key", "").strip()
    if not header:
        return ""
    if len(header) > MAX_IDEMPOTENCY_HEADER_LENGTH or not header.isprintable():
        raise _bad(
            f"Idempotency-Key: use at most {MAX_IDEMPOTENCY_HEADER_LENGTH} printable characters."
        )
    # Keys are per integrator: two apps choosing the same key must not see each other's requests.
    return f"open311:{key.prefix}:{header}"


def _intake_refusal(error: IntakeError) -> Refused:
    entries: list[tuple[int, str]] = []
    status = 400
    for name, messages in error.message_dict.items():
        code = 400
        if name == "idempotency_key":
            code = status = 422
            name = "Idempotency-Key"
        for message in messages:
            entries.append((code, f"{FIELD_NAMES.get(name, name)}: {message}"))
    return Refused(status, entries)


def _submission(form: Form, jurisdiction: ServedJurisdiction | None) -> IntakeSubmission:
    duplicated = [name for name in SINGLE_VALUED if len(form.values(name)) > 1]
    if duplicated:
        raise Refused(400, [(400, f"{name}: send this parameter once.") for name in duplicated])
    for name in ("device_id", "account_id"):
        value = form.one(name)
        if len(value) > MAX_CLIENT_ID_LENGTH or "\x00" in value:
            raise _bad(f"{name}: use at most {MAX_CLIENT_ID_LENGTH} characters, without NUL.")
    return IntakeSubmission(
        channel=Channel.OPEN311,
        service_code=form.one("service_code").strip(),
        lat=form.one("lat") or None,
        long=form.one("long") or None,
        address=form.one("address_string"),
        address_id=form.one("address_id"),
        attributes=_attributes(form),
        email=form.one("email"),
        phone=form.one("phone"),
        first_name=form.one("first_name"),
        last_name=form.one("last_name"),
        description=form.one("description"),
        media_url=form.one("media_url"),
        media=form.media,
        jurisdiction=jurisdiction.jurisdiction_id if jurisdiction is not None else "",
    )


def _service_type(code: str, fmt: Format, jurisdiction: ServedJurisdiction | None) -> ServiceType:
    if not code:
        raise _bad("service_code: say which service this request is for (see services.json).")
    if "\x00" in code:
        raise _bad("service_code: remove the NUL control character.")
    service_type = service_type_active_get(code) if len(code) <= 64 else None
    if service_type is None or not service_type.is_public:
        raise Refused(
            404, [(404, f"service_code '{code[:64]}': unknown service; see services.{fmt}.")]
        )
    if jurisdiction is not None and not jurisdiction.offers(service_type.code):
        raise Refused(
            404,
            [
                (
                    404,
                    f"service_code '{code[:64]}': not offered in {jurisdiction.name}; see "
                    f"services.{fmt}?jurisdiction_id={jurisdiction.jurisdiction_id}.",
                )
            ],
        )
    return service_type


def _coordinates(submission: IntakeSubmission) -> tuple[float, float] | None:
    try:
        lat, long = float(str(submission.lat)), float(str(submission.long))
    except ValueError:
        return None
    if not (math.isfinite(lat) and math.isfinite(long)):
        return None
    return lat, long


def _check_boundary(submission: IntakeSubmission, jurisdiction: ServedJurisdiction | None) -> None:
    """Refuse coordinates outside the named jurisdiction's boundary.

    Coordinates that are not numbers are left to intake, which says what is wrong with them;
    a request located by address alone cannot be placed, so it is not refused here.
    """
    point = _coordinates(submission) if submission.lat and submission.long else None
    if jurisdiction is None or jurisdiction.boundary is None or point is None:
        return
    lat, long = point
    if not -90 <= lat <= 90 or not -180 <= long <= 180:
        return
    problem = jurisdiction_location_problem(jurisdiction, lat=lat, long=long)
    if problem:
        raise _bad(f"lat: {problem}")


@open311_view
def _create(request: HttpRequest, fmt: Format, *, form: Form) -> HttpResponse:
    try:
        jurisdiction = jurisdiction_resolve(form.values("jurisdiction_id"))
        key = _authenticate(request, form)
        submission = _submission(form, jurisdiction)
        service_type = _service_type(submission.service_code, fmt, jurisdiction)
        _check_boundary(submission, jurisdiction)
        idempotency_key = _idempotency_key(request, key)
        notice = service_notice(service_type=service_type)
        if service_type.kind == ServiceKind.BATCH:
            batch, replayed = batch_submission_create(
                submission=submission,
                api_key=key,
                device_id=form.one("device_id"),
                account_id=form.one("account_id"),
                idempotency_key=idempotency_key,
            )
            answer = {"token": batch.token, "service_notice": notice, "account_id": ""}
        else:
            # Blackbox services are answered like realtime ones: the case exists at once, and
            # its id is more useful to a client than a token that would resolve immediately.
            result = intake_submit(submission=submission, idempotency_key=idempotency_key)
            if result.case is None:
                raise RuntimeError("Intake opened no case for a service request.")
            replayed = result.replayed
            answer = {
                "service_request_id": result.case.reference,
                "service_notice": notice,
                "account_id": "",
            }
    except IntakeError as error:
        return _intake_refusal(error).response(fmt)
    except Refused as refusal:
        return refusal.response(fmt)
    return render(fmt, root="service_requests", data=[answer], status=200 if replayed else 201)


@csrf_exempt
def requests_create(request: HttpRequest, fmt: Format) -> HttpResponse:
    """POST requests.{fmt}: create a service request (realtime/blackbox) or accept one (batch)."""
    if request.method != "POST":
        answer = error_response(fmt, [(405, "Create requests with POST.")], status=405)
        answer["Allow"] = "POST"
        return answer
    try:
        form = read_form(request)
    except Refused as refusal:
        return refusal.response(fmt)
    return _create(request, fmt, form=form)


@csrf_exempt
@open311_view
def token_detail(request: HttpRequest, token: str, fmt: Format) -> HttpResponse:
    """GET tokens/{token}.{fmt}: the request id a batch token became, empty until it has."""
    jurisdiction = request_jurisdiction(request)
    batch = batch_submission_get(token=token) if TOKEN.fullmatch(token) else None
    if batch is not None and jurisdiction is not None:
        batch_jurisdiction = batch.jurisdiction or default_jurisdiction()
        if batch_jurisdiction != jurisdiction.jurisdiction_id:
            batch = None
    if batch is None:
        return error_response(
            fmt,
            [(404, f"token '{token[:64]}': no request was accepted with this token.")],
            status=404,
        )
    return render(
        fmt,
        root="service_requests",
        data=[
            {
                "service_request_id": batch.case.reference if batch.case is not None else None,
                "token": batch.token,
            }
        ],
    )
