"""The minutes markup parser: a small Markdown subset into plain blocks, never raising."""

from __future__ import annotations

import time

from hypothesis import given, settings
from hypothesis import strategies as st

from schakel.core.exports._text import XML_ILLEGAL, is_safe_url
from schakel.core.exports.markup import Block, Run, parse, plain_text


def texts(block: Block) -> list[str]:
    """A paragraph's or heading's lines as plain strings."""
    return [plain_text(line) for line in block.lines]


def item_texts(block: Block) -> list[list[str]]:
    return [[plain_text(line) for line in item] for item in block.items]


def only_runs(text: str) -> list[Run]:
    [block] = parse(text)
    [line] = block.lines
    return list(line)


# --------------------------------------------------------------------------- blocks


def test_it_splits_paragraphs_on_blank_lines_and_keeps_single_newlines_as_line_breaks() -> None:
    blocks = parse("First line\nsecond line\n\n\nNext paragraph")

    assert [block.kind for block in blocks] == ["paragraph", "paragraph"]
    assert texts(blocks[0]) == ["First line", "second line"]
    assert texts(blocks[1]) == ["Next paragraph"]


def test_it_treats_crlf_and_lone_cr_as_newlines() -> None:
    [block] = parse("one\r\ntwo\rthree")

    assert texts(block) == ["one", "two", "three"]


def test_it_reads_bullet_lists_written_with_dashes_or_stars() -> None:
    [dashes] = parse("- apples\n- pears")
    [stars] = parse("* apples\n* pears")

    assert dashes.kind == stars.kind == "bullet_list"
    assert item_texts(dashes) == item_texts(stars) == [["apples"], ["pears"]]


def test_it_reads_numbered_lists_and_remembers_the_first_number() -> None:
    [block] = parse("3. third\n4) fourth")

    assert block.kind == "numbered_list"
    assert block.start == 3
    assert item_texts(block) == [["third"], ["fourth"]]


def test_a_list_may_follow_a_paragraph_line_without_a_blank_line() -> None:
    blocks = parse("We agreed:\n- to start\n- to report\nThanks all")

    assert [block.kind for block in blocks] == ["paragraph", "bullet_list", "paragraph"]
    assert item_texts(blocks[1]) == [["to start"], ["to report"]]
    assert texts(blocks[2]) == ["Thanks all"]


def test_an_indented_line_continues_the_list_item_above_it() -> None:
    [block] = parse("- first\n  more about first\n- second")

    assert item_texts(block) == [["first", "more about first"], ["second"]]


def test_switching_between_bullets_and_numbers_starts_a_new_list() -> None:
    blocks = parse("- a\n1. b")

    assert [block.kind for block in blocks] == ["bullet_list", "numbered_list"]


def test_it_reads_headings_of_two_levels_and_counts_deeper_ones_as_level_two() -> None:
    blocks = parse("# Background\n## Details ##\n### Deeper")

    assert [(block.kind, block.level) for block in blocks] == [
        ("heading", 1),
        ("heading", 2),
        ("heading", 2),
    ]
    assert [texts(block) for block in blocks] == [["Background"], ["Details"], ["Deeper"]]


def test_hashes_without_a_space_and_bold_at_line_start_stay_paragraph_text() -> None:
    blocks = parse("#hashtag\n**bold** start")

    assert [block.kind for block in blocks] == ["paragraph"]
    assert texts(blocks[0]) == ["#hashtag", "bold start"]


def test_empty_and_blank_input_gives_no_blocks() -> None:
    assert parse("") == []
    assert parse(" \n\t\n") == []


# --------------------------------------------------------------------------- inline


def test_it_marks_bold_italic_and_code_runs() -> None:
    runs = only_runs("a **b** *c* _d_ `e *f*` ***g***")

    assert [
        (run.text.strip(), run.bold, run.italic, run.code) for run in runs if run.text.strip()
    ] == [
        ("a", False, False, False),
        ("b", True, False, False),
        ("c", False, True, False),
        ("d", False, True, False),
        ("e *f*", False, False, True),
        ("g", True, True, False),
    ]


