from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from civicdesk.api.models import ApiToken
from civicdesk.api.services import api_token_create, api_token_hash, api_token_revoke

ME = "/api/v1/me"


def test_token_signs_in_and_stamps_last_used(client, staff):
    issued = api_token_create(user=staff["agent"], name="script")

    response = client.get(ME, headers={"Authorization": f"Bearer {issued.secret}"})

    assert response.status_code == 200
    body = response.json()
    assert body["username"] == "agent"
    assert body["auth"] == "token"
    assert body["token"]["prefix"] == issued.token.prefix
    assert "cases.view_case" in body["permissions"]
    assert body["groups"] == ["Agents"]
    issued.token.refresh_from_db()
    assert issued.token.last_used_at is not None


def test_only_the_hash_is_stored(staff):
    issued = api_token_create(user=staff["agent"], name="script")

    stored = ApiToken.objects.get()
    assert stored.token_hash == api_token_hash(issued.secret)
    assert issued.secret not in {stored.token_hash, stored.prefix, stored.name}


@pytest.mark.parametrize(
    "header",
    [
        None,
        "Bearer cdk_not-a-real-token",
        "Bearer ",
        "Basic YWdlbnQ6Y2l2aWNkZXNr",
        "Token abc",
        "Bearer \u00e9\u00e8",
    ],
)
def test_missing_or_bad_credentials_are_401(client, staff, header):
    headers = {"Authorization": header} if header is not None else {}

    response = client.get(ME, headers=headers)

    assert response.status_code == 401
    assert response.json()["errors"] == {}
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_revoked_token_is_401(client, staff):
    issued = api_token_create(user=staff["agent"], name="script")
    api_token_revoke(token=issued.token)

    response = client.get(ME, headers={"Authorization": f"Bearer {issued.secret}"})

    assert response.status_code == 401


def test_token_of_deactivated_user_is_401(client, staff):
    issued = api_token_create(user=staff["agent"], name="script")
    User.objects.filter(pk=staff["agent"].pk).update(is_active=False)

    response = client.get(ME, headers={"Authorization": f"Bearer {issued.secret}"})

    assert response.status_code == 401


def test_last_used_is_written_at_most_once_a_minute(client, staff):
    issued = api_token_create(user=staff["agent"], name="script")
    recent = timezone.now() - timedelta(seconds=10)
    ApiToken.objects.filter(pk=issued.token.pk).update(last_used_at=recent)

    client.get(ME, headers={"Authorization": f"Bearer {issued.secret}"})

    issued.token.refresh_from_db()
    assert issued.token.last_used_at == recent


def test_tokens_only_for_active_staff(db):
    resident = User.objects.create_user("someone")

    with pytest.raises(Exception, match="staff"):
        api_token_create(user=resident, name="x")


def test_command_creates_lists_and_revokes(staff):
    out, err = StringIO(), StringIO()
    call_command(
        "apitoken", "create", "--user", "agent", "--name", "GIS sync", stdout=out, stderr=err
    )
    secret = out.getvalue().strip()
    token = ApiToken.objects.get()
    assert secret.startswith(token.prefix)
    assert "cannot be shown again" in err.getvalue()

    listing = StringIO()
    call_command("apitoken", "list", "--user", "agent", stdout=listing)
    assert token.prefix in listing.getvalue() and "GIS sync" in listing.getvalue()
    assert secret not in listing.getvalue()

    call_command("apitoken", "revoke", token.prefix, stdout=StringIO())
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_command_refuses_unknown_user(db):
    with pytest.raises(CommandError, match="No user"):
        call_command("apitoken", "create", "--user", "ghost", "--name", "x")


def test_staff_session_works_for_reads(staff):
    client = Client()
    client.force_login(staff["agent"])

    response = client.get(ME)

    assert response.status_code == 200
    assert response.json()["auth"] == "session"
    assert response.json()["token"] is None


def test_session_of_non_staff_user_is_401(db):
    client = Client()
    client.force_login(User.objects.create_user("resident"))

    assert client.get(ME).status_code == 401


def test_session_writes_need_the_csrf_token(staff, make_case):
    case = make_case()
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff["agent"])
    url = f"/api/v1/cases/{case.reference}/notes"

    without = client.post(url, {"body": "hi"}, content_type="application/json")
    client.get("/api/v1/docs")  # the docs page hands out the CSRF cookie
    csrf = client.cookies["csrftoken"].value
    with_token = client.post(
        url, {"body": "hi"}, content_type="application/json", headers={"X-CSRFToken": csrf}
    )

    assert without.status_code == 403
    assert "CSRF" in without.json()["detail"]
    assert with_token.status_code == 201


def test_bearer_writes_need_no_csrf(staff, make_case, auth):
    case = make_case()
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        f"/api/v1/cases/{case.reference}/notes",
        {"body": "hi"},
        content_type="application/json",
        headers=auth["agent"],
    )

    assert response.status_code == 201
