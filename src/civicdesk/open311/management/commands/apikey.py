"""`civicdesk apikey create|list|revoke`: manage the keys integrators post Open311 requests with."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from civicdesk.open311.models import ApiKey
from civicdesk.open311.services import apikey_create, apikey_revoke


class Command(BaseCommand):
    help = "Create, list or revoke Open311 API keys."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(
            dest="action", required=True, metavar="{create,list,revoke}"
        )
        creating = actions.add_parser("create", help="Create a key and print it once.")
        creating.add_argument("--name", required=True, help="Who the key is for.")
        creating.add_argument("--rate-limit", type=int, default=120, help="Requests a minute.")
        creating.add_argument("--email", default="", help="The integrator's contact email.")
        creating.add_argument("--note", default="")
        actions.add_parser("list", help="List keys (prefix, name, state); never the secret.")
        revoking = actions.add_parser("revoke", help="Revoke the key with this prefix.")
        revoking.add_argument("prefix")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "create":
            self._create(options)
        elif options["action"] == "list":
            self._list()
        else:
            self._revoke(options["prefix"])

    def _create(self, options: dict[str, Any]) -> None:
        if options["rate_limit"] < 1:
            raise CommandError("--rate-limit must be at least 1.")
        try:
            key, raw = apikey_create(
                name=options["name"],
                rate_limit_per_minute=options["rate_limit"],
                contact_email=options["email"],
                note=options["note"],
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(raw)
        self.stderr.write(
            f"Created key {key.prefix} for {key.name}. This is the only time it is shown."
        )

    def _list(self) -> None:
        for key in ApiKey.objects.order_by("created_at", "pk"):
            state = f"revoked {key.revoked_at:%Y-%m-%d}" if key.revoked_at else "active"
            used = f"{key.last_used_at:%Y-%m-%d %H:%M}" if key.last_used_at else "never"
            self.stdout.write(
                f"{key.prefix}\t{key.name}\t{key.rate_limit_per_minute}/min\t{state}\t"
                f"last used {used}"
            )

    def _revoke(self, prefix: str) -> None:
        matches = list(ApiKey.objects.filter(prefix__startswith=prefix.strip())[:2])
        if not prefix.strip() or not matches:
            raise CommandError(f"No key starts with {prefix!r}.")
        if len(matches) > 1:
            raise CommandError(f"More than one key starts with {prefix!r}; give more of it.")
        key = apikey_revoke(key=matches[0])
        self.stdout.write(f"Revoked {key.prefix} ({key.name}).")
