"""The front-end libraries are committed, complete, and light enough for a phone."""

import gzip
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

import civicdesk.portal

VENDOR = Path(civicdesk.portal.__file__).parent / "static" / "portal" / "vendor"
CSS = VENDOR / "uswds" / "css" / "uswds.min.css"


@pytest.mark.parametrize(
    "path",
    [
        "portal/vendor/uswds/css/uswds.min.css",
        "portal/vendor/uswds/js/uswds.min.js",
        "portal/vendor/uswds/js/uswds-init.min.js",
        "portal/vendor/uswds/img/sprite.svg",
        "portal/vendor/uswds/fonts/source-sans-pro/sourcesanspro-regular-webfont.woff2",
        "portal/vendor/uswds/fonts/source-sans-pro/sourcesanspro-bold-webfont.woff2",
        "portal/vendor/htmx/htmx.min.js",
        "portal/vendor/leaflet/leaflet.js",
        "portal/vendor/leaflet/leaflet.css",
        "portal/vendor/leaflet/images/marker-icon.png",
        "portal/vendor/leaflet/images/marker-shadow.png",
        "portal/vendor/SOURCES.md",
        "portal/portal.css",
        "portal/noscript.css",
    ],
)
def test_vendored_file_is_served(path):
    assert finders.find(path), path


def test_every_file_the_stylesheets_point_at_exists():
    for stylesheet in (CSS, VENDOR / "leaflet" / "leaflet.css"):
        text = stylesheet.read_text(encoding="utf-8-sig")
        references = {
            ref
            for ref in re.findall(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)", text)
            if not ref.startswith(("data:", "#"))
        }
        assert references, stylesheet
        missing = [ref for ref in references if not (stylesheet.parent / ref).resolve().is_file()]
        assert missing == [], stylesheet


def test_sources_name_every_licence():
    sources = (VENDOR / "SOURCES.md").read_text(encoding="utf-8")
    for licence in ("CC0", "SIL Open Font License", "0BSD", "BSD 2-Clause", "Apache License"):
        assert licence in sources


@pytest.mark.django_db
def test_home_page_weighs_well_under_500_kb(client):
    """Everything the home page loads, as a browser receives it (text compressed as the
    production server sends it; images and fonts as they are)."""
    html = client.get("/").content
    assets = set(re.findall(rb'(?:href|src)="/static/([^"]+)"', html))
    css = CSS.read_text(encoding="utf-8-sig")
    # The fonts and icons the page's own markup makes the browser fetch from the CSS.
    assets |= {
        b"portal/vendor/uswds/img/usa-icons/expand_more.svg",
        b"portal/vendor/uswds/img/usa-icons/warning.svg",
        b"portal/vendor/uswds/img/usa-icons/close.svg",
    }
    assert "sourcesanspro-regular-webfont.woff2" in css
    sent = len(gzip.compress(html))
    raw = len(html)
    for asset in assets:
        path = finders.find(asset.decode())
        assert path, asset
        data = Path(path).read_bytes()
        raw += len(data)
        compressible = asset.endswith((b".css", b".js", b".svg"))
        sent += len(gzip.compress(data)) if compressible else len(data)
    print(f"home page: {sent // 1024} KB sent, {raw // 1024} KB uncompressed")
    assert sent < 150 * 1024, f"home page sends {sent // 1024} KB"
    # The target is on what is sent; even a client that accepts no compression stays under it.
    assert raw < 500 * 1024, f"home page weighs {raw // 1024} KB uncompressed"
