"""A URLconf that routes POST requests.{fmt} straight to the write view (no tests here), to
check the write side's own body handling apart from the read side's dispatcher."""

from django.urls import URLPattern, re_path

from civicdesk.open311 import views_write

urlpatterns: list[URLPattern] = [
    re_path(r"^open311/v2/requests\.(?P<fmt>json|xml)$", views_write.requests_create),
]
