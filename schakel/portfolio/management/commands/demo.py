"""`schakel demo`: load the demo organisation (see `schakel.portfolio.demo`)."""

from __future__ import annotations

import argparse
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from schakel.portfolio import demo


def positive_fraction(value: str) -> float:
    number = float(value)
    if not 0 < number <= 1:
        raise argparse.ArgumentTypeError("must be more than 0 and at most 1")
    return number


class Command(BaseCommand):
    help = (
        "Load demo data: users for every role, a portfolio with a change programme and a "
        "PMO programme (size S), or large generated organisations for benchmarks (M: ~50 "
        "projects, 60 users; L: 10 programmes, 500 projects, 300 users). Deterministic by "
        "seed; dates are relative to today. Refuses to run with DEBUG off unless --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--size", choices=demo.SIZES, default="S", type=str.upper, help="S (default), M or L."
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=demo.DEFAULT_SEED,
            help=f"Seed of the random choices (default {demo.DEFAULT_SEED}).",
        )
        once_or_reset = parser.add_mutually_exclusive_group()
        once_or_reset.add_argument(
            "--once", action="store_true", help="Do nothing if the demo is already loaded."
        )
        once_or_reset.add_argument(
            "--reset",
            action="store_true",
            help="Delete the demo portfolio and demo accounts first, then load afresh.",
        )
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off (e.g. a trial server)."
        )
        # Shrinks the generated volumes of M and L; for the tests of those code paths.
        parser.add_argument("--scale", type=positive_fraction, default=1.0, help=argparse.SUPPRESS)

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                _(
                    "DEBUG is off, so this looks like a production site: the demo data would "
                    "add well-known accounts with a known password. Use --force to load it "
                    "anyway."
                )
            )
        if options["reset"]:
            demo.reset_demo()
            self.stdout.write(_("Removed the previous demo data."))
        elif demo.demo_loaded():
            if options["once"]:
                self.stdout.write(_("The demo data is already loaded; nothing to do."))
                return
            raise CommandError(
                _(
                    "The demo data is already loaded. Use --reset to load it afresh, or --once "
                    "to leave it."
                )
            )

        self.stdout.write(
            _("Loading demo data, size %(size)s, seed %(seed)d:")
            % {"size": options["size"], "seed": options["seed"]}
        )
        try:
            demo.build_demo(
                size=options["size"],
                seed=options["seed"],
                scale=options["scale"],
                log=self.stdout.write,
            )
        except demo.DemoConflict as exc:
            message = _("Cannot load the demo data: %(problem)s. Remove those first.") % {
                "problem": exc
            }
            if options["once"]:
                # `make run` loads the demo with --once before serving: a site that already
                # has accounts of its own should still start.
                self.stderr.write(self.style.WARNING(message))
                return
            raise CommandError(message) from exc
        self.print_logins()

    def print_logins(self) -> None:
        password = settings.SCHAKEL_DEMO_PASSWORD
        # Echo the password only when it is the public default, so a chosen one stays
        # out of terminal logs.
        shown = (
            password
            if password == demo.PUBLIC_PASSWORD
            else _("the value of SCHAKEL_DEMO_PASSWORD")
        )
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(_("Demo logins (password: %(p)s):") % {"p": shown}))
        for username, text in demo.logins():
            self.stdout.write(f"  {username:<10} {text}")
