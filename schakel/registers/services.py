"""Changes to register items; pages, the API, imports and meetings all call these.

One set of functions serves all six registers: numbering, validation, versions, tags,
history, comments with @mentions, links and bulk changes are written once. What differs per
register (scores of a risk, completion date of an action, ...) is in `_derive`.
"""

from __future__ import annotations

import datetime
import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connections, models, router, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from schakel.accounts.models import User
from schakel.lib.services import changed_copy, update_versioned
from schakel.portfolio.models import Programme, Project, Tag

from .models import (
    Action,
    Assumption,
    Comment,
    Decision,
    Issue,
    Link,
    Priority,
    RegisterItem,
    Risk,
)

M = TypeVar("M", bound=RegisterItem)

# Fields a caller never sets directly: the scope is fixed at creation, the rest is derived.
PROTECTED_FIELDS = frozenset(
    {
        "id",
        "pk",
        "project",
        "project_id",
        "programme",
        "programme_id",
        "number",
        "version",
        "created_by",
        "created_by_id",
        "created_at",
        "updated_at",
        "deleted_at",
        "deleted_by",
        "trash_batch",
        "score",
        "residual_score",
        "trend",
    }
)

TREND_WINDOW = datetime.timedelta(days=30)


def _today() -> datetime.date:
    return timezone.localdate()


def _next_number(model: type[RegisterItem], scope: Project | Programme) -> int:
    """Allocate the next number in a scope; the scope row is locked by the caller."""
    field = "project" if isinstance(scope, Project) else "programme"
    last = model.all_objects.filter(**{field: scope}).aggregate(n=Max("number"))["n"]
    return (last or 0) + 1


def _lock_scope(scope: Project | Programme) -> None:
    """Serialise numbering per scope: two items created at once never get the same number."""
    type(scope).all_objects.select_for_update().filter(pk=scope.pk).first()


def _derive(
    item: RegisterItem, before: RegisterItem | None, today: datetime.date | None = None
) -> None:
    """Apply the rules that follow from other fields (per register)."""
    today = today or _today()
    if isinstance(item, Risk):
        item.compute_scores()
    elif isinstance(item, Action):
        if item.status == Action.Status.DONE and not item.completed_on:
            item.completed_on = today
        elif item.status != Action.Status.DONE:
            item.completed_on = None
    elif isinstance(item, Issue):
        if item.status in (Issue.Status.RESOLVED, Issue.Status.CLOSED) and not item.resolved_on:
            item.resolved_on = today
        elif item.status not in (Issue.Status.RESOLVED, Issue.Status.CLOSED):
            item.resolved_on = None
    elif isinstance(item, Assumption):
        if item.status != Assumption.Status.UNVALIDATED and not item.validated_on:
            item.validated_on = today
        elif item.status == Assumption.Status.UNVALIDATED:
            item.validated_on = None
    elif isinstance(item, Decision):
        decided = item.status in (Decision.Status.APPROVED, Decision.Status.REJECTED)
        if decided and not item.decided_on:
            item.decided_on = today


def _refuse_protected(fields: Iterable[str]) -> None:
    bad = sorted(set(fields) & PROTECTED_FIELDS)
    if bad:
        raise ValidationError({name: _("This field cannot be set.") for name in bad})


def _set_tags(item: RegisterItem, tags: Iterable[Tag] | None) -> None:
    if tags is not None:
        item.tags.set(list(tags))


@transaction.atomic
def item_create(
    *,
    model: type[M],
    scope: Project | Programme,
    by: Any,
    tags: Iterable[Tag] | None = None,
    source: RegisterItem | None = None,
    **fields: Any,
) -> M:
    """Create an item in a project or programme with the next reference number.

    `source` records where an action came from (a risk, issue or decision); for other
    registers it becomes a link.
    """
    _refuse_protected(fields)
    if getattr(scope, "archived_at", None) is not None:
        raise ValidationError(_("This is archived and read-only; unarchive it to change it."))
    _lock_scope(scope)
    item = model(**fields)
    if isinstance(scope, Project):
        item.project = scope
    else:
        item.programme = scope
    item.number = _next_number(model, scope)
    item.created_by = by if getattr(by, "is_authenticated", False) else None
    if isinstance(item, Action) and source is not None:
        item.source_type = ContentType.objects.get_for_model(source)
        item.source_id = source.pk
    _derive(item, None)
    # The scope, the number and the creator are set here from rows this function holds (the
    # scope is locked): checking that they exist would cost a query each.
    item.full_clean(exclude=["number", "project", "programme", "created_by"])
    item._history_user = by  # type: ignore[attr-defined]
    item.save()
    new_tags = list(tags or ())
    if new_tags:  # a new item has no tags to compare with: add, without reading them first
        item.tags.add(*new_tags)
    if source is not None and not isinstance(item, Action):
        link_add(a=source, b=item, by=by)
    if isinstance(item, Risk):
        _update_trend(item)
    return item


