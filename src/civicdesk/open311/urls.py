"""Open311 GeoReport v2 at /open311/v2/: every endpoint in .json and .xml.

Regular expressions, not path converters, because service codes may contain '.', so the format
is the last suffix after the code; anything else falls through to a JSON 404.
"""

from django.urls import URLPattern, URLResolver, re_path

from civicdesk.open311 import views_read

app_name = "open311"

FMT = r"(?P<fmt>json|xml)"

urlpatterns: list[URLPattern | URLResolver] = [
    re_path(rf"^discovery\.{FMT}$", views_read.discovery, name="discovery"),
    re_path(rf"^services\.{FMT}$", views_read.service_list, name="services"),
    re_path(
        rf"^services/(?P<code>[^/]+)\.{FMT}$",
        views_read.service_definition,
        name="service-definition",
    ),
    re_path(rf"^requests\.{FMT}$", views_read.requests_collection, name="requests"),
    re_path(
        rf"^requests/(?P<request_id>[^/]+)\.{FMT}$",
        views_read.request_detail,
        name="request-detail",
    ),
    re_path(rf"^tokens/(?P<token>[^/]+)\.{FMT}$", views_read.token_detail, name="token-detail"),
    re_path(
        rf"^servicerequestupdates\.{FMT}$",
        views_read.request_updates,
        name="request-updates",
    ),
    # [\s\S], not '.', so a path holding an encoded newline still gets the JSON 404.
    re_path(r"^(?P<path>[\s\S]*)$", views_read.unknown_endpoint, name="unknown"),
]
