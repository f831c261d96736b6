from django.urls import path

from civicdesk.assistant import views

app_name = "assistant"

urlpatterns = [
    path("", views.chat, name="chat"),
]
