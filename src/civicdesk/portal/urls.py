from django.urls import path

from civicdesk.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("report/", views.report, name="report"),
    path("report/<str:code>/", views.report_service, name="report-service"),
    path("track/", views.track, name="track"),
    path("requests/", views.requests, name="requests"),
]
