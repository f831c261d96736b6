"""The browsable API docs (Swagger UI), working with no internet access.

django-ninja renders its Swagger page from a CDN unless `ninja` is an installed app. The
Swagger UI files ship inside the django-ninja package, so this page loads them from there
through `docs_asset`: the docs work on an air-gapped city network and no third party sees
who reads them.
"""

import mimetypes
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ninja
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.urls import reverse
from ninja.openapi.docs import DocsBase

if TYPE_CHECKING:
    from ninja import NinjaAPI

ASSET_DIR = Path(ninja.__file__).resolve().parent / "static" / "ninja"
# Only these files are served: the view must not become a window into site-packages.
ASSETS = frozenset({"swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-init.js", "favicon.png"})
ASSET_MAX_AGE = 24 * 60 * 60


class OfflineSwagger(DocsBase):
    """Swagger UI with its JavaScript and CSS served by CivicDesk itself."""

    settings: dict[str, Any] = {"layout": "BaseLayout", "deepLinking": True}

    def render_page(self, request: HttpRequest, api: "NinjaAPI", **kwargs: Any) -> HttpResponse:
        swagger_settings = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        user = getattr(request, "user", None)
        signed_in = bool(user is not None and user.is_authenticated and user.is_staff)
        context = {
            "api": api,
            "swagger_settings": swagger_settings,
            # Session calls from the page need the CSRF token; token calls ignore it.
            "csrf_token_value": get_token(request) if signed_in else "",
            "css_url": reverse("api-docs-asset", args=["swagger-ui.css"]),
            "bundle_url": reverse("api-docs-asset", args=["swagger-ui-bundle.js"]),
            "init_url": reverse("api-docs-asset", args=["swagger-ui-init.js"]),
            "icon_url": reverse("api-docs-asset", args=["favicon.png"]),
        }
        return render(request, "api/swagger.html", context)


def docs_asset(request: HttpRequest, name: str) -> FileResponse:
    """One of the bundled Swagger UI files."""
    if name not in ASSETS:
        raise Http404(name)
    content_type, _ = mimetypes.guess_type(name)
    response = FileResponse(
        (ASSET_DIR / name).open("rb"), content_type=content_type or "application/octet-stream"
    )
    response["Cache-Control"] = f"public, max-age={ASSET_MAX_AGE}"
    return response
