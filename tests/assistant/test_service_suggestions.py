"""The assistant suggests the service type from the resident's words with the classifier, and
falls back to asking and listing when the classifier cannot tell. A service the words name
outright (site search agrees on one) is offered as before."""

import json
from urllib.parse import parse_qs, urlsplit

import pytest

from civicdesk.assistant.models import Conversation
from civicdesk.contacts.selectors import contacts_awaiting_triage

pytestmark = pytest.mark.django_db

URL = "/api/v1/assistant/messages"


def say(client, text, conversation_id="", lang="en"):
    response = client.post(
        URL,
        json.dumps({"conversation_id": conversation_id, "text": text, "lang": lang}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return response.json()


def contact_of(reply):
    return Conversation.objects.get(public_id=reply["conversation_id"]).contact


def test_a_report_gets_the_classifiers_service_to_confirm_with_its_runners_up(
    client, city, active_classifier
):
    reply = say(client, "I want to report a crater in the asphalt by the bus stop, my tire burst")

    assert reply["kind"] == "choice"
    assert reply["text"].startswith("This sounds like: Pothole. Is that right?")
    assert reply["service"] == {"code": "pothole", "name": "Pothole"}
    labels = [option["label"] for option in reply["options"]]
    assert labels[0] == "Yes: Pothole"
    assert labels[-1] == "None of these"
    assert len(labels) == 4
    assert all(label.startswith("Report: ") for label in labels[1:3])
    assert [option["reply"] for option in reply["options"]] == ["yes", "2", "3", "4"]


def test_yes_starts_the_suggested_request_with_the_words_carried_over(
    client, city, active_classifier
):
    first = say(client, "Crater in the asphalt by the bus stop, my tire burst")
    assert first["kind"] == "choice"

    reply = say(client, "yes", first["conversation_id"])

    assert reply["kind"] == "start_request"
    assert reply["service"]["code"] == "pothole"
    link = urlsplit(reply["links"][0]["url"])
    assert link.path == "/report/pothole/"
    assert parse_qs(link.query)["description"] == [
        "Crater in the asphalt by the bus stop, my tire burst"
    ]
    assert contact_of(reply).service_type.code == "pothole"


def test_a_runner_up_can_be_picked_instead(client, city, active_classifier):
    first = say(client, "Crater in the asphalt by the bus stop, my tire burst")
    second_choice = first["options"][1]
    code_label = second_choice["label"].removeprefix("Report: ")

    reply = say(client, second_choice["reply"], first["conversation_id"])

    assert reply["kind"] == "start_request"
    assert reply["service"]["name"] == code_label
    assert reply["service"]["code"] != "pothole"
    link = urlsplit(reply["links"][0]["url"])
    assert parse_qs(link.query)["description"] == [
        "Crater in the asphalt by the bus stop, my tire burst"
    ]


@pytest.mark.parametrize("answer", ["no", "4"])
def test_a_wrong_guess_falls_back_to_finding_the_service_by_search(
    client, city, active_classifier, answer
):
    first = say(client, "I want to report a crater in the asphalt by the bus stop")
    assert first["kind"] == "choice"

    reply = say(client, answer, first["conversation_id"])

    assert not reply["text"].startswith("This sounds like")
    assert reply["kind"] in ("offer_request", "choice", "not_found")
    if reply["kind"] == "not_found":
        assert reply["links"][0]["url"] == "http://testserver/report/"


def test_when_the_classifier_cannot_tell_the_assistant_asks_and_lists(
    client, city, active_classifier
):
    reply = say(client, "I want to report wibble fnarg xqzv")

    assert reply["kind"] == "not_found"
    assert "could not tell which kind of problem" in reply["text"]
    assert reply["links"][0]["url"] == "http://testserver/report/"


def test_without_a_classifier_the_search_still_finds_the_service(client, city):
    reply = say(client, "I want to report a pothole")

    assert reply["kind"] == "offer_request"
    assert reply["service"]["code"] == "pothole"


def test_a_service_named_outright_is_offered_without_asking_the_classifier(
    client, city, active_classifier
):
    reply = say(client, "I want to report a huge hole in the road by the bus stop")

    assert reply["kind"] == "offer_request"
    assert reply["service"]["code"] == "pothole"
    assert reply["text"].startswith("It sounds like you want to report: Pothole.")


def test_the_suggestion_in_spanish(client, city, active_classifier):
    reply = say(client, "Quiero reportar el asfalto roto en mi calle", lang="es")

    assert reply["kind"] == "choice"
    assert reply["text"].startswith("Esto parece: Bache. ¿Es correcto?")
    labels = [option["label"] for option in reply["options"]]
    assert labels[0] == "Sí: Bache"
    assert labels[-1] == "Ninguna de estas"

    started = say(client, "sí", reply["conversation_id"], lang="es")
    assert started["kind"] == "start_request"
    assert started["service"]["code"] == "pothole"


def test_the_chat_contact_is_categorized_by_its_first_substantive_message(
    client, city, active_classifier
):
    greeting = say(client, "hello")
    assert contact_of(greeting).classified_at is None

    reply = say(client, "Huge hole in the road by the bus stop", greeting["conversation_id"])
    contact = contact_of(reply)
    assert contact.classified_text == "Huge hole in the road by the bus stop"
    assert contact.classification["top"][0][0] == "pothole"
    assert contact.service_type.code == "pothole"

    say(client, "graffiti tag on the wall", reply["conversation_id"])
    contact.refresh_from_db()
    assert contact.classified_text == "Huge hole in the road by the bus stop"


def test_a_chat_the_classifier_cannot_read_waits_in_triage(client, city, active_classifier):
    reply = say(client, "wibble fnarg xqzv blorp")

    contact = contact_of(reply)
    assert contact.service_type is None
    assert contact.classification["triage_reason"] == "no_known_words"
    assert list(contacts_awaiting_triage()) == [contact]


def test_an_emergency_chat_is_never_put_in_triage(client, city, active_classifier):
    reply = say(client, "there is smoke coming out of my neighbours house right now")

    assert reply["kind"] == "emergency"
    assert contact_of(reply).emergency is True
    assert not contacts_awaiting_triage().exists()
