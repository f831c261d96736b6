"""The NinjaAPI instance: routers, authentication, error handlers and the docs page."""

from ninja import NinjaAPI

from civicdesk.api.auth import ApiTokenAuth, StaffSessionAuth
from civicdesk.api.docs import OfflineSwagger
from civicdesk.api.endpoints import (
    assistant,
    cases,
    catalog,
    contacts,
    duplicates,
    knowledge,
    me,
    routing,
)
from civicdesk.api.errors import install_error_handlers

DESCRIPTION = """\
The staff and integrator API of CivicDesk. Authenticate with a personal token
(`Authorization: Bearer cdk_...`, made with `civicdesk apitoken create`) or, on this page,
with your admin session. What you may do follows your Django permissions.

Every error has the body `{"detail": "...", "errors": {"field": ["message"]}}`.
"""

api = NinjaAPI(
    title="CivicDesk API",
    version="1.0.0",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    auth=[ApiTokenAuth(), StaffSessionAuth()],
    docs=OfflineSwagger(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
install_error_handlers(api)
api.add_router("/cases", cases.router)
api.add_router("/cases", duplicates.router)
api.add_router("/catalog", catalog.router)
api.add_router("/contacts", contacts.router)
api.add_router("/knowledge", knowledge.router)
api.add_router("/assistant", assistant.router)
api.add_router("/routing", routing.router)
api.add_router("", me.router)
