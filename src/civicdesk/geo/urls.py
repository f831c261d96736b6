from django.urls import path

from civicdesk.geo import views

app_name = "geo"

urlpatterns = [
    path("addresses", views.address_search_view, name="address-search"),
    path("addresses/reverse", views.address_reverse_view, name="address-reverse"),
]
