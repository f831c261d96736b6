import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from civicdesk.portal.choices import SiteAlertLevel
from civicdesk.portal.models import SiteAlert, TopTask

from .pages import attribute_values, html_lang, page_text

pytestmark = pytest.mark.django_db


def test_home_in_english_is_a_uswds_page_with_landmarks(client):
    response = client.get("/")

    assert response.status_code == 200
    text = page_text(response)
    assert html_lang(response) == "en"
    assert f"An official website of {settings.CIVICDESK_JURISDICTION_NAME}" in text
    assert 'class="usa-skipnav" href="#main-content"' in text
    assert '<main id="main-content"' in text
    assert 'class="usa-header usa-header--basic"' in text
    assert 'class="usa-footer usa-footer--slim"' in text
    assert text.count("<h1") == 1
    assert "How can we help?" in text
    assert 'href="tel:911"' in text
    for name in ("portal:home", "portal:report", "portal:track", "portal:requests"):
        assert f'href="{reverse(name)}"' in text
    # Home is the current page in the main navigation, announced as such.
    assert re.search(r'usa-nav-link usa-current"\s+aria-current="page"><span>Home<', text)
    assert 'action="/search/"' in text and 'name="q"' in text
    assert 'action="/track/"' in text and 'name="reference"' in text


def test_home_in_spanish_from_the_browser_language(client):
    response = client.get("/", headers={"accept-language": "es-US,es;q=0.9"})

    assert html_lang(response) == "es"
    text = page_text(response)
    assert "¿En qué le podemos ayudar?" in text
    assert "Reportar un problema" in text
    assert f"Un sitio web oficial de {settings.CIVICDESK_JURISDICTION_NAME}" in text
    assert "How can we help?" not in text
    # The switch offers the other language, named in that language.
    assert '<button type="submit" class="usa-button' in text
    assert 'value="en" lang="en">English</button>' in text


def test_language_switch_works_as_a_plain_form_without_javascript():
    browser = Client(enforce_csrf_checks=True)
    home = browser.get("/track/")
    form = re.search(
        r'<form class="usa-language-container[^"]*" action="([^"]+)" method="post">(.*?)</form>',
        page_text(home),
        re.S,
    )
    assert form, "no language form"
    action, body = form.groups()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    next_url = re.search(r'name="next" value="([^"]+)"', body).group(1)
    assert 'name="language" value="es"' in body

    switched = browser.post(
        action, {"csrfmiddlewaretoken": token, "next": next_url, "language": "es"}
    )

    assert switched.status_code == 302
    assert switched["Location"] == "/track/"
    assert browser.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    after = browser.get("/track/")
    assert html_lang(after) == "es"
    assert "Consultar una solicitud" in page_text(after)
    back = browser.post(action, {"csrfmiddlewaretoken": token, "next": "/", "language": "en"})
    assert back["Location"] == "/"
    assert html_lang(browser.get("/")) == "en"


def test_the_old_search_address_leads_to_the_results(client):
    response = client.get("/", {"q": "pot hole"})

    assert response.status_code == 302
    assert response["Location"] == "/report/?q=pot+hole"


def test_site_alert_shows_on_every_page_while_on(client, pothole):
    alert = SiteAlert.objects.create(
        level=SiteAlertLevel.EMERGENCY,
        heading_en="Snow emergency",
        message_en="Parking ban on main roads from 6 p.m.",
        heading_es="Emergencia por nieve",
        message_es="Prohibido estacionar en las calles principales desde las 6 p.m.",
    )
    for url in ("/", "/report/", "/track/", "/requests/", f"/report/{pothole.code}/"):
        text = page_text(client.get(url))
        assert 'class="usa-site-alert usa-site-alert--emergency"' in text, url
        assert "Parking ban on main roads from 6 p.m." in text, url

    spanish = page_text(client.get("/", headers={"accept-language": "es"}))
    assert "Emergencia por nieve" in spanish
    assert "Prohibido estacionar" in spanish

    alert.is_active = False
    alert.save()
    text = page_text(client.get("/"))
    assert "usa-site-alert" not in text
    assert "Parking ban" not in text


def test_site_alert_without_spanish_shows_the_english(client):
    SiteAlert.objects.create(message_en="City Hall closes at noon today.")

    text = page_text(client.get("/", headers={"accept-language": "es"}))

    assert 'class="usa-site-alert usa-site-alert--info"' in text
    assert "City Hall closes at noon today." in text