def test_italic_inside_bold_keeps_both() -> None:
    runs = only_runs("**bold *both* bold**")

    assert [(run.text, run.bold, run.italic) for run in runs] == [
        ("bold ", True, False),
        ("both", True, True),
        (" bold", True, False),
    ]


def test_underscores_and_stars_inside_words_stay_text() -> None:
    runs = only_runs("see snake_case_name and 2*3*4")

    assert runs == [Run("see snake_case_name and 2*3*4")]


def test_unclosed_or_spaced_delimiters_stay_text() -> None:
    runs = only_runs("a ** b and *c and `d and _e")

    assert runs == [Run("a ** b and *c and `d and _e")]


def test_a_backslash_writes_a_literal_star() -> None:
    assert only_runs(r"\*not italic\*") == [Run("*not italic*")]


def test_http_https_and_mailto_links_become_links_with_formatted_text() -> None:
    runs = only_runs(
        "[site](https://example.org/a_b) [**mail**](mailto:pmo@example.org) [p](http://x.nl)"
    )

    links = [(run.text, run.url, run.bold) for run in runs if run.url]
    assert links == [
        ("site", "https://example.org/a_b", False),
        ("mail", "mailto:pmo@example.org", True),
        ("p", "http://x.nl", False),
    ]


def test_links_with_other_schemes_stay_literal_text() -> None:
    for source in (
        "[click](javascript:alert(1))",
        "[click](javascript:alert)",
        "[click](data:text/html,hi)",
        "[click](file:///etc/passwd)",
        "[click](/relative/path)",
        "[click](https://)",
    ):
        runs = only_runs(source)
        assert all(not run.url for run in runs), source
        assert "".join(run.text for run in runs) == source


def test_an_image_reference_is_at_most_a_link_never_an_image() -> None:
    runs = only_runs("![x](http://127.0.0.1/secret)")

    assert runs == [Run("!"), Run("x", url="http://127.0.0.1/secret")]


def test_html_is_just_text() -> None:
    assert only_runs("<b>hi</b> <img src=x onerror=alert(1)>") == [
        Run("<b>hi</b> <img src=x onerror=alert(1)>")
    ]


def test_it_strips_characters_xml_cannot_hold() -> None:
    runs = only_runs("a\x00b\x0bc\ud800d\ufffee\tf")

    assert runs == [Run("abcde\tf")]


# --------------------------------------------------------------------------- fuzzing

MARKUP_ALPHABET = st.sampled_from(
    [*"*_`[]()#-+.!\\ \n\t\r1aZ:/", "http://", "https://", "mailto:", "**", "\x00", "\ud800"]
)


def check_well_formed(blocks: list[Block]) -> None:
    for block in blocks:
        assert block.kind in ("paragraph", "heading", "bullet_list", "numbered_list")
        lines = [*block.lines, *(line for item in block.items for line in item)]
        for line in lines:
            for run in line:
                assert run.text
                assert not XML_ILLEGAL.search(run.text)
                assert not run.url or is_safe_url(run.url)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_it_never_raises_on_any_unicode_text(text: str) -> None:
    check_well_formed(parse(text))


@settings(max_examples=300, deadline=None)
@given(st.lists(MARKUP_ALPHABET, max_size=60).map("".join))
def test_it_never_raises_on_text_dense_with_markup_characters(text: str) -> None:
    check_well_formed(parse(text))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(alphabet="abcdefghij ", min_size=1), min_size=1, max_size=5))
def test_plain_words_come_back_unchanged_line_by_line(lines: list[str]) -> None:
    lines = [" ".join(line.split()) for line in lines]
    lines = [line for line in lines if line]
    blocks = parse("\n".join(lines))

    assert [text for block in blocks for text in texts(block)] == lines


def test_pathological_input_is_parsed_in_reasonable_time() -> None:
    text = "\n".join(["** *a _b `c [d](e " * 400, "*" * 20_000, "[" * 20_000, "- \n" * 5_000])

    started = time.perf_counter()
    parse(text)

    assert time.perf_counter() - started < 5
