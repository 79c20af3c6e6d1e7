"""Pack files are read as the text the moderator typed, and YAML's expanding features are refused
before they expand."""

from __future__ import annotations

import json
import time
import tracemalloc

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.trivia.formats import parse_pack
from bot.domain.trivia.formats.loader import load_yaml_text, read_document
from bot.domain.trivia.model import PackInvalid


def merge_key_bomb(levels: int) -> bytes:
    """Return a pack whose every line merges the previous mapping twice (cost doubles per line)."""
    lines = ["l0: &l0 {k: v}"]
    lines += [f"l{i}: &l{i} {{<<: [*l{i - 1}, *l{i - 1}], k{i}: v}}" for i in range(1, levels)]
    lines.append(f"questions: *l{levels - 1}")
    return ("\n".join(lines) + "\n").encode()


@pytest.mark.parametrize(
    "typed",
    ["11:11", "0606", "1.10", "Off", "Yes", "~", "2016-08-08", "1e3", "0x1F", "123456789" * 5],
)
def test_scalars_stay_the_text_typed(typed: str) -> None:
    """Unquoted 11:11, 0606, 1.10, Off, ~, dates and long digit strings are kept exactly."""
    pack = f"questions:\n- prompt: Which title?\n  answer: {typed}\n  accepted: [{typed}]\n"
    [q] = parse_pack(pack.encode(), "p.yaml").questions
    assert q.answer == typed
    assert q.accepted == (typed,)
    assert q.kind == "typed"


def test_unquoted_year_and_choices_are_read_from_text() -> None:
    """A bare year and bare numeric distractors load (year as a number, options as text)."""
    pack = (
        b"- prompt: Which year?\n  answer: 2016\n  distractors: [2015, 2017, 0606]\n  year: 2016\n"
    )
    [q] = parse_pack(pack, "p.yaml").questions
    assert q.year == 2016
    assert q.options == ("2016", "2015", "2017", "0606")


def test_json_numbers_keep_their_source_text() -> None:
    """In JSON, 1.10 stays '1.10' and a 40-digit integer stays its digits."""
    doc = read_document(b'{"a": 1.10, "b": 1234567890123456789012345678901234567890}', "p.json")
    assert doc == {"a": "1.10", "b": "1234567890123456789012345678901234567890"}
    assert json.loads("[1.10]") == [1.1], "the plain decoder would have changed it"


def test_merge_key_bomb_is_refused_fast_with_flat_memory() -> None:
    """A ~700-byte pack of nested merge keys (seconds and growing memory for a YAML 1.1 loader)
    is refused in well under a second with a small memory peak."""
    bomb = merge_key_bomb(20)
    assert 650 <= len(bomb) <= 750
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(PackInvalid) as info:
            parse_pack(bomb, "bomb.yaml")
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "anchors (&name) aren't allowed (line 1)" in info.value.errors[0]
    assert elapsed < 0.2
    assert peak < 1_000_000


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("questions: &q []\n", "anchors (&name) aren't allowed (line 1)"),
        ("a: 1\nquestions: [*a]\n", "aliases (*name) and merge keys (<<) aren't allowed (line 2)"),
        ("questions: !!binary aGk=\n", "tags like tag:yaml.org,2002:binary aren't allowed"),
        ("q: " + "[" * 20 + "]" * 20 + "\n", "nested too deeply"),
    ],
)
def test_expanding_yaml_features_are_refused_by_name(text: str, needle: str) -> None:
    """Anchors, aliases, tags and deep nesting are each refused with a message saying which."""
    with pytest.raises(PackInvalid) as info:
        parse_pack(text.encode(), "p.yaml")
    assert needle in info.value.errors[0]


def test_quoted_and_explicit_str_scalars_are_fine() -> None:
    """Quotes and the explicit !!str tag are plain text and allowed."""
    pack = b"- prompt: 'Which?'\n  answer: !!str 11:11\n"
    [q] = parse_pack(pack, "p.yaml").questions
    assert q.answer == "11:11"


DATA = st.recursive(
    st.text(max_size=12),
    lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=8), c, max_size=4),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(DATA, st.booleans())
def test_event_builder_reads_what_base_loader_reads(doc: object, flow: bool) -> None:
    """The one-pass builder gives exactly PyYAML BaseLoader's result for any anchor-free file."""
    text = yaml.safe_dump(doc, allow_unicode=True, default_flow_style=flow)
    assert load_yaml_text(text) == yaml.load(text, Loader=yaml.BaseLoader)  # noqa: S506


def test_repeated_keys_and_extra_documents_are_refused() -> None:
    """A question written twice, or a second YAML document, is named instead of silently lost."""
    with pytest.raises(PackInvalid) as info:
        parse_pack(b"Q?: [a]\nQ?: [b]\n", "p.yaml")
    assert info.value.errors == ["the key 'Q?' appears twice (line 2)"]
    with pytest.raises(PackInvalid) as info:
        parse_pack(b"- a\n---\n- b\n", "p.yaml")
    assert "one document" in info.value.errors[0]
