"""The assistant in the portal: its own page without JavaScript, and the panel htmx loads."""

import pytest

from civicdesk.assistant.models import Conversation
from tests.portal.pages import html_lang, page_text

pytestmark = pytest.mark.django_db


def test_every_portal_page_offers_the_assistant_but_its_own(client, city):
    home = page_text(client.get("/"))
    assert 'href="/assistant/" data-assistant-open' in home
    chat = page_text(client.get("/assistant/"))
    assert "data-assistant-open" not in chat
    assert "<h1>Ask the 311 assistant</h1>" in chat
    assert 'role="log"' in chat


def test_a_conversation_without_javascript(client, city):
    response = client.post("/assistant/", {"text": "how do I pay a parking fine"})
    assert response.status_code == 302
    assert response["Location"] == "/assistant/#assistant-latest"

    text = page_text(client.get("/assistant/"))
    assert "<p>how do I pay a parking fine</p>" in text
    assert "Pay online, by mail or in person within 21 days." in text
    assert f'href="/answers/{city["parking"].slug}/">Read the full answer</a>' in text

    client.post("/assistant/", {"text": "there is a pothole on my street"})
    text = page_text(client.get("/assistant/"))
    # The offer's answers are buttons of the same form.
    assert 'name="choice" value="yes">Yes, start a request</button>' in text
    client.post("/assistant/", {"choice": "yes", "text": ""})
    text = page_text(client.get("/assistant/"))
    assert 'href="/report/pothole/?description=there+is+a+pothole+on+my+street"' in text
    assert Conversation.objects.count() == 1
    assert Conversation.objects.get().contact.messages.count() == 6


def test_htmx_gets_just_the_panel(client, city):
    response = client.post("/assistant/", {"text": "hello"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "<html" not in text
    assert 'id="assistant-conversation"' in text
    assert "I am the 311 assistant" in text


def test_the_conversation_in_spanish(client, city):
    headers = {"accept-language": "es"}
    client.post("/assistant/", {"text": "¿qué día recogen la basura?"}, headers=headers)
    response = client.get("/assistant/", headers=headers)
    assert html_lang(response) == "es"
    text = page_text(response)
    assert "Pregunte al asistente del 311" in text
    assert "una vez por semana" in text
    assert "Leer la respuesta completa" in text


def test_an_emergency_is_announced(client, city):
    client.post("/assistant/", {"text": "my house is on fire"})
    text = page_text(client.get("/assistant/"))
    assert 'role="alert"><p>If this is an emergency, call 911 now.' in text
    assert 'href="tel:911">Call 911</a>' in text


def test_start_over_forgets_the_conversation(client, city):
    client.post("/assistant/", {"text": "hello"})
    client.post("/assistant/", {"action": "restart"})
    text = page_text(client.get("/assistant/"))
    assert "<p>hello</p>" not in text
    assert Conversation.objects.count() == 1


def test_too_many_messages_are_refused_with_a_reason(client, city, settings):
    settings.CIVICDESK_ASSISTANT_LIMIT_PER_MINUTE = 1
    client.post("/assistant/", {"text": "hello"})
    response = client.post("/assistant/", {"text": "hello again"})
    assert response.status_code == 429
    assert "Please wait a minute" in page_text(response)
