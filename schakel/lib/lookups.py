"""`field__any_of=[ids]`: membership in a list of integers, written for the database.

Django writes `field__in=[...]` as `IN (%s, %s, ...)`: one parameter per value, which
psycopg then splits and quotes in Python. For the id lists of the access rules (every
project a portfolio's PMO sees: hundreds of ids, several times a page) that cost more than
running the query. On PostgreSQL `any_of` sends the list as one array parameter
(`= ANY(%s)`); elsewhere it is an ordinary `IN`. An empty list matches nothing, like `in`.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db.models import Field, ForeignObject, Lookup


class AnyOf(Lookup):
    lookup_name = "any_of"
    prepare_rhs = False

    def get_prep_lookup(self) -> list[int]:
        # Integers only: the values are ids from our own queries, never user text.
        return sorted({int(value) for value in self.rhs})

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values: list[int] = self.rhs
        if not values:
            raise EmptyResultSet
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", [*lhs_params, values]
        placeholders = ", ".join(["%s"] * len(values))
        return f"{lhs} IN ({placeholders})", [*lhs_params, *values]


def register() -> None:
    """Make `__any_of` available on every field (called once, from the app's `ready`);
    relations keep lookups of their own, so they get it too."""
    Field.register_lookup(AnyOf)
    ForeignObject.register_lookup(AnyOf)
