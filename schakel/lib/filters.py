"""Filter building blocks shared by the lists and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from drf_spectacular.utils import extend_schema_field

# The largest value a database integer column holds; anything above is not an id.
MAX_ID = 2**63 - 1


@extend_schema_field({"type": "integer", "minimum": 0, "maximum": MAX_ID})
class IdFilter(django_filters.NumberFilter):
    """A whole-number filter (ids, levels, scores) that refuses what no column could hold.

    django-filter's NumberFilter accepts decimals such as 1e30, which overflow the database
    driver; here such input is simply an invalid filter value that is ignored.
    """

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)
