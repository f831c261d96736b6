"""Rendering account and follow pages as the rest of the portal does (`views._render`)."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone


def render_page(
    request: HttpRequest, template: str, context: dict[str, Any], *, status: int = 200
) -> HttpResponse:
    """Render with times in the jurisdiction's zone; never cached, since pages are personal."""
    with timezone.override(ZoneInfo(settings.CIVICDESK_JURISDICTION_TIMEZONE)):
        response = render(request, template, context, status=status)
    response["Cache-Control"] = "private, no-store"
    return response
