"""`schakel token create|list|revoke`: manage personal API tokens from the command line."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from schakel.accounts import services
from schakel.accounts.models import ApiToken


class Command(BaseCommand):
    help = (
        "Manage personal API tokens. `token create USERNAME [--name NAME]` prints only the "
        "new key on stdout, so scripts can capture it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        create = subcommands.add_parser("create", help="Create a token and print its key.")
        create.add_argument("username")
        create.add_argument("--name", default="CLI", help="What the token is for.")
        listing = subcommands.add_parser("list", help="List a user's tokens.")
        listing.add_argument("username")
        revoke = subcommands.add_parser("revoke", help="Revoke a token by its id.")
        revoke.add_argument("id", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "create":
            self.create(options["username"], options["name"])
        elif action == "list":
            self.list(options["username"])
        else:
            self.revoke(options["id"])

    def user(self, username: str) -> Any:
        user_model = get_user_model()
        try:
            return user_model.objects.get(**{user_model.USERNAME_FIELD: username})
        except user_model.DoesNotExist as exc:
            raise CommandError(f"No user with the user name {username!r}.") from exc

    def create(self, username: str, name: str) -> None:
        user = self.user(username)
        if not user.is_active:
            raise CommandError(f"The account {username!r} is not active.")
        token, key = services.token_create(user=user, name=name)
        # Only the key goes to stdout; the note goes to stderr, out of a script's way.
        self.stdout.write(key)
        self.stderr.write(
            f"Created token {token.pk} ({token.name!r}) for {username}. "
            "Store the key now: it cannot be shown again."
        )

    def list(self, username: str) -> None:
        user = self.user(username)
        tokens = ApiToken.objects.filter(user=user)
        if not tokens:
            self.stderr.write(f"{username} has no API tokens.")
            return
        self.stdout.write(f"{'ID':>6}  {'PREFIX':<9}  {'STATUS':<8}  {'CREATED':<16}  NAME")
        for token in tokens:
            if token.revoked_at is not None:
                status = "revoked"
            else:
                status = "active" if token.is_active else "expired"
            created = timezone.localtime(token.created_at).strftime("%Y-%m-%d %H:%M")
            self.stdout.write(
                f"{token.pk:>6}  {token.prefix + '…':<9}  {status:<8}  {created:<16}  {token.name}"
            )

    def revoke(self, token_id: int) -> None:
        token = ApiToken.objects.filter(pk=token_id).select_related("user").first()
        if token is None:
            raise CommandError(f"No API token with id {token_id}.")
        already = token.revoked_at is not None
        services.token_revoke(token=token)
        if already:
            self.stdout.write(f"Token {token_id} was already revoked.")
        else:
            self.stdout.write(f"Revoked token {token_id} ({token.name!r}) of {token.user}.")
