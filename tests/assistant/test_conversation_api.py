"""The assistant as apps and widgets use it: POST /api/v1/assistant/messages."""

import json
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from civicdesk.assistant.models import Conversation
from civicdesk.cases.choices import CaseStatus
from civicdesk.cases.models import Case
from civicdesk.contacts.choices import Channel
from civicdesk.contacts.models import Contact
from civicdesk.contacts.selectors import contacts_waiting_for_agent
from civicdesk.intake.services import IntakeSubmission, intake_submit

pytestmark = pytest.mark.django_db

URL = "/api/v1/assistant/messages"


def say(client, text, conversation_id="", lang="en", **extra):
    response = client.post(
        URL,
        json.dumps({"conversation_id": conversation_id, "text": text, "lang": lang}),
        content_type="application/json",
        **extra,
    )
    assert response.status_code == 200, response.content
    return response.json()


def test_a_question_gets_the_articles_short_answer_and_link(client, city):
    reply = say(client, "what day is my garbage collected?")

    assert reply["kind"] == "answer"
    assert reply["article"]["external_id"] == "city:trash-day"
    assert "once a week on your street's collection day" in reply["text"]
    assert reply["article"]["url"] == f"http://testserver/answers/{city['trash_day'].slug}/"
    # The article names a service, so the reply offers to report a problem too.
    assert [option["reply"] for option in reply["options"]] == ["yes", "no"]


def test_the_same_question_in_spanish_gets_the_spanish_answer(client, city):
    reply = say(client, "¿qué día recogen la basura?", lang="es")

    assert reply["kind"] == "answer"
    assert reply["article"]["external_id"] == "city:trash-day:es"
    assert "una vez por semana" in reply["text"]
    assert reply["language"] == "es"


def test_every_conversation_is_a_chat_contact_with_its_transcript_and_reason(client, city):
    first = say(client, "what day is my garbage collected?")
    say(client, "yes", conversation_id=first["conversation_id"])

    conversation = Conversation.objects.get(public_id=first["conversation_id"])
    contact = conversation.contact
    assert contact.channel == Channel.CHAT
    assert contact.summary == "what day is my garbage collected?"
    # The answer's related service gives the reason, as a call about it would.
    assert contact.reason == city["reasons"]["report-missed-collection"]
    assert contact.service_type == city["missed"]
    assert contact.article_refs == [f"/answers/{city['trash_day'].slug}/"]
    transcript = [(m.sender, m.kind) for m in contact.messages.all()]
    assert transcript == [
        ("resident", ""),
        ("assistant", "answer"),
        ("resident", ""),
        ("assistant", "start_request"),
    ]
    assert Contact.objects.count() == 1


def test_a_problem_is_offered_as_a_request_prefilled_with_the_residents_words(client, city):
    offer = say(client, "there is a big pothole on my street")
    assert offer["kind"] == "offer_request"
    assert offer["service"] == {"code": "pothole", "name": "Pothole"}

    started = say(client, "yes", conversation_id=offer["conversation_id"])

    assert started["kind"] == "start_request"
    link = urlsplit(started["links"][0]["url"])
    assert link.path == "/report/pothole/"
    assert parse_qs(link.query) == {"description": ["there is a big pothole on my street"]}
    # The service page (what to have ready) carries the words into the report it starts.
    page = client.get(started["links"][0]["url"]).content.decode()
    assert 'name="description" value="there is a big pothole on my street"' in page
    details = client.post(
        "/report/pothole/start/",
        {"description": "there is a big pothole on my street"},
        follow=True,
    )
    assert "there is a big pothole on my street</textarea>" in details.content.decode()
    assert not Case.objects.exists()


def test_unsure_matches_get_a_clarifying_choice_and_a_pick_answers_it(client, city):
    choice = say(client, "parking")
    assert choice["kind"] == "choice"
    labels = [option["label"] for option in choice["options"]]
    assert labels[-1] == "None of these"
    picked = labels.index("How do I get a resident parking permit?")

    answer = say(client, choice["options"][picked]["reply"], choice["conversation_id"])

    assert answer["kind"] == "answer"
    assert answer["article"]["external_id"] == "city:parking-permit"


def test_none_of_these_offers_a_person_and_yes_hands_off_with_the_transcript(client, city):
    choice = say(client, "parking")
    none = say(client, choice["options"][-1]["reply"], choice["conversation_id"])
    assert none["kind"] == "not_found"

    handoff = say(client, "yes", choice["conversation_id"])

    assert handoff["kind"] == "handoff" and handoff["handoff"] is True
    queued = list(contacts_waiting_for_agent())
    assert len(queued) == 1
    assert queued[0].messages.count() == 6
    assert Conversation.objects.get().handed_off_at is not None