def test_site_alert_follows_its_start_and_end(client):
    now = timezone.now()
    SiteAlert.objects.create(message_en="Later", starts_at=now + timedelta(hours=1))
    SiteAlert.objects.create(message_en="Over", ends_at=now - timedelta(minutes=1))
    SiteAlert.objects.create(
        message_en="Now on",
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=1),
    )

    text = page_text(client.get("/"))

    assert "Now on" in text
    assert "Later" not in text
    assert "Over" not in text


def test_emergency_alerts_come_before_information(client):
    SiteAlert.objects.create(level=SiteAlertLevel.INFO, message_en="Info alert")
    SiteAlert.objects.create(level=SiteAlertLevel.EMERGENCY, message_en="Emergency alert")

    text = page_text(client.get("/"))

    assert text.index("Emergency alert") < text.index("Info alert")


def test_staff_switch_the_alert_on_and_off_in_the_admin(client):
    admin = User.objects.create_superuser("boss", "boss@city.example", "pw")
    client.force_login(admin)
    changelist = reverse("admin:portal_sitealert_changelist")
    add = client.post(
        reverse("admin:portal_sitealert_add"),
        {
            "level": "emergency",
            "is_active": "on",
            "heading_en": "Water main break",
            "message_en": "Avoid Main Street.",
            "heading_es": "",
            "message_es": "",
            "link_url": "/requests/",
        },
    )
    assert add.status_code == 302, add.content
    alert = SiteAlert.objects.get()
    client.logout()
    assert "Avoid Main Street." in page_text(client.get("/"))
    assert 'href="/requests/">More information</a>' in page_text(client.get("/"))

    client.force_login(admin)
    client.post(changelist, {"action": "switch_off", "_selected_action": [alert.pk]})
    client.logout()

    assert "Avoid Main Street." not in page_text(client.get("/"))


def test_alert_links_must_be_local_paths_or_web_addresses():
    alert = SiteAlert(message_en="x", link_url="javascript:alert(1)")
    with pytest.raises(Exception, match="valid URL"):
        alert.full_clean()
    with pytest.raises(Exception, match="valid URL"):
        SiteAlert(message_en="x", link_url="//evil.example/").full_clean()
    SiteAlert(message_en="x", link_url="/requests/").full_clean()
    SiteAlert(message_en="x", link_url="https://www.example.gov/storm").full_clean()


def test_home_queries_stay_few_with_data(
    client, django_assert_max_num_queries, make_service, record_contacts, pothole
):
    for index in range(12):
        service = make_service(f"svc-{index}", f"Service {index}", group=f"Group {index % 4}")
        record_contacts(service, index + 1)
    TopTask.objects.create(url="/requests/", title_en="See requests", position=0)
    TopTask.objects.create(service_type=pothole, position=1)
    SiteAlert.objects.create(message_en="Alert")

    # Cold: alerts, top-task choices, request counts (contacts and imported requests), the
    # services shown, the service groups, the quick-link answers and the featured answer topics.
    with django_assert_max_num_queries(8):
        cold = client.get("/")
    # Warm: the request counts come from the cache.
    with django_assert_max_num_queries(6):
        warm = client.get("/")

    assert attribute_values(cold, "data-top-task") == attribute_values(warm, "data-top-task")
    assert len(attribute_values(warm, "data-top-task")) == 6


def test_home_links_the_quick_answers_in_the_readers_language(client):
    from civicdesk.knowledge.choices import ArticleStatus
    from civicdesk.knowledge.services.articles import article_create, article_translate

    trash = article_create(
        actor=None,
        title="When is trash picked up?",
        summary="Once a week, on your street's day.",
        quick_link=True,
        status=ArticleStatus.PUBLISHED,
    )
    article_create(
        actor=None,
        title="Not a quick link",
        summary="Only found by search.",
        status=ArticleStatus.PUBLISHED,
    )

    english = page_text(client.get("/"))
    assert f'href="/answers/{trash.slug}/">When is trash picked up?</a>' in english
    assert "Not a quick link" not in english
    spanish_before = page_text(client.get("/", headers={"accept-language": "es"}))
    # No translation yet: the English answer, marked as English for screen readers.
    assert 'lang="en">When is trash picked up?</a>' in spanish_before

    article_translate(
        original=trash,
        language="es",
        actor=None,
        title="¿Cuándo recogen la basura?",
        summary="Una vez por semana.",
        status=ArticleStatus.PUBLISHED,
    )
    spanish = page_text(client.get("/", headers={"accept-language": "es"}))
    assert ">¿Cuándo recogen la basura?</a>" in spanish
    assert "When is trash picked up?" not in spanish
