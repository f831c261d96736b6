"""Model instances to response bodies, field by field, so a new column never leaks by itself."""

from typing import Any

from django.contrib.auth.models import User
from django.http import HttpRequest

from civicdesk.cases.models import Attachment, Case, CaseEvent, CaseNote
from civicdesk.catalog.models import ContactReason, Department, ServiceType
from civicdesk.contacts.models import Contact
from civicdesk.people.models import Resident


def _username(user: User | None) -> str | None:
    return user.get_username() if user is not None else None


def case_summary(case: Case) -> dict[str, Any]:
    return {
        "reference": case.reference,
        "status": case.status,
        "close_reason": case.close_reason,
        "service": {"code": case.service_type.code, "name": case.service_type.name},
        "department": {"code": case.department.code, "name": case.department.name},
        "district": (
            {"code": case.district.code, "name": case.district.name} if case.district else None
        ),
        "jurisdiction": case.jurisdiction,
        "assignee": _username(case.assignee),
        "channel": case.channel,
        "description": case.description,
        "address": case.address,
        "zipcode": case.zipcode,
        "lat": case.lat,
        "long": case.long,
        "requested_at": case.requested_at,
        "updated_at": case.updated_at,
        "closed_at": case.closed_at,
        "sla_due_at": case.sla_due_at,
    }


def note_out(note: CaseNote) -> dict[str, Any]:
    return {
        "id": note.pk,
        "visibility": note.visibility,
        "body": note.body,
        "author": _username(note.author),
        "created_at": note.created_at,
    }


def attachment_out(request: HttpRequest, attachment: Attachment) -> dict[str, Any]:
    return {
        "id": attachment.pk,
        "original_name": attachment.original_name,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "sha256": attachment.sha256,
        "width": attachment.width,
        "height": attachment.height,
        "is_public": attachment.is_public,
        "url": request.build_absolute_uri(attachment.file.url),
        "uploaded_by": _username(attachment.uploaded_by),
        "created_at": attachment.created_at,
    }


def resident_out(resident: Resident, *, with_contact_points: bool) -> dict[str, Any]:
    return {
        "id": resident.pk,
        "first_name": resident.first_name,
        "last_name": resident.last_name,
        "preferred_language": resident.preferred_language,
        "contact_points": (
            [
                {
                    "kind": point.kind,
                    "value": point.value,
                    "verified": point.verified_at is not None,
                    "consent_updates": point.consent_updates,
                }
                for point in resident.contact_points.all()
            ]
            if with_contact_points
            else None
        ),
    }


def case_detail(request: HttpRequest, case: Case, *, user: User) -> dict[str, Any]:
    """The staff view; notes, attachments and the resident only for those allowed to see them."""
    body = case_summary(case)
    body["address_id"] = case.address_id
    body["media_url"] = case.media_url
    body["attributes"] = dict(case.attributes)
    body["routing_explanation"] = case.routing_explanation
    body["notes"] = (
        [note_out(note) for note in case.notes.all()]
        if user.has_perm("cases.view_casenote")
        else None
    )
    body["attachments"] = (
        [attachment_out(request, attachment) for attachment in case.attachments.all()]
        if user.has_perm("cases.view_attachment")
        else None
    )
    body["resident"] = (
        resident_out(case.resident, with_contact_points=user.has_perm("people.view_contactpoint"))
        if case.resident is not None and user.has_perm("people.view_resident")
        else None
    )
    return body


def event_out(event: CaseEvent) -> dict[str, Any]:
    return {
        "id": event.pk,
        "kind": event.kind,
        "actor": _username(event.actor),
        "from_status": event.from_status,
        "to_status": event.to_status,
        "is_public": event.is_public,
        "public_text": event.public_text,
        "data": dict(event.data),
        "created_at": event.created_at,
    }


def service_type_out(service_type: ServiceType) -> dict[str, Any]:
    return {
        "code": service_type.code,
        "name": service_type.name,
        "description": service_type.description,
        "group": service_type.group,
        "keywords": list(service_type.keywords),
        "kind": service_type.kind,
        "department": {
            "code": service_type.default_department.code,
            "name": service_type.default_department.name,
        },
        "is_public": service_type.is_public,
        "sla": (
            {"value": service_type.sla_value, "unit": service_type.sla_unit}
            if service_type.sla_value is not None
            else None
        ),
        "required_documents": list(service_type.required_documents),
        # Ordered by the selector's prefetch.
        "attributes": [
            {
                "code": attribute.code,
                "description": attribute.description,
                "datatype": attribute.datatype,
                "required": attribute.required,
                "variable": attribute.variable,
                "datatype_description": attribute.datatype_description,
                "order": attribute.order,
                "values": [{"key": v.key, "name": v.name} for v in attribute.values.all()],
            }
            for attribute in service_type.attributes.all()
        ],
    }


def department_out(department: Department) -> dict[str, Any]:
    return {
        "code": department.code,
        "name": department.name,
        "description": department.description,
        "email": department.email,
        "phone": department.phone,
        "url": department.url,
        "hours": department.hours,
    }


def contact_reason_out(reason: ContactReason) -> dict[str, Any]:
    return {
        "code": reason.code,
        "name": reason.name,
        "description": reason.description,
        "parent": reason.parent.code if reason.parent else None,
        "department": reason.department.code if reason.department else None,
        "service_code": reason.service_type.code if reason.service_type else None,
    }


def contact_out(contact: Contact) -> dict[str, Any]:
    return {
        "id": contact.pk,
        "channel": contact.channel,
        "direction": contact.direction,
        "reason": (
            {"code": contact.reason.code, "name": contact.reason.name} if contact.reason else None
        ),
        "service": (
            {"code": contact.service_type.code, "name": contact.service_type.name}
            if contact.service_type
            else None
        ),
        "agent": _username(contact.agent),
        "summary": contact.summary,
        "language": contact.language,
        "started_at": contact.started_at,
        "case_references": [link.case.reference for link in contact.case_links.all()],
    }
