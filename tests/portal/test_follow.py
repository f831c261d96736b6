"""Following a request from its track page: signed in in one click, or by confirming by email."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from civicdesk.people.choices import UpdateChannel
from civicdesk.people.models import CaseFollow, ContactPoint, EmailLink, Resident

from .accounts import field_error, html_body, input_tag, last_email, link_in, sign_in
from .pages import assert_no_personal_data, page_text

pytestmark = pytest.mark.django_db

EMAIL = "neighbour@example.org"


def track(client, case, **extra):
    return client.get("/track/", {"reference": case.reference}, **extra)


def follow_panel(response):
    text = page_text(response)
    start = text.index('id="follow"')
    return text[start : text.index("</section>", start)]


def test_anonymous_visitors_see_an_email_form(client, personal_case):
    response = track(client, personal_case)

    panel = follow_panel(response)
    assert 'data-follow="anonymous"' in page_text(response)
    assert "Follow this request" in panel
    assert f'action="/track/{personal_case.reference}/follow/#follow"' in panel
    assert 'type="email"' in input_tag(response, "id_follow-email")
    assert f"/account/sign-in/?next=%2Ftrack%2F%3Freference%3D{personal_case.reference}" in panel
    assert_no_personal_data(page_text(response))


def test_anonymous_follow_is_confirmed_by_email_double_opt_in(client, personal_case):
    reference = personal_case.reference
    asked = client.post(f"/track/{reference}/follow/", {"follow-email": " Neighbour@Example.org"})

    assert asked.status_code == 303
    assert asked["Location"] == f"/track/?reference={reference}#follow"
    assert f"we sent a link to {EMAIL}" in page_text(track(client, personal_case))
    # Nothing about the person is stored before they confirm.
    assert not CaseFollow.objects.exists()
    assert not ContactPoint.objects.filter(value=EMAIL).exists()

    message = last_email(EMAIL)
    assert message.subject == f"Confirm: follow request {reference}"
    assert "Pothole" in message.body
    path = link_in(message, "/follow/confirm/")
    assert path in html_body(message)

    landing = client.get(path)
    assert landing.status_code == 200
    assert not CaseFollow.objects.exists()

    confirmed = client.post(path)

    assert confirmed.status_code == 303
    follow = CaseFollow.objects.get()
    assert follow.case == personal_case
    assert follow.channel == UpdateChannel.EMAIL
    assert follow.confirmed_at is not None
    assert follow.resident.contact_points.get(value=EMAIL).verified_at is not None
    page = page_text(client.get(confirmed["Location"].split("#")[0]))
    assert "You are following this request. We will email you when it changes." in page

    # A receipt with a working unsubscribe link, in the body and the List-Unsubscribe header.
    receipt = last_email(EMAIL)
    assert receipt.subject == f"You are following request {reference}"
    stop = link_in(receipt, "/follow/stop/")
    assert receipt.extra_headers["List-Unsubscribe"] == f"<http://testserver{stop}>"

    # The confirmation link works once.
    again = client.post(path)
    assert again.status_code == 410
    assert "This link has already been used." in page_text(again)
    assert CaseFollow.objects.count() == 1


def test_the_unsubscribe_link_works_without_signing_in(client, personal_case):
    client.post(f"/track/{personal_case.reference}/follow/", {"follow-email": EMAIL})
    client.post(link_in(last_email(EMAIL), "/follow/confirm/"))
    stop = link_in(last_email(EMAIL), "/follow/stop/")
    stranger = client.__class__()

    asked = stranger.get(stop)
    assert asked.status_code == 200
    assert "Stop getting updates about request" in page_text(asked)
    assert CaseFollow.objects.get().ended_at is None

    stopped = stranger.post(stop)

    assert stopped.status_code == 200
    assert "You will no longer get updates about request" in page_text(stopped)
    assert CaseFollow.objects.get().ended_at is not None
    # Again, and by mail clients' one-click POST without a CSRF token: still fine.
    assert stranger.post(stop, {"List-Unsubscribe": "One-Click"}).status_code == 200
    csrf_client = client.__class__(enforce_csrf_checks=True)
    assert csrf_client.post(stop, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert stranger.get("/follow/stop/not-a-token/").status_code == 404


def test_an_expired_confirmation_link_is_refused(client, personal_case):
    client.post(f"/track/{personal_case.reference}/follow/", {"follow-email": EMAIL})
    path = link_in(last_email(EMAIL), "/follow/confirm/")
    EmailLink.objects.update(expires_at=timezone.now() - timedelta(minutes=1))

    response = client.post(path)

    assert response.status_code == 410
    assert "This link has expired." in page_text(response)
    assert not CaseFollow.objects.exists()


def test_confirmation_links_last_a_day(client, personal_case):
    client.post(f"/track/{personal_case.reference}/follow/", {"follow-email": EMAIL})

    link = EmailLink.objects.get()
    assert link.expires_at - link.created_at == timedelta(hours=24)


def test_a_bad_email_is_explained_beside_the_follow_field(client, personal_case):
    response = client.post(f"/track/{personal_case.reference}/follow/", {"follow-email": "nope@"})

    assert response.status_code == 400
    assert field_error(response, "id_follow-email") == (
        "Enter an email address like name@example.com."
    )
    field = input_tag(response, "id_follow-email")
    assert 'value="nope@"' in field
    assert 'aria-invalid="true"' in field
    text = page_text(response)
    assert f"<title>Error: Request {personal_case.reference} |" in text
    # The request is still shown around the form.
    assert "What has happened so far" in text
    assert_no_personal_data(text)
    assert mail.outbox == []


def test_following_an_unknown_or_private_request_is_a_404(client, make_service, make_case):
    private = make_case(service_type=make_service("internal", "Internal", is_public=False))

    assert client.post("/track/99-000001/follow/", {"follow-email": EMAIL}).status_code == 404
    assert (
        client.post(f"/track/{private.reference}/follow/", {"follow-email": EMAIL}).status_code
        == 404
    )


def test_signed_in_residents_follow_in_one_click_and_can_stop(client, personal_case):
    sign_in(client, EMAIL)
    reference = personal_case.reference
    mail.outbox.clear()

    before = track(client, personal_case)
    assert 'data-follow="signed-in"' in page_text(before)
    assert "id_follow-email" not in page_text(before)

    followed = client.post(f"/track/{reference}/follow/")

    assert followed.status_code == 303
    follow = CaseFollow.objects.get()
    assert follow.resident == Resident.objects.get(contact_points__value=EMAIL)
    assert follow.channel == UpdateChannel.EMAIL
    after = track(client, personal_case)
    assert 'data-follow="following"' in page_text(after)
    assert "You are following this request." in follow_panel(after)
    assert reference in page_text(client.get("/account/"))
    assert last_email(EMAIL).subject == f"You are following request {reference}"

    # Clicking again changes nothing.
    client.post(f"/track/{reference}/follow/")
    assert CaseFollow.objects.count() == 1

    stopped = client.post(f"/track/{reference}/unfollow/")
    assert stopped.status_code == 303
    assert "You are no longer following this request." in page_text(track(client, personal_case))
    assert CaseFollow.objects.get().ended_at is not None
    assert reference not in page_text(client.get("/account/"))


def test_follows_use_the_preferred_channel(client, personal_case):
    sign_in(client, EMAIL)
    client.post("/account/preferences/", {"language": "en", "channel": "none"})
    mail.outbox.clear()

    client.post(f"/track/{personal_case.reference}/follow/")

    assert CaseFollow.objects.get().channel == UpdateChannel.NONE
    assert "you chose not to get messages" in follow_panel(track(client, personal_case))
    assert mail.outbox == []
    client.post("/account/preferences/", {"language": "en", "channel": "email"})
    assert CaseFollow.objects.get().channel == UpdateChannel.EMAIL


def test_unfollow_needs_signing_in(client, personal_case):
    response = client.post(f"/track/{personal_case.reference}/unfollow/")

    assert response.status_code == 303
    assert response["Location"].startswith("/account/sign-in/?next=")


@override_settings(CIVICDESK_EMAIL_LINK_LIMIT_PER_ADDRESS=1, CIVICDESK_EMAIL_LINK_LIMIT_PER_IP=50)
def test_follow_emails_are_rate_limited(client, personal_case):
    url = f"/track/{personal_case.reference}/follow/"
    assert client.post(url, {"follow-email": EMAIL}).status_code == 303

    response = client.post(url, {"follow-email": EMAIL})

    assert response.status_code == 429
    assert field_error(response, "id_follow-email").startswith("We already sent several links")
    assert len(mail.outbox) == 1


def test_follow_in_spanish(client, personal_case):
    spanish = {"headers": {"accept-language": "es"}}
    page = track(client, personal_case, **spanish)
    assert "Seguir esta solicitud" in follow_panel(page)

    client.post(f"/track/{personal_case.reference}/follow/", {"follow-email": EMAIL}, **spanish)

    message = last_email(EMAIL)
    assert message.subject == f"Confirme: seguir la solicitud {personal_case.reference}"
    assert "Bache" in message.body
