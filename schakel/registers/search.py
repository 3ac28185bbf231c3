"""Global search over the registers: every item the user may see, by code, title or text.

On PostgreSQL the title and description are searched with full-text search (the `simple`
configuration, which suits Dutch and English alike, with prefix matching); elsewhere every
word must appear in the title or description. A reference code such as ODI-R12 finds that
item directly.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.http import urlencode

from schakel.lib import search as site_search

from . import access
from .registry import REGISTERS


def _matching(queryset: QuerySet[Any], words: list[str]) -> QuerySet[Any]:
    model = queryset.model
    ref_condition = Q(pk__in=[])
    text_words = []
    for word in words:
        key, sep, code = word.upper().rpartition("-")
        prefix = model.PREFIX
        if sep and code.startswith(prefix) and code[len(prefix) :].isdigit():
            number = int(code[len(prefix) :])
            ref_condition |= (Q(project__key=key) | Q(programme__key=key)) & Q(number=number)
        else:
            text_words.append(word)
    if not text_words:
        return queryset.filter(ref_condition)
    if site_search.full_text_available():
        from django.contrib.postgres.search import SearchQuery, SearchVector

        terms = " & ".join(
            "".join(ch for ch in w if ch.isalnum()) + ":*"
            for w in text_words
            if any(ch.isalnum() for ch in w)
        )
        if terms:
            vector = SearchVector("title", "description", config="simple")
            found = queryset.annotate(search_text=vector).filter(
                search_text=SearchQuery(terms, config="simple", search_type="raw")
            )
            return found | queryset.filter(ref_condition) if ref_condition else found
    for word in text_words:
        queryset = queryset.filter(Q(title__icontains=word) | Q(description__icontains=word))
    return queryset


def search_registers(user: Any, words: list[str], limit: int) -> list[site_search.Group]:
    """Find register items of every register among those the user may see."""
    groups = []
    query = " ".join(words)
    for register in REGISTERS:
        items = _matching(access.visible_items(user, register.model), words)
        rows = list(
            items.select_related("project", "programme").order_by("-updated_at")[: limit + 1]
        )
        hits = [
            site_search.Hit(
                title=item.title,
                url=item.get_absolute_url(),
                ref=item.ref,
                context=item.project.name if item.project else str(item.programme),
                badge=item.get_status_display(),
                badge_class=f"status-{item.status}",
            )
            for item in rows
        ]
        more_url = (
            reverse("registers:all_list", args=[register.slug]) + "?" + urlencode({"q": query})
        )
        groups.append(
            site_search.Group(
                key=register.slug,
                label=str(register.title),
                hits=hits,
                more_url=more_url,
                limit=limit,
            )
        )
    return groups
