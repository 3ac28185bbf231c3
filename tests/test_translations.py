"""English and Dutch are complete: every message has a Dutch translation that compiles."""

from pathlib import Path

from babel.messages.pofile import read_po

from schakel.lib import i18n

ROOT = Path(__file__).resolve().parent.parent


def test_the_dutch_catalogue_exists():
    assert (ROOT / "locale/nl/LC_MESSAGES/django.po").exists()


def test_every_dutch_message_is_translated_and_not_fuzzy():
    untranslated = {
        str(path.relative_to(ROOT)): i18n.missing(path)
        for path in i18n.catalogues()
        if path.parts[-3] == "nl"
    }
    assert untranslated and all(not ids for ids in untranslated.values()), untranslated


def test_placeholders_survive_translation():
    """A Dutch string keeps every %(name)s and {{ name }} placeholder of its English source."""
    import re

    pattern = re.compile(r"%\(\w+\)[sd]|\{\{\s*\w+\s*\}\}|\{\w*\}")
    problems = []
    with (ROOT / "locale/nl/LC_MESSAGES/django.po").open("rb") as handle:
        catalog = read_po(handle, locale="nl")
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = sorted(pattern.findall(ids[-1]))
        for text in strings:
            if sorted(pattern.findall(text)) != wanted:
                problems.append((ids[0], text))
    assert problems == []


def test_the_dutch_catalogue_is_used_for_pages(client, db):
    from django.utils import translation

    with translation.override("nl"):
        assert translation.gettext("Log in") != "Log in"
