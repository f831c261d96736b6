"""Resident accounts: sign in with an emailed link, sign out, and what staff cannot do with it."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from civicdesk.people.choices import ContactPointKind
from civicdesk.people.models import ContactPoint, EmailLink, Resident, ResidentAccount

from .accounts import (
    field_error,
    html_body,
    input_tag,
    last_email,
    link_in,
    request_sign_in,
    sign_in,
)
from .pages import html_lang, page_text

pytestmark = pytest.mark.django_db

EMAIL = "ana.resident@example.org"


def test_sign_in_page_is_a_plain_form(client):
    response = client.get("/account/sign-in/")

    assert response.status_code == 200
    text = page_text(response)
    assert "<title>Sign in |" in text
    assert '<label class="usa-label" for="id_email">Email address</label>' in text
    assert 'type="email"' in input_tag(response, "id_email")
    assert "usa-error-message" not in text
    # The header offers signing in to everyone who is not.
    assert "data-account-link><span>Sign in</span>" in text


def test_a_sign_in_link_is_emailed_and_signs_in_once(client):
    response = request_sign_in(client, "  Ana.Resident@Example.ORG ")

    assert response.status_code == 303
    assert response["Location"] == "/account/sign-in/sent/"
    sent_page = page_text(client.get(response["Location"]))
    assert "Check your email" in sent_page
    assert EMAIL in sent_page
    assert "for 15 minutes" in sent_page

    message = last_email(EMAIL)
    assert message.to == [EMAIL]
    assert message.subject == "Your sign-in link for City of Boston (demo) 311"
    path = link_in(message, "/account/sign-in/")
    assert path in html_body(message)
    assert "15 minutes" in message.body
    # Only a hash of the token is stored.
    token = path.rstrip("/").rsplit("/", 1)[1]
    assert not EmailLink.objects.filter(token_hash__contains=token).exists()
    assert token not in str(list(EmailLink.objects.values()))

    # Opening the link (as a mail scanner would) signs nobody in and does not spend it.
    landing = client.get(path)
    assert landing.status_code == 200
    assert f"Sign in as <strong>{EMAIL}</strong>?" in page_text(landing)
    assert client.get("/account/").status_code == 302

    used = client.post(path)
    assert used.status_code == 303
    assert used["Location"] == "/account/"
    account_page = client.get("/account/")
    assert account_page.status_code == 200
    assert "You are signed in." in page_text(account_page)
    assert "You are signed in." not in page_text(client.get("/account/"))  # said once
    assert "data-account-link><span>My account</span>" in page_text(account_page)

    resident = Resident.objects.get(contact_points__value=EMAIL)
    assert ResidentAccount.objects.filter(resident=resident, is_active=True).exists()
    point = ContactPoint.objects.get(kind=ContactPointKind.EMAIL, value=EMAIL)
    assert point.verified_at is not None

    # The same link again, in another browser: refused, clearly.
    other = client.__class__()
    again = other.post(path)
    assert again.status_code == 410
    assert "This link has already been used." in page_text(again)
    assert "<title>Error: Sign in |" in page_text(again)
    assert other.get("/account/").status_code == 302


def test_an_existing_resident_signs_in_to_their_own_record(client, personal_case):
    sign_in(client, personal_case.resident.contact_points.get(kind="email").value)

    assert Resident.objects.count() == 1
    text = page_text(client.get("/account/"))
    assert personal_case.reference in text


def test_an_expired_link_is_refused(client):
    request_sign_in(client, EMAIL)
    path = link_in(last_email(EMAIL), "/account/sign-in/")
    EmailLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    landing = client.get(path)
    used = client.post(path)

    assert landing.status_code == used.status_code == 410
    assert "This link has expired. Ask for a new one." in page_text(used)
    assert 'href="/account/sign-in/"' in page_text(used)
    assert client.get("/account/").status_code == 302
    assert not ResidentAccount.objects.exists()


@override_settings(CIVICDESK_SIGN_IN_LINK_MINUTES=15)
def test_links_last_fifteen_minutes():
    from civicdesk.people.choices import EmailLinkPurpose
    from civicdesk.people.services.links import email_link_issue

    issued = email_link_issue(purpose=EmailLinkPurpose.SIGN_IN, email=EMAIL, language="en")

    assert issued.link.expires_at - issued.link.created_at == timedelta(minutes=15)


@pytest.mark.parametrize("token", ["nonsense", "x" * 43, "x" * 200])
def test_a_wrong_link_is_refused(client, token):
    response = client.post(f"/account/sign-in/{token}/")

    assert response.status_code == 404
    assert "This link is not valid." in page_text(response)
    assert client.get("/account/").status_code == 302


def test_sign_out_is_a_post_and_ends_the_session(client):
    sign_in(client, EMAIL)

    assert client.get("/account/sign-out/").status_code == 405
    response = client.post("/account/sign-out/")

    assert response.status_code == 303
    assert response["Location"] == "/account/sign-in/"
    assert "You are signed out." in page_text(client.get("/account/sign-in/"))
    assert client.get("/account/").status_code == 302


def test_pages_of_the_account_need_signing_in_and_come_back_after(client):
    response = client.get("/account/preferences/")

    assert response.status_code == 302
    assert response["Location"] == "/account/sign-in/?next=%2Faccount%2Fpreferences%2F"
    form_page = page_text(client.get(response["Location"]))
    assert 'name="next" value="/account/preferences/"' in form_page

    used = sign_in(client, EMAIL, next="/account/preferences/")
    assert used["Location"] == "/account/preferences/"


def test_next_may_only_point_inside_the_site(client):
    used = sign_in(client, EMAIL, next="https://evil.example/")

    assert used["Location"] == "/account/"


def test_staff_email_gets_a_resident_session_and_no_staff_access(client):
    User.objects.create_superuser("boss", "boss@city.example.gov", "s3cret-pass-word")

    used = sign_in(client, "boss@city.example.gov")

    assert used.status_code == 303
    assert client.get("/account/").status_code == 200
    # Nothing on the staff side opens: the admin asks for a staff login, the API for one.
    admin = client.get("/admin/")
    assert admin.status_code == 302
    assert admin["Location"].startswith("/admin/login/")
    assert client.get("/api/v1/me").status_code == 401
    assert "_auth_user_id" not in client.session


def test_a_staff_login_is_not_changed_by_a_resident_sign_in(client):
    staff = User.objects.create_user("clerk", "clerk@city.example.gov", "pw", is_staff=True)
    client.force_login(staff)

    sign_in(client, EMAIL)
    client.post("/account/sign-out/")

    assert client.session["_auth_user_id"] == str(staff.pk)


def test_a_closed_account_cannot_sign_in_and_is_signed_out(client):
    sign_in(client, EMAIL)
    ResidentAccount.objects.update(is_active=False)

    assert client.get("/account/").status_code == 302
    request_sign_in(client, EMAIL)
    refused = client.post(link_in(last_email(EMAIL), "/account/sign-in/"))
    assert refused.status_code == 403
    assert "This account is closed." in page_text(refused)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter your email address."),
        ("not-an-email", "Enter an email address like name@example.com."),
        ("a@b", "Enter an email address like name@example.com."),
    ],
)
def test_a_bad_address_is_explained_beside_the_field(client, typed, message):
    response = request_sign_in(client, typed)

    assert response.status_code == 400
    assert field_error(response, "id_email") == message
    field = input_tag(response, "id_email")
    assert f'value="{typed}"' in field
    assert 'aria-invalid="true"' in field
    assert 'aria-describedby="id_email-hint id_email-error"' in field
    assert "<title>Error: Sign in |" in page_text(response)
    assert mail.outbox == []


def test_spanish_sign_in_page_email_and_errors(client):
    spanish = {"headers": {"accept-language": "es"}}

    page = client.get("/account/sign-in/", **spanish)
    assert html_lang(page) == "es"
    assert "Iniciar sesión" in page_text(page)
    assert "Correo electrónico" in page_text(page)

    error = client.post("/account/sign-in/", {"email": "x"}, **spanish)
    assert field_error(error, "id_email") == (
        "Escriba un correo electrónico como nombre@ejemplo.com."
    )

    client.post("/account/sign-in/", {"email": EMAIL}, **spanish)
    message = last_email(EMAIL)
    assert message.subject.startswith("Su enlace para iniciar sesión")
    assert "15 minutos" in message.body
    assert 'lang="es"' in html_body(message)

    client.post(link_in(message, "/account/sign-in/"), **spanish)
    resident = Resident.objects.get(contact_points__value=EMAIL)
    assert resident.preferred_language == "es"


def test_sign_in_applies_the_residents_language(client):
    sign_in(client, EMAIL)
    Resident.objects.update(preferred_language="es")
    client.post("/account/sign-out/")
    client.cookies.pop("django_language", None)

    request_sign_in(client, EMAIL)
    message = last_email(EMAIL)
    # A known account gets its email in the language it chose, whatever page it came from.
    assert "minutos" in message.body
    used = client.post(link_in(message, "/account/sign-in/"))

    assert used.cookies["django_language"].value == "es"
    assert html_lang(client.get("/account/")) == "es"


@override_settings(CIVICDESK_EMAIL_LINK_LIMIT_PER_ADDRESS=2, CIVICDESK_EMAIL_LINK_LIMIT_PER_IP=50)
def test_too_many_links_for_one_address_is_a_429(client):
    for _ in range(2):
        assert request_sign_in(client, EMAIL).status_code == 303

    response = request_sign_in(client, EMAIL)

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert field_error(response, "id_email").startswith(
        "We already sent several links to this address."
    )
    assert f'value="{EMAIL}"' in input_tag(response, "id_email")
    assert len(mail.outbox) == 2
    # Another address from the same machine is still served.
    assert request_sign_in(client, "other@example.org").status_code == 303


@override_settings(CIVICDESK_EMAIL_LINK_LIMIT_PER_ADDRESS=50, CIVICDESK_EMAIL_LINK_LIMIT_PER_IP=3)
def test_too_many_links_from_one_ip_is_a_429(client):
    for number in range(3):
        assert request_sign_in(client, f"person{number}@example.org").status_code == 303

    response = request_sign_in(client, "person9@example.org")
    other_machine = client.post(
        "/account/sign-in/", {"email": "person9@example.org"}, REMOTE_ADDR="10.0.0.9"
    )

    assert response.status_code == 429
    assert field_error(response, "id_email").startswith(
        "Too many links were asked for from your network."
    )
    assert other_machine.status_code == 303


@override_settings(
    CIVICDESK_EMAIL_LINK_LIMIT_PER_IP=1,
    CIVICDESK_EMAIL_LINK_LIMIT_PER_ADDRESS=50,
    CIVICDESK_TRUSTED_PROXY_COUNT=1,
)
def test_behind_a_proxy_the_limit_is_per_forwarded_client(client):
    def ask(email, forwarded):
        return client.post("/account/sign-in/", {"email": email}, HTTP_X_FORWARDED_FOR=forwarded)

    assert ask("a@example.org", "198.51.100.1").status_code == 303
    assert ask("b@example.org", "198.51.100.2").status_code == 303
    # A client cannot dodge the limit by adding its own X-Forwarded-For entries.
    assert ask("c@example.org", "1.2.3.4, 198.51.100.1").status_code == 429


def test_a_failed_send_is_explained_and_nothing_is_signed_in(client, settings):
    settings.EMAIL_BACKEND = "tests.portal.test_account.BrokenBackend"

    response = request_sign_in(client, EMAIL)

    assert response.status_code == 503
    assert "We could not send the email just now." in field_error(response, "id_email")


class BrokenBackend:
    def __init__(self, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("connection refused")


def test_signed_in_visitors_skip_the_sign_in_form(client):
    sign_in(client, EMAIL)

    response = client.get("/account/sign-in/")

    assert response.status_code == 302
    assert response["Location"] == "/account/"


def test_the_email_never_puts_the_token_anywhere_but_the_link(client):
    request_sign_in(client, EMAIL)
    message = last_email(EMAIL)
    token = link_in(message, "/account/sign-in/").rstrip("/").rsplit("/", 1)[1]

    assert token not in message.subject
    assert len(re.findall(re.escape(token), message.body)) == 1
