"""`/api/v1/`: the REST API, its OpenAPI document and docs page, and the docs' own assets."""

from django.urls import URLPattern, URLResolver, path

from civicdesk.api.docs import docs_asset
from civicdesk.api.main import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("docs/assets/<str:name>", docs_asset, name="api-docs-asset"),
    path("", api.urls),
]
