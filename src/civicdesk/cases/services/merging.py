"""Merging a duplicate request into the original: one job, everyone who cares following it."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from civicdesk.cases.choices import CaseStatus, CloseReason, EventKind
from civicdesk.cases.models import Case
from civicdesk.cases.services.events import case_event_record
from civicdesk.cases.services.workflow import MAX_NOTE_LENGTH, case_state_copy
from civicdesk.contacts.choices import CaseLinkRole
from civicdesk.contacts.models import ContactCase
from civicdesk.contacts.services import contact_link_case
from civicdesk.people.choices import UpdateChannel
from civicdesk.people.models import CaseFollow, ContactPoint, Resident, ResidentAccount
from civicdesk.people.services.follows import case_follow_start


class MergeRefused(ValidationError):
    """A merge the rules do not allow; the message says why, `code` says which rule."""


@dataclass(frozen=True)
class MergeResult:
    duplicate: Case
    original: Case
    followers_added: int
    contacts_linked: int


def merge_problem(*, duplicate: Case, original: Case) -> MergeRefused | None:
    """Why `duplicate` cannot be merged into `original` as they stand, or None when it can."""
    if duplicate.pk == original.pk:
        return MergeRefused(_("A request cannot be merged into itself."), code="same")
    if duplicate.merged_into_id is not None:
        return MergeRefused(
            _("%(duplicate)s was already merged into another request.")
            % {"duplicate": duplicate.reference},
            code="duplicate_merged",
        )
    if duplicate.status == CaseStatus.CLOSED:
        return MergeRefused(
            _("%(duplicate)s is closed; only an open request can be merged.")
            % {"duplicate": duplicate.reference},
            code="duplicate_closed",
        )
    if original.merged_into_id is not None:
        # Pointing at a merged request would make a chain (or, back to the duplicate, a cycle).
        return MergeRefused(
            _("%(original)s was itself merged into another request; merge into that one.")
            % {"original": original.reference},
            code="original_merged",
        )
    if original.status == CaseStatus.CLOSED:
        return MergeRefused(
            _("%(original)s is closed; merge into an open request.")
            % {"original": original.reference},
            code="original_closed",
        )
    if original.jurisdiction != duplicate.jurisdiction:
        return MergeRefused(
            _("%(duplicate)s and %(original)s belong to different jurisdictions.")
            % {"duplicate": duplicate.reference, "original": original.reference},
            code="jurisdiction",
        )
    return None


def _check_note(note: str) -> str:
    text = note.strip()
    if len(text) > MAX_NOTE_LENGTH:
        raise ValidationError(
            {
                "note": _("Keep it to %(limit)s characters or fewer.")
                % {"limit": f"{MAX_NOTE_LENGTH:,}"}
            }
        )
    if "\x00" in text:
        raise ValidationError({"note": _("Null characters are not allowed.")})
    return text


def merged_public_text(original_reference: str) -> str:
    """The duplicate's public status note, in the site's language like the rest of Open311."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("Merged into %(reference)s.") % {"reference": original_reference}


