import pytest

from civicdesk.catalog.choices import AttributeDatatype
from civicdesk.catalog.models import AttributeValue, ServiceAttribute

from .pages import page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def pothole_form(pothole):
    size = ServiceAttribute.objects.create(
        service_type=pothole,
        code="size",
        description="How big is it?",
        description_es="¿Qué tamaño tiene?",
        datatype=AttributeDatatype.SINGLEVALUELIST,
        required=True,
        order=0,
    )
    AttributeValue.objects.create(attribute=size, key="small", name="Small", name_es="Pequeño")
    AttributeValue.objects.create(attribute=size, key="large", name="Large")
    ServiceAttribute.objects.create(
        service_type=pothole,
        code="depth",
        description="How deep?",
        datatype=AttributeDatatype.NUMBER,
        order=1,
    )
    return pothole


def test_start_page_says_what_happens_and_what_we_ask(client, pothole_form):
    response = client.get("/report/pothole/")

    assert response.status_code == 200
    text = page_text(response)
    assert "<h1>Pothole</h1>" in text
    assert "A hole in the street." in text
    assert "Public Works takes care of these requests." in text
    assert "They aim to act within 48 business hours." in text
    assert text.index("How big is it?") < text.index("How deep?")
    assert "How deep? <span" in text and "(optional)" in text
    assert "<li>Small</li>" in text and "<li>Large</li>" in text
    assert 'class="usa-breadcrumb"' in text


def test_start_page_in_spanish_falls_back_to_english_where_untranslated(client, pothole_form):
    department = pothole_form.default_department
    department.hours, department.hours_es = "Mon-Fri 8-5", "Lun-Vie 8-5"
    department.save()
    text = page_text(client.get("/report/pothole/", headers={"accept-language": "es"}))

    assert "<h1>Bache</h1>" in text
    assert "Un hoyo en la calle." in text
    assert "Procuran atenderla en 48 horas hábiles." in text
    # The department has Spanish hours but no Spanish name.
    assert "Public Works se encarga de estas solicitudes." in text
    assert "Horario de atención: Lun-Vie 8-5." in text
    assert "¿Qué tamaño tiene?" in text
    assert "<li>Pequeño</li>" in text
    # No Spanish for these yet: the English shows instead of a gap.
    assert "<li>Large</li>" in text
    assert "How deep?" in text


def test_unknown_private_and_retired_services_are_not_found(client, make_service):
    make_service("internal", "Internal", is_public=False)
    make_service("retired", "Retired", is_active=False)

    for code in ("nope", "internal", "retired"):
        assert client.get(f"/report/{code}/").status_code == 404


def test_the_documents_to_have_ready_show_in_the_readers_language(client, pothole):
    pothole.required_documents = ["A photo of the hole"]
    pothole.required_documents_es = ["Una foto del bache"]
    pothole.save()

    english = page_text(client.get("/report/pothole/"))
    spanish = page_text(client.get("/report/pothole/", HTTP_ACCEPT_LANGUAGE="es"))

    assert "<li>A photo of the hole</li>" in english
    assert "<li>Una foto del bache</li>" in spanish
    assert "A photo of the hole" not in spanish
