"""`civicdesk apitoken create|list|revoke`: personal API tokens for staff users."""

from argparse import ArgumentParser
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from civicdesk.api.models import ApiToken
from civicdesk.api.services import api_token_create, api_token_revoke


class Command(BaseCommand):
    help = "Create, list or revoke personal API tokens."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="Issue a token; the secret is shown once.")
        create.add_argument("--user", required=True, help="Username of an active staff user.")
        create.add_argument("--name", required=True, help="What the token is for.")
        listing = actions.add_parser("list", help="List tokens (never their secrets).")
        listing.add_argument("--user", help="Only this user's tokens.")
        revoke = actions.add_parser("revoke", help="Revoke a token at once.")
        revoke.add_argument("prefix", help="The token's prefix, as shown by `list`.")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "create":
            self._create(username=options["user"], name=options["name"])
        elif action == "list":
            self._list(username=options.get("user"))
        else:
            self._revoke(prefix=options["prefix"])

    def _create(self, *, username: str, name: str) -> None:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user is called {username!r}.")
        try:
            issued = api_token_create(user=user, name=name)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(issued.secret)
        self.stderr.write(
            f"Token {issued.token.prefix}… for {username}. Store the secret now: it is not kept "
            "and cannot be shown again."
        )

    def _list(self, *, username: str | None) -> None:
        tokens = ApiToken.objects.select_related("user").order_by("user__username", "created_at")
        if username:
            tokens = tokens.filter(user__username=username)
        for token in tokens:
            state = f"revoked {token.revoked_at:%Y-%m-%d}" if token.revoked_at else "active"
            used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never"
            self.stdout.write(
                f"{token.prefix}\t{token.user.get_username()}\t{token.name}\t{state}\t"
                f"last used {used}"
            )

    def _revoke(self, *, prefix: str) -> None:
        matches = list(ApiToken.objects.filter(prefix=prefix)[:2])
        if not matches:
            raise CommandError(f"No token has the prefix {prefix!r}.")
        if len(matches) > 1:
            raise CommandError(f"Several tokens share the prefix {prefix!r}; nothing revoked.")
        token = api_token_revoke(token=matches[0])
        self.stdout.write(f"Revoked {token.prefix}… ({token.name}).")
