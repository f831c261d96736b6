import pytest
from hypothesis import given
from hypothesis import strategies as st

from civicdesk.assistant.intents import IntentKind, fold, intent_read


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Hi!", IntentKind.GREETING),
        ("good morning there", IntentKind.GREETING),
        ("¡Hola!", IntentKind.GREETING),
        ("Buenos días", IntentKind.GREETING),
        ("thanks so much", IntentKind.THANKS),
        ("Muchas gracias por la ayuda", IntentKind.THANKS),
        ("bye", IntentKind.GOODBYE),
        ("Adiós", IntentKind.GOODBYE),
        ("yes please", IntentKind.YES),
        ("Sí", IntentKind.YES),
        ("none of these", IntentKind.NO),
        ("ninguna de estas", IntentKind.NO),
        ("I want to talk to a person", IntentKind.HUMAN),
        ("can I speak with a real person please", IntentKind.HUMAN),
        ("quiero hablar con una persona", IntentKind.HUMAN),
        ("what's the status of my request?", IntentKind.STATUS),
        ("¿Cuál es el estado de mi solicitud?", IntentKind.STATUS),
    ],
)
def test_small_talk_and_requests_for_people_are_recognized(text, kind):
    assert intent_read(text).kind == kind


@pytest.mark.parametrize(
    "text",
    [
        "Hi, when is trash pickup on my street?",
        "hello how do I get a resident parking permit",
        "thanks but where do I pay a parking ticket",
        "is the person who picks up bulk items coming today",
        "gracias, y cuándo recogen la basura",
    ],
)
def test_a_question_wrapped_in_small_talk_is_a_question(text):
    assert intent_read(text).kind == IntentKind.QUESTION


@pytest.mark.parametrize(
    ("text", "reference"),
    [
        ("what about 26-000123?", "26-000123"),
        ("status of #26 000123 please", "26-000123"),
        ("26000123", "26-000123"),
        ("Estado de la solicitud 26-000456", "26-000456"),
    ],
)
def test_a_reference_in_the_text_asks_for_that_requests_status(text, reference):
    intent = intent_read(text)
    assert (intent.kind, intent.reference) == (IntentKind.STATUS, reference)


@pytest.mark.parametrize(
    ("text", "pick"),
    [("2", 2), ("option 1", 1), ("the second one", 2), ("la primera", 1), ("#3", 3)],
)
def test_picking_one_of_the_offered_options(text, pick):
    intent = intent_read(text, options=3)
    assert (intent.kind, intent.pick) == (IntentKind.PICK, pick)


def test_a_number_is_not_a_pick_when_nothing_was_offered_or_it_is_out_of_range():
    assert intent_read("2").kind == IntentKind.QUESTION
    assert intent_read("7", options=3).kind == IntentKind.QUESTION


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("I want to report a pothole on Main St", "pothole on main st"),
        ("how do I report graffiti", "graffiti"),
        ("Quiero reportar un bache en mi calle", "bache en mi calle"),
        ("report a broken streetlight", "broken streetlight"),
    ],
)
def test_asking_to_report_something_keeps_what_it_is_about(text, topic):
    intent = intent_read(text)
    assert (intent.kind, intent.topic) == (IntentKind.REPORT, topic)


def test_fold_takes_off_case_accents_and_punctuation():
    assert fold("  ¿Cuándo RECOGEN   la basura?! ") == "cuando recogen la basura"


@given(st.text(max_size=300), st.integers(min_value=0, max_value=5))
def test_any_text_reads_as_some_intent(text, options):
    assert intent_read(text, options=options).kind in IntentKind
