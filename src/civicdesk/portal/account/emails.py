"""Emails the portal sends residents: sign-in links, follow confirmations, follow receipts.

Each message is plain text with an HTML alternative, rendered in the resident's language from
`portal/email/<name>_subject.txt`, `<name>.txt` and `<name>.html`, and sent at once through
Django's email backend (the local outbox file by default, SMTP when configured). Links are
sent here rather than from a background task so their tokens are never stored in clear.
"""

from __future__ import annotations

import logging
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone, translation

logger = logging.getLogger(__name__)


def email_send(
    *,
    to: str,
    name: str,
    context: dict[str, Any],
    language: str,
    headers: dict[str, str] | None = None,
) -> bool:
    """Render and send one email; False (logged, without the address) when sending failed."""
    context = {"jurisdiction": settings.CIVICDESK_JURISDICTION_NAME, **context}
    with (
        translation.override(language),
        timezone.override(ZoneInfo(settings.CIVICDESK_JURISDICTION_TIMEZONE)),
    ):
        subject = " ".join(render_to_string(f"portal/email/{name}_subject.txt", context).split())
        text = render_to_string(f"portal/email/{name}.txt", context)
        html = render_to_string(
            f"portal/email/{name}.html", {**context, "language": language, "subject": subject}
        )
    message = EmailMultiAlternatives(subject=subject, body=text, to=[to], headers=headers)
    message.attach_alternative(html, "text/html")
    try:
        message.send()
    except Exception:
        # SMTP refused or unreachable: the caller tells the resident; the log says why.
        logger.exception("Could not send the %s email.", name)
        return False
    return True
