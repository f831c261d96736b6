"""Helpers for the account and follow tests: read the emails residents get, sign in."""

import re
from typing import Any

from django.core import mail

from .pages import page_text

LINK = re.compile(r"https?://testserver(/[^\s\"<]+)")


def last_email(to: str) -> Any:
    sent = [message for message in mail.outbox if to in message.to]
    assert sent, f"no email to {to}"
    return sent[-1]


def link_in(message: Any, path_start: str) -> str:
    """The path of the first link starting with `path_start` in the plain-text body."""
    for path in LINK.findall(message.body):
        if path.startswith(path_start):
            return str(path)
    raise AssertionError(f"no {path_start} link in: {message.body}")


def html_body(message: Any) -> str:
    (html, mimetype) = message.alternatives[0]
    assert mimetype == "text/html"
    return str(html)


def request_sign_in(client: Any, email: str, **extra: Any) -> Any:
    return client.post("/account/sign-in/", {"email": email, **extra})


def sign_in(client: Any, email: str, **extra: Any) -> Any:
    """Ask for a link, then use it; returns the response to using it."""
    response = request_sign_in(client, email, **extra)
    assert response.status_code == 303, page_text(response)
    path = link_in(last_email(email), "/account/sign-in/")
    return client.post(path)


def field_error(response: Any, field_id: str) -> str:
    match = re.search(
        rf'<span class="usa-error-message" id="{re.escape(field_id)}-error" role="alert">([^<]+)',
        page_text(response),
    )
    assert match, f"no error beside {field_id}"
    return match.group(1)


def input_tag(response: Any, field_id: str) -> str:
    match = re.search(rf'<input[^>]*id="{re.escape(field_id)}"[^>]*>', page_text(response))
    assert match, f"no input {field_id}"
    return match.group(0)


def boston_districts() -> dict[str, Any]:
    """Two districts around the test cases' point (42.36, -71.06): North holds it, South not."""

    def square(x0: float, y0: float, x1: float, y1: float) -> list[list[list[float]]]:
        return [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]

    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"CODE": "north", "NAME": "North End"},
                "geometry": {"type": "Polygon", "coordinates": square(-71.1, 42.35, -71.0, 42.4)},
            },
            {
                "type": "Feature",
                "properties": {"CODE": "south", "NAME": "South Boston"},
                "geometry": {"type": "Polygon", "coordinates": square(-71.1, 42.3, -71.0, 42.35)},
            },
        ],
    }