@dataclass(slots=True)
class BulkRow:
    """One item to create with `items_create_bulk`: its fields, tags and (actions) source,
    and where it stands in the caller's file (for an error message).

    `item` may hold an unsaved instance the caller already built from `fields` (the
    candidate the import's plan checked); it is then used as it is rather than built again.
    """

    fields: dict[str, Any]
    tags: Sequence[Tag] | None = None
    source: RegisterItem | None = None
    where: dict[str, Any] = dataclass_field(default_factory=dict)
    item: RegisterItem | None = None


BULK_BATCH = 500


@transaction.atomic
def items_create_bulk(
    *,
    model: type[M],
    scope: Project | Programme,
    by: Any,
    rows: Sequence[BulkRow],
    checked: bool = False,
) -> list[M]:
    """Create many items of one register in a scope at once, numbered in the given order.

    What `item_create` does for one item, for an import of thousands: the same derived
    fields, field checks and creation history (with the tags), but with one lock and one
    numbering query for the lot, the rows and tags written a batch at a time and the
    history copied from them by the database (`_record_creation`).
    Foreign keys are not looked up again: the caller (the import's plan) resolved them to
    rows it read. A refused item raises `ValidationError` with the row's `where` attached.
    New risks start with a stable trend (their only history is their creation), as
    `item_create` finds; sources are recorded for actions only. `checked` says the caller
    has just checked every row with the model's field checks and `clean()` (the import's
    plan does), so they are not run twice.
    """
    if not rows:
        return []
    if getattr(scope, "archived_at", None) is not None:
        raise ValidationError(_("This is archived and read-only; unarchive it to change it."))
    _lock_scope(scope)
    number = _next_number(model, scope)
    creator = by if getattr(by, "is_authenticated", False) else None
    relations = [f.name for f in model._meta.concrete_fields if f.is_relation]
    today = _today()
    items: list[M] = []
    for row in rows:
        _refuse_protected(row.fields)
        if row.item is None:
            item = model(**row.fields)
        elif type(row.item) is model and row.item._state.adding and row.item.pk is None:
            item = row.item
        else:
            raise ValueError("a bulk row's item must be a new instance of the model created")
        if isinstance(scope, Project):
            item.project = scope
        else:
            item.programme = scope
        item.number = number
        number += 1
        item.created_by = creator
        if isinstance(item, Action) and row.source is not None:
            item.source_type = ContentType.objects.get_for_model(row.source)
            item.source_id = row.source.pk
        _derive(item, None, today)
        if isinstance(item, Risk):
            item.trend = Risk.Trend.STABLE
        try:
            if not checked:
                item.clean_fields(exclude=[*relations, "number"])
                item.clean()
        except ValidationError as error:
            error.where = row.where  # type: ignore[attr-defined]
            raise
        items.append(item)
    model.all_objects.bulk_create(items, batch_size=BULK_BATCH)
    tag_field = model._meta.get_field("tags")
    through = tag_field.remote_field.through  # type: ignore[union-attr]
    owner_name = model._meta.model_name
    links = [
        through(**{f"{owner_name}_id": item.pk, "tag_id": tag.pk})
        for item, row in zip(items, rows, strict=True)
        for tag in (row.tags or ())
    ]
    through.objects.bulk_create(links, batch_size=BULK_BATCH)
    _record_creation(
        model,
        scope,
        numbers=(items[0].number, items[-1].number),
        creator=creator,
        tagged=bool(links),
    )
    return items