def case_merge(
    *, duplicate: Case, original: Case, actor: User | None, note: str = ""
) -> MergeResult:
    """Close `duplicate` as a duplicate of `original`, or raise `MergeRefused` and write nothing.

    The duplicate is closed (`close_reason=duplicate`, `merged_into=original`) with a public
    MERGED event ("Merged into <reference>."), which is what the resident and Open311 read; the
    original gets a staff-only DUPLICATE_MERGED event. Whoever followed the duplicate now
    follows the original too (their follow of the duplicate stays, so its closing reaches them),
    and so does its resident when they asked for updates or have an account. Contacts about the
    duplicate are linked to the original as repeat reports. `note` is kept with both events for
    staff; it is not shown publicly.
    """
    text = _check_note(note)
    now = timezone.now()
    with transaction.atomic():
        # Both rows locked, lowest id first, so two merges of the same pair cannot deadlock
        # and a concurrent merge or close is seen before deciding.
        locked = {
            case.pk: case
            for case in Case.objects.select_for_update()
            .filter(pk__in=[duplicate.pk, original.pk])
            .order_by("pk")
        }
        locked_duplicate, locked_original = locked[duplicate.pk], locked[original.pk]
        problem = merge_problem(duplicate=locked_duplicate, original=locked_original)
        if problem is None and locked_duplicate.merged_duplicates.exists():
            problem = MergeRefused(
                _(
                    "Other requests were merged into %(duplicate)s; merge %(original)s into "
                    "%(duplicate)s instead."
                )
                % {
                    "duplicate": locked_duplicate.reference,
                    "original": locked_original.reference,
                },
                code="chain",
            )
        if problem is not None:
            raise problem

        from_status = locked_duplicate.status
        locked_duplicate.status = CaseStatus.CLOSED
        locked_duplicate.close_reason = CloseReason.DUPLICATE
        locked_duplicate.closed_at = now
        locked_duplicate.merged_into = locked_original
        locked_duplicate.save(update_fields=["status", "close_reason", "closed_at", "merged_into"])

        followers = _followers_move(duplicate=locked_duplicate, original=locked_original, now=now)
        contacts = _contacts_link(duplicate=locked_duplicate, original=locked_original, actor=actor)
        case_event_record(
            case=locked_duplicate,
            kind=EventKind.MERGED,
            actor=actor,
            from_status=from_status,
            to_status=CaseStatus.CLOSED,
            is_public=True,
            public_text=merged_public_text(locked_original.reference),
            data={
                "close_reason": CloseReason.DUPLICATE.value,
                "original": locked_original.reference,
                "original_id": locked_original.pk,
                "note": text,
            },
            at=now,
        )
        case_event_record(
            case=locked_original,
            kind=EventKind.DUPLICATE_MERGED,
            actor=actor,
            # The original's public record stays as it was: its own status and notes.
            is_public=False,
            data={
                "duplicate": locked_duplicate.reference,
                "duplicate_id": locked_duplicate.pk,
                "followers_added": followers,
                "contacts_linked": contacts,
                "note": text,
            },
            at=now,
        )
    case_state_copy(source=locked_duplicate, target=duplicate)
    case_state_copy(source=locked_original, target=original)
    return MergeResult(
        duplicate=locked_duplicate,
        original=locked_original,
        followers_added=followers,
        contacts_linked=contacts,
    )


def _resident_wants_updates(resident: Resident) -> bool:
    """Known well enough to follow for them: an account, or updates asked for on a report."""
    has_account = ResidentAccount.objects.filter(resident=resident, is_active=True).exists()
    return (
        has_account or ContactPoint.objects.filter(resident=resident, consent_updates=True).exists()
    )


def _followers_move(*, duplicate: Case, original: Case, now: datetime) -> int:
    """Follow the original for each follower of the duplicate, and for its resident.

    Someone who already follows the original, or who stopped following it, is left as they
    are: no second follow, and a stop is respected.
    """
    already = set(CaseFollow.objects.filter(case=original).values_list("resident_id", flat=True))
    wanted: dict[int, tuple[Resident, str | None]] = {}
    for follow in CaseFollow.objects.filter(case=duplicate, ended_at__isnull=True).select_related(
        "resident"
    ):
        wanted[follow.resident_id] = (follow.resident, follow.channel)
    resident = duplicate.resident
    if (
        resident is not None
        and resident.pk not in wanted
        and resident.preferred_channel != UpdateChannel.NONE
        and _resident_wants_updates(resident)
    ):
        wanted[resident.pk] = (resident, None)
    added = 0
    for resident_id, (follower, channel) in sorted(wanted.items()):
        if resident_id in already:
            continue
        _follow, started = case_follow_start(
            resident=follower,
            case=original,
            channel=UpdateChannel(channel) if channel else None,
            now=now,
        )
        added += int(started)
    return added


def _contacts_link(*, duplicate: Case, original: Case, actor: User | None) -> int:
    """Link every contact about the duplicate to the original, as a repeat report."""
    linked = 0
    known = set(ContactCase.objects.filter(case=original).values_list("contact_id", flat=True))
    for link in ContactCase.objects.filter(case=duplicate).select_related("contact"):
        if link.contact_id in known:
            continue
        contact_link_case(
            contact=link.contact, case=original, role=CaseLinkRole.DUPLICATE_REPORT, actor=actor
        )
        linked += 1
    return linked
