from django.contrib import admin
from django.urls import path

from civicdesk.core import views as core_views

admin.site.site_header = "CivicDesk administration"
admin.site.site_title = "CivicDesk"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("health", core_views.health, name="health"),
    path("admin/", admin.site.urls),
]