def _record_creation(
    model: type[RegisterItem],
    scope: Project | Programme,
    *,
    numbers: tuple[int, int],
    creator: User | None,
    tagged: bool,
) -> None:
    """Write the "created" history of the items just numbered `numbers` (first, last) in a
    scope, with their tags, as simple-history records an item saved by hand.

    The database copies the rows just written into the history tables (a statement or two
    per batch) instead of every value of every item making the trip through Python again.
    """
    history_model = model.history.model  # type: ignore[attr-defined]
    history, items = history_model._meta, model._meta
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name

    def column(meta: Any, field_name: str, table: str = "") -> str:
        name = quote(meta.get_field(field_name).column)
        return f"{table}.{name}" if table else name

    # This batch's items: numbers are unique in a scope (a constraint) and were allocated
    # under the scope's lock, so these are exactly the rows just written.
    scope_field = "project" if isinstance(scope, Project) else "programme"
    batch = (
        f"FROM {quote(items.db_table)} WHERE {column(items, scope_field)} = %s "
        f"AND {column(items, 'number')} BETWEEN %s AND %s"
    )
    batch_params = [scope.pk, *numbers]
    tracked = [f.name for f in history_model.tracked_fields]
    fixed = {
        "history_date": timezone.now(),
        "history_type": "+",
        "history_change_reason": "",
        "history_user": creator.pk if creator is not None else None,
    }
    targets = ", ".join(column(history, f) for f in [*tracked, *fixed])
    sources = ", ".join([column(items, f) for f in tracked] + ["%s"] * len(fixed))
    fixed_params = [
        history.get_field(key).get_db_prep_save(value, connection) for key, value in fixed.items()
    ]
    entries = (
        f"INSERT INTO {quote(history.db_table)} ({targets}) "
        f"SELECT {sources} {batch} ORDER BY {column(items, 'number')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(entries, [*fixed_params, *batch_params])
        if not tagged:
            return
        # The tags each item was created with, on its new history entry.
        links = items.get_field("tags").remote_field.through._meta  # type: ignore[union-attr]
        tagged_history = next(
            rel.related_model._meta
            for rel in history.related_objects
            if rel.related_model._meta.model_name.endswith("_tags")
        )
        owner_name = str(items.model_name)
        copied = ["id", owner_name, "tag"]
        owner = column(links, owner_name, "link")
        entry_tags = (
            f"INSERT INTO {quote(tagged_history.db_table)} "  # noqa: S608 # nosec B608 # names of models
            f"({', '.join(column(tagged_history, f) for f in [*copied, 'history'])}) "
            f"SELECT {', '.join(column(links, f, 'link') for f in copied)}, "
            f"{column(history, 'history_id', 'entry')} "
            f"FROM {quote(links.db_table)} link JOIN {quote(history.db_table)} entry "
            f"ON {column(history, 'id', 'entry')} = {owner} "
            f"WHERE {column(history, 'history_type', 'entry')} = %s "
            f"AND {owner} IN (SELECT {quote(items.pk.column)} {batch}) "
            f"ORDER BY {column(links, 'id', 'link')}"
        )
        cursor.execute(entry_tags, ["+", *batch_params])


def item_update(
    *,
    item: M,
    version: int | None,
    by: Any,
    tags: Iterable[Tag] | None = None,
    **changes: Any,
) -> M:
    """Change an item if nobody changed it since `version` (a stale one raises 409 upstream).

    Items of an archived project or programme are read-only, like their scope.
    """
    _refuse_protected(changes)
    scope_model = Project if item.project_id else Programme
    scope_id = item.project_id or item.programme_id
    if scope_model.all_objects.filter(pk=scope_id, archived_at__isnull=False).exists():
        raise ValidationError(_("This is archived and read-only; unarchive it to change it."))
    candidate = changed_copy(item, changes)
    _derive(candidate, item)
    derived = {
        name: getattr(candidate, name)
        for name in (
            "score",
            "residual_score",
            "completed_on",
            "resolved_on",
            "validated_on",
            "decided_on",
        )
        if hasattr(candidate, name)
    }
    candidate.full_clean(exclude=["number"])
    updated = update_versioned(
        item,
        version=version,
        changes={**changes, **derived},
        m2m={"tags": tags} if tags is not None else None,
        by=by,
    )
    if isinstance(updated, Risk):
        _update_trend(updated)
    return updated


def _update_trend(risk: Risk) -> None:
    """Compare the current score with the one a month ago (or the first one) in the history."""
    cutoff = timezone.now() - TREND_WINDOW
    history = risk.history.order_by("-history_date")  # type: ignore[attr-defined]
    then = (
        history.filter(history_date__lte=cutoff).first() or history.order_by("history_date").first()
    )
    if then is None:
        return
    old = then.residual_score if then.residual_score is not None else then.score
    now = risk.current_score
    trend = (
        Risk.Trend.STABLE
        if now == old
        else (Risk.Trend.RISING if now > old else Risk.Trend.FALLING)
    )
    if trend != risk.trend:
        # A derived value: written without a version bump or a history entry of its own.
        Risk.all_objects.filter(pk=risk.pk).update(trend=trend)
        risk.trend = trend


@transaction.atomic
def risk_occurred(*, risk: Risk, version: int | None, by: Any) -> Issue:
    """Mark a risk as occurred and raise an issue for it, linked both ways (one click)."""
    if risk.status == Risk.Status.OCCURRED and hasattr(risk, "resulting_issue"):
        return risk.resulting_issue
    updated = item_update(item=risk, version=version, by=by, status=Risk.Status.OCCURRED)
    Risk.all_objects.filter(pk=updated.pk).update(occurred_on=_today())
    score = updated.current_score
    priority = (
        Priority.CRITICAL
        if score >= 20
        else Priority.HIGH
        if score >= 12
        else Priority.MEDIUM
        if score >= 6
        else Priority.LOW
    )
    issue = item_create(
        model=Issue,
        scope=updated.scope,
        by=by,
        title=updated.title,
        description=_("Risk %(ref)s occurred.") % {"ref": updated.ref}
        + ("\n\n" + updated.effect if updated.effect else ""),
        owner=updated.owner,
        type=Issue.Type.PROBLEM,
        priority=priority,
        raised_by=by if getattr(by, "is_authenticated", False) else None,
        source_risk=updated,
        tags=list(updated.tags.all()),
    )
    link_add(a=updated, b=issue, by=by)
    return issue


@transaction.atomic
def assumption_invalidate(*, assumption: Assumption, version: int | None, by: Any) -> Issue:
    """Mark an assumption invalid and raise an issue for its consequence."""
    updated = item_update(item=assumption, version=version, by=by, status=Assumption.Status.INVALID)
    if updated.raised_issue_id:
        return updated.raised_issue  # type: ignore[return-value]
    issue = item_create(
        model=Issue,
        scope=updated.scope,
        by=by,
        title=_("Assumption %(ref)s is invalid: %(title)s")
        % {"ref": updated.ref, "title": updated.title},
        description=updated.consequence,
        owner=updated.owner,
        type=Issue.Type.PROBLEM,
        raised_by=by if getattr(by, "is_authenticated", False) else None,
    )
    Assumption.all_objects.filter(pk=updated.pk).update(raised_issue=issue)
    link_add(a=updated, b=issue, by=by)
    return issue


# Trash ---------------------------------------------------------------------------------


@transaction.atomic
def item_trash(*, item: RegisterItem, by: Any) -> uuid.UUID:
    """Move an item to the trash (its comments and links stay, for a restore)."""
    batch = uuid.uuid4()
    current = type(item).all_objects.select_for_update().get(pk=item.pk)
    current.mark_trashed(by=by, batch=batch)
    current._history_user = by  # type: ignore[attr-defined]
    current._change_reason = "trash"  # type: ignore[attr-defined]
    current.save(update_fields=["deleted_at", "deleted_by", "trash_batch"])
    item.refresh_from_db(fields=["deleted_at", "deleted_by", "trash_batch"])
    return batch


@transaction.atomic
def item_restore(*, item: RegisterItem, by: Any) -> None:
    """Bring an item back from the trash."""
    current = type(item).all_objects.select_for_update().get(pk=item.pk)
    current.mark_restored()
    current._history_user = by  # type: ignore[attr-defined]
    current._change_reason = "restore"  # type: ignore[attr-defined]
    current.save(update_fields=["deleted_at", "deleted_by", "trash_batch"])
    item.refresh_from_db(fields=["deleted_at", "deleted_by", "trash_batch"])


# Bulk ----------------------------------------------------------------------------------


@transaction.atomic
def items_bulk_update(
    *,
    items: Sequence[M],
    by: Any,
    owner: Any = None,
    status: str | None = None,
    shift_days: int | None = None,
) -> list[M]:
    """Assign, change the status of, or move the due date of many items at once.

    Every item goes through `item_update` (no version check: the user chose them from the
    list they see now), so history, derived fields and validation are the same as one by one.
    """
    updated = []
    for item in items:
        changes: dict[str, Any] = {}
        if owner is not None:
            changes["owner"] = owner
        if status:
            changes["status"] = status
        due_field = type(item).DUE_FIELD
        if shift_days and due_field and getattr(item, due_field):
            changes[due_field] = getattr(item, due_field) + datetime.timedelta(days=shift_days)
        if changes:
            updated.append(item_update(item=item, version=None, by=by, **changes))
    return updated


# Comments and @mentions -----------------------------------------------------------------

MENTION = re.compile(r"(?<![\w@.])@([\w.@+-]{1,150})")


def mentioned_users(body: str, candidates: Any) -> list[User]:
    """The users named as @username in a text, among `candidates` (a queryset of users)."""
    names = {m.rstrip(".") for m in MENTION.findall(body)}
    if not names:
        return []
    return list(candidates.filter(username__in=names, is_active=True))


@transaction.atomic
def comment_add(*, item: RegisterItem, body: str, by: Any, mention_pool: Any) -> Comment:
    """Add a comment to an item; @usernames among `mention_pool` are recorded as mentions."""
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write a comment first.")})
    comment = Comment(
        item_type=ContentType.objects.get_for_model(item),
        item_id=item.pk,
        author=by,
        body=body,
    )
    comment._history_user = by  # type: ignore[attr-defined]
    comment.save()
    comment.mentions.set(mentioned_users(body, mention_pool))
    return comment


# Links ----------------------------------------------------------------------------------


def _key(item: RegisterItem) -> tuple[ContentType, int]:
    return ContentType.objects.get_for_model(item), item.pk


@transaction.atomic
def link_add(*, a: RegisterItem, b: RegisterItem, by: Any) -> Link:
    """Link two items (stored once, shown on both); linking an item to itself is refused."""
    (a_type, a_id), (b_type, b_id) = _key(a), _key(b)
    if (a_type.pk, a_id) == (b_type.pk, b_id):
        raise ValidationError(_("An item cannot be linked to itself."))
    existing = Link.objects.filter(
        from_type=a_type, from_id=a_id, to_type=b_type, to_id=b_id
    ) | Link.objects.filter(from_type=b_type, from_id=b_id, to_type=a_type, to_id=a_id)
    found = existing.first()
    if found:
        return found
    return Link.objects.create(
        from_type=a_type,
        from_id=a_id,
        to_type=b_type,
        to_id=b_id,
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )


def link_remove(*, a: RegisterItem, b: RegisterItem) -> None:
    """Remove the link between two items, whichever way it was stored."""
    (a_type, a_id), (b_type, b_id) = _key(a), _key(b)
    Link.objects.filter(from_type=a_type, from_id=a_id, to_type=b_type, to_id=b_id).delete()
    Link.objects.filter(from_type=b_type, from_id=b_id, to_type=a_type, to_id=a_id).delete()


def linked_items(item: RegisterItem) -> list[RegisterItem]:
    """Every live item linked to `item`, in either direction, loaded per model in bulk."""
    item_type, item_id = _key(item)
    pairs: list[tuple[int, int]] = []
    for row in Link.objects.filter(from_type=item_type, from_id=item_id).values_list(
        "to_type_id", "to_id"
    ):
        pairs.append(row)
    for row in Link.objects.filter(to_type=item_type, to_id=item_id).values_list(
        "from_type_id", "from_id"
    ):
        pairs.append(row)
    by_type: dict[int, list[int]] = {}
    for type_id, pk in pairs:
        by_type.setdefault(type_id, []).append(pk)
    found: list[RegisterItem] = []
    for type_id, pks in by_type.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is None or not issubclass(model, RegisterItem):
            continue
        found += list(
            model.objects.filter(pk__in=pks).select_related("project", "programme", "owner")
        )
    return found


def actions_from(source: RegisterItem) -> models.QuerySet[Action]:
    """Actions whose source is this item."""
    return Action.objects.filter(
        source_type=ContentType.objects.get_for_model(source), source_id=source.pk
    )
