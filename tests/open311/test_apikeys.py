"""API keys: hashed at rest, constant-time checked, revocable, rate-limited, managed by CLI."""

import hashlib
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command

from civicdesk.open311.models import ApiKey
from civicdesk.open311.services import (
    apikey_authenticate,
    apikey_check_rate,
    apikey_create,
    apikey_revoke,
)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.mark.django_db
def test_apikey_create_stores_only_a_hash_and_authenticates():
    key, raw = apikey_create(name="Mobile app", rate_limit_per_minute=30)

    assert len(raw) >= 40 and raw.startswith(key.prefix)
    stored = ApiKey.objects.get()
    assert stored.secret_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in {str(value) for value in ApiKey.objects.values().get().values()}
    assert apikey_authenticate(raw=raw) == key
    assert apikey_authenticate(raw=f"  {raw} ") == key
    assert ApiKey.objects.get().last_used_at is not None
    assert apikey_authenticate(raw=raw[:-1] + ("A" if raw[-1] != "A" else "B")) is None
    assert apikey_authenticate(raw="") is None
    assert apikey_authenticate(raw="o311_\x00") is None


@pytest.mark.django_db
def test_apikey_revoke_stops_the_key_and_keeps_the_first_time():
    key, raw = apikey_create(name="Old app")
    first = apikey_revoke(key=key).revoked_at
    assert apikey_revoke(key=key).revoked_at == first
    assert apikey_authenticate(raw=raw) is None


@pytest.mark.django_db
def test_apikey_check_rate_counts_per_key_per_minute():
    key, _raw = apikey_create(name="Busy app", rate_limit_per_minute=3)
    other, _raw = apikey_create(name="Quiet app", rate_limit_per_minute=3)
    assert [apikey_check_rate(key=key) for _ in range(4)] == [True, True, True, False]
    assert apikey_check_rate(key=other) is True


@pytest.mark.django_db
def test_apikey_command_creates_lists_and_revokes():
    out, err = StringIO(), StringIO()
    call_command(
        "apikey", "create", "--name", "Crew tablets", "--rate-limit", "10", stdout=out, stderr=err
    )
    raw = out.getvalue().strip()
    key = apikey_authenticate(raw=raw)
    assert key is not None and key.rate_limit_per_minute == 10
    assert "only time" in err.getvalue()

    listing = StringIO()
    call_command("apikey", "list", stdout=listing)
    assert key.prefix in listing.getvalue() and "Crew tablets" in listing.getvalue()
    assert raw not in listing.getvalue()

    call_command("apikey", "revoke", key.prefix, stdout=StringIO())
    assert apikey_authenticate(raw=raw) is None
    with pytest.raises(CommandError):
        call_command("apikey", "revoke", "o311_nothing")
    with pytest.raises(CommandError):
        call_command("apikey", "create", "--name", "x", "--rate-limit", "0")


@pytest.mark.django_db
def test_admin_lists_and_revokes_keys_without_the_secret(admin_client):
    key, raw = apikey_create(name="Partner")
    listing = admin_client.get("/admin/open311/apikey/")
    assert listing.status_code == 200
    assert key.prefix in listing.content.decode()
    detail = admin_client.get(f"/admin/open311/apikey/{key.pk}/change/").content.decode()
    assert raw not in detail and key.secret_hash not in detail
    admin_client.post("/admin/open311/apikey/", {"action": "revoke", "_selected_action": [key.pk]})
    assert ApiKey.objects.get().revoked_at is not None
