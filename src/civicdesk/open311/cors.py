"""CORS for the Open311 read endpoints: public data, so any web page may read it.

Only reads are opened to other origins; posting needs an API key, which belongs on a server,
not in a web page's script.
"""

from collections.abc import Iterable

from django.http import HttpResponse

PREFLIGHT_MAX_AGE = 86_400


def cors_allow(response: HttpResponse) -> HttpResponse:
    """Let a page on any origin read this response (no cookies are involved)."""
    response["Access-Control-Allow-Origin"] = "*"
    return response


def cors_preflight(*, allow: Iterable[str], cors_methods: Iterable[str]) -> HttpResponse:
    """The answer to an OPTIONS preflight.

    `allow` is every method the endpoint takes; `cors_methods` the ones other origins may use.
    """
    response = HttpResponse(status=204)
    response["Allow"] = ", ".join(allow)
    response["Access-Control-Allow-Methods"] = ", ".join(cors_methods)
    response["Access-Control-Allow-Headers"] = "Accept, Content-Type"
    response["Access-Control-Max-Age"] = str(PREFLIGHT_MAX_AGE)
    return cors_allow(response)
