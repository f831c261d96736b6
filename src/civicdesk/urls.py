from django.contrib import admin
from django.urls import include, path

from civicdesk.core import views as core_views

admin.site.site_header = "CivicDesk administration"
admin.site.site_title = "CivicDesk"

urlpatterns = [
    path("", include("civicdesk.portal.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("health", core_views.health, name="health"),
    path("health/live", core_views.live, name="health-live"),
    path("open311/v2/", include("civicdesk.open311.urls")),
    path("api/v1/", include("civicdesk.api.urls")),
    path("geo/", include("civicdesk.geo.urls")),
    path("admin/", admin.site.urls),
]