def test_asking_for_a_person_hands_off_at_once(client, city):
    reply = say(client, "I want to talk to a real person")
    assert reply["kind"] == "handoff"
    assert contacts_waiting_for_agent().count() == 1


def test_danger_now_is_sent_to_911_and_flagged_first_for_staff(client, city):
    first = say(client, "when is trash day")
    reply = say(
        client,
        "there is smoke coming from my neighbors house and flames",
        first["conversation_id"],
    )

    assert reply["kind"] == "emergency"
    assert reply["emergency"] is True and reply["emergency_category"] == "fire"
    assert reply["links"] == [{"label": "Call 911", "url": "tel:911"}]
    assert reply["text"].startswith("If this is an emergency, call 911 now.")
    contact = Contact.objects.get()
    assert contact.emergency and contact.emergency_category == "fire"
    # Danger outranks the first reason found, in the reasons report.
    assert contact.reason == city["reasons"]["emergency-911"]


def test_routine_words_that_sound_dangerous_are_not_emergencies(client, city):
    reply = say(client, "the fire hydrant on my corner is leaking")
    assert reply["kind"] != "emergency"
    assert not Contact.objects.get().emergency


def test_status_of_a_request_by_its_reference(client, city):
    result = intake_submit(
        submission=IntakeSubmission(
            channel=Channel.WEB,
            service_code="pothole",
            address="1 City Hall Sq",
            description="Deep hole",
        )
    )
    reference = result.case.reference

    ask = say(client, "what's the status of my request?")
    assert ask["kind"] == "ask_reference"
    status = say(client, f"it is #{reference}", ask["conversation_id"])

    assert status["kind"] == "status"
    assert f"Request {reference} (Pothole): Received." in status["text"]
    assert status["links"][0]["url"].endswith(f"/track/?reference={reference}")
    assert (
        Contact.objects.filter(channel=Channel.CHAT).get().reason
        == (city["reasons"]["status-check"])
    )
    unknown = say(client, "status of 26-999999")
    assert unknown["kind"] == "ask_reference"
    assert "could not find request 26-999999" in unknown["text"]
    assert Case.objects.get().status == CaseStatus.NEW


def test_archived_answers_are_never_given(client, archived):
    reply = say(client, "how do I get a dog license?")
    assert reply["kind"] != "answer" or reply["article"]["title"] != "How do I get a dog license?"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "Please type your question"),
        ("   \n\t ", "Please type your question"),
        ("x" * 2001, "too long for me"),
        ("<script>alert(1)</script>", "Please type your question in words"),
        ("\x00\x01\x02\x03\x04\x05\x06", "could not read that message"),
    ],
)
def test_unreadable_messages_get_a_polite_answer(client, city, text, expected):
    reply = say(client, text)
    assert reply["kind"] == "invalid"
    assert expected in reply["text"]


def test_a_long_message_that_describes_danger_still_gets_911(client, city):
    reply = say(client, "x " * 1500 + "my kitchen is on fire right now")
    assert reply["kind"] == "emergency"


def test_an_unknown_conversation_id_starts_a_new_conversation(client, city):
    reply = say(client, "hello", conversation_id="not-a-real-conversation")
    assert reply["kind"] == "greeting"
    assert reply["conversation_id"] != "not-a-real-conversation"
    assert Conversation.objects.count() == 1


def test_markup_in_questions_is_never_echoed_back(client, city):
    reply = say(client, "<img src=x onerror=alert(1)> pay parking ticket")
    assert "<img" not in json.dumps(reply)
    assert reply["article"]["external_id"] == "city:parking-ticket"


def test_messages_are_limited_per_client(client, city, settings):
    settings.CIVICDESK_ASSISTANT_LIMIT_PER_MINUTE = 2
    say(client, "hello")
    say(client, "hello")
    response = client.post(URL, json.dumps({"text": "hello"}), content_type="application/json")
    assert response.status_code == 429
    assert "at most 2 a minute" in response.json()["detail"]


@hypothesis_settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=300), lang=st.sampled_from(["en", "es"]))
def test_any_text_gets_a_reply(client, city, settings, text, lang):
    settings.CIVICDESK_ASSISTANT_LIMIT_PER_MINUTE = 0
    response = client.post(
        URL, json.dumps({"text": text, "lang": lang}), content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["text"]
