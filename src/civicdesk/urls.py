from django.contrib import admin
from django.urls import include, path

from civicdesk.core import views as core_views

admin.site.site_header = "CivicDesk administration"
admin.site.site_title = "CivicDesk"

# The portal's catch-all prefix comes last: Django tries patterns in order, so every API request
# would otherwise be matched against each portal page first.
urlpatterns = [
    path("health", core_views.health, name="health"),
    path("health/live", core_views.live, name="health-live"),
    path("open311/v2/", include("civicdesk.open311.urls")),
    path("api/v1/", include("civicdesk.api.urls")),
    path("geo/", include("civicdesk.geo.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("assistant/", include("civicdesk.assistant.urls")),
    path("", include("civicdesk.portal.urls")),
]
