"""`items_create_bulk`: many new items at once, recorded as if each was made by hand."""

import datetime

import pytest

from schakel.portfolio import services as portfolio_services
from schakel.portfolio.services import tags_from_names
from schakel.registers import services
from schakel.registers.models import Action, Risk

pytestmark = pytest.mark.django_db

# What differs between two items made one after the other: their identity and clock; an
# item made by hand records its tags in a second entry ("~") of their own.
OWN = {
    "id",
    "number",
    "created_at",
    "updated_at",
    "history_id",
    "history_date",
    "history_type",
    "history_change_reason",
}


def _values(entry):
    """A history entry as plain values, with the tags recorded on it."""
    values = {
        f.attname: getattr(entry, f.attname)
        for f in entry._meta.concrete_fields
        if f.attname not in OWN
    }
    return values, sorted(link.tag.name for link in entry.tags.all())


def test_the_history_of_a_bulk_created_item_is_that_of_one_made_by_hand(org, member):
    tags = tags_from_names(["IT", "Supplier"])
    fields = {
        "title": "Supplier fails",
        "description": "If the supplier fails, we slip.",
        "owner": member,
        "probability": 3,
        "impact": 4,
        "review_date": datetime.date(2026, 3, 1),
    }
    by_hand = services.item_create(model=Risk, scope=org.project, by=member, tags=tags, **fields)

    [bulk] = services.items_create_bulk(
        model=Risk,
        scope=org.project,
        by=member,
        rows=[services.BulkRow(dict(fields), tags=tags)],
    )

    bulk.refresh_from_db()
    assert (bulk.number, bulk.score, bulk.trend) == (2, 12, Risk.Trend.STABLE)
    [entry] = bulk.history.all()
    for field in Risk.history.model.tracked_fields:  # every value as the item holds it
        assert getattr(entry, field.attname) == getattr(bulk, field.attname), field.name
    assert (entry.history_type, entry.history_user, entry.history_change_reason) == (
        "+",
        member,
        "",
    )
    assert _values(entry) == _values(by_hand.history.latest("history_id"))
    assert entry.history_date >= by_hand.history.latest("history_id").history_date


def test_each_item_of_a_batch_gets_its_own_entry_with_its_own_tags(org, member):
    it, money = tags_from_names(["IT", "Money"])
    rows = [
        services.BulkRow({"title": "First"}, tags=[it]),
        services.BulkRow({"title": "Second"}),
        services.BulkRow({"title": "Third", "status": Action.Status.DONE}, tags=[it, money]),
    ]

    items = services.items_create_bulk(model=Action, scope=org.project, by=member, rows=rows)

    assert [item.ref for item in items] == ["ODI-A1", "ODI-A2", "ODI-A3"]
    for item, tags in zip(items, [["IT"], [], ["IT", "Money"]], strict=True):
        [entry] = item.history.all()
        values, recorded = _values(entry)
        assert (entry.history_type, values["title"], recorded) == ("+", item.title, tags)
        assert sorted(t.name for t in item.tags.all()) == tags
    assert items[2].completed_on is not None
    assert items[2].history.get().completed_on == items[2].completed_on


def test_an_earlier_item_with_the_same_number_keeps_its_own_history(org, member):
    """The history is copied from the rows of this batch only, even where an item that
    once had the same number left history behind."""
    [tag] = tags_from_names(["IT"])
    old = services.item_create(model=Action, scope=org.project, by=member, title="Old", tags=[tag])
    old_entries = list(old.history.order_by("history_id"))
    Action.all_objects.filter(pk=old.pk).delete()  # gone for good: number 1 is free again

    [new] = services.items_create_bulk(
        model=Action,
        scope=org.project,
        by=member,
        rows=[services.BulkRow({"title": "New"}, tags=[tag])],
    )

    assert new.number == 1
    assert [e.title for e in new.history.all()] == ["New"]
    assert [link.tag.name for link in new.history.get().tags.all()] == ["IT"]
    # The old item's entries are untouched and got no tags of the new one.
    assert [(e.title, [t.tag.name for t in e.tags.all()]) for e in old_entries] == [
        ("Old", []),
        ("Old", ["IT"]),
    ]
    entries = Action.history.filter(number=1).order_by("history_id")
    assert [(e.title, e.history_type) for e in entries] == [
        ("Old", "+"),
        ("Old", "~"),
        ("Old", "-"),
        ("New", "+"),
    ]


def test_programme_items_are_created_in_bulk_with_their_history(org, pmo):
    portfolio_services.programme_update(programme=org.programme, version=1, by=pmo, key="VOD")
    org.programme.refresh_from_db()

    items = services.items_create_bulk(
        model=Action,
        scope=org.programme,
        by=pmo,
        rows=[services.BulkRow({"title": "One"}), services.BulkRow({"title": "Two"})],
    )

    assert [item.ref for item in items] == ["VOD-A1", "VOD-A2"]
    assert [item.history.get().programme_id for item in items] == [org.programme.pk] * 2


def test_a_row_may_bring_the_instance_its_caller_built_and_checked(org, member):
    built = Action(title="Built", owner=member)

    [item] = services.items_create_bulk(
        model=Action,
        scope=org.project,
        by=member,
        rows=[services.BulkRow({"title": "Built", "owner": member}, item=built)],
    )

    assert item is built
    assert (item.pk, item.ref, item.created_by) == (Action.objects.get().pk, "ODI-A1", member)


@pytest.mark.parametrize("wrong", ["saved", "other model"])
def test_a_saved_instance_or_one_of_another_register_is_refused(org, member, wrong):
    item: Action | Risk = (
        services.item_create(model=Action, scope=org.project, by=member, title="Old")
        if wrong == "saved"
        else Risk(title="Old")
    )

    with pytest.raises(ValueError):
        services.items_create_bulk(
            model=Action,
            scope=org.project,
            by=member,
            rows=[services.BulkRow({"title": "Old"}, item=item)],
        )
