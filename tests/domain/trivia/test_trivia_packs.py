"""Server pack validation: good packs load, faults are named by question and field, and hostile
input never raises anything but PackInvalid."""

from __future__ import annotations

import json

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.trivia.formats import parse_pack
from bot.domain.trivia.model import PACK_BYTES_MAX, PACK_QUESTIONS_MAX, PackInvalid

GOOD = """
name: Our fandom
questions:
  - prompt: "Which year did our server open?"
    answer: "2021"
    distractors: ["2019", "2020", "2022"]
  - prompt: "Who was our first moderator?"
    answer: Mina
    accepted: [mina-chan]
    distractors: [Jisoo, Yuna, Sana]
    year: 2021
    source_url: https://example.org/history
"""


def errors_of(data: bytes | str, filename: str = "pack.yaml") -> list[str]:
    """Return the validation errors of a pack that must fail."""
    raw = data.encode() if isinstance(data, str) else data
    with pytest.raises(PackInvalid) as info:
        parse_pack(raw, filename)
    return info.value.errors


def test_good_yaml_pack_loads_with_custom_category() -> None:
    """A valid YAML pack yields its questions, ids from the prefix, category 'custom'."""
    questions = parse_pack(GOOD.encode(), "fandom.yaml", id_prefix="p9").questions
    assert [q.id for q in questions] == ["p9-1", "p9-2"]
    assert questions[0].answer == "2021"
    assert questions[1].accepted == ("mina-chan",)
    assert {q.category for q in questions} == {"custom"}


def test_json_pack_loads_as_a_bare_list() -> None:
    """A JSON file holding a list of questions is accepted too."""
    doc = [{"prompt": "P?", "answer": "A", "distractors": ["B", "C", "D"]}]
    assert len(parse_pack(json.dumps(doc).encode(), "p.json").questions) == 1


def test_wrong_distractor_count_names_question_and_field() -> None:
    """Two distractors instead of three: the message names question 2, its prompt and field."""
    doc = yaml.safe_load(GOOD)
    doc["questions"][1]["distractors"] = ["Jisoo", "Yuna"]
    errs = errors_of(yaml.safe_dump(doc))
    assert errs == [
        "question 2 (\"Who was our first moderator?\"): field 'distractors' needs exactly 3 answers"
    ]


def test_answer_among_distractors_is_refused() -> None:
    """The correct answer repeated as a distractor (any case) is refused."""
    doc = [{"prompt": "P?", "answer": "Mina", "distractors": ["MINA", "B", "C"]}]
    errs = errors_of(json.dumps(doc), "p.json")
    assert "must not contain the correct answer" in errs[0]


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        ({"prompt": "x" * 301}, "field 'prompt' is longer than 300"),
        ({"answer": "y" * 81}, "field 'answer' is longer than 80"),
        ({"answer": None}, "field 'answer' is missing"),
        ({"category": "gossip"}, "field 'category' must be one of"),
        ({"year": True}, "field 'year' must be a whole year"),
        ({"source_url": "javascript:alert(1)"}, "field 'source_url' must be an http(s) link"),
        ({"distractor": ["a"]}, "unknown field(s) 'distractor'"),
        ({"distractors": "B, C, D"}, "field 'distractors' must be a list"),
    ],
)
def test_field_errors_are_specific(change: dict[str, object], needle: str) -> None:
    """Each kind of bad field produces a message naming that field."""
    q = {"prompt": "P?", "answer": "A", "distractors": ["B", "C", "D"], **change}
    q = {k: v for k, v in q.items() if v is not None}
    errs = errors_of(json.dumps([q]), "p.json")
    assert any(needle in e for e in errs), errs
    assert all(e.startswith("question 1") for e in errs)


def test_duplicate_prompts_in_a_pack_are_refused() -> None:
    """Two questions with the same prompt cannot share a pack."""
    q = {"prompt": "Same?", "answer": "A", "distractors": ["B", "C", "D"]}
    errs = errors_of(json.dumps([q, q]), "p.json")
    assert "same prompt as question 1" in errs[0]


def test_pack_bounds() -> None:
    """Too many questions, too big a file, or a wrong extension are refused up front."""
    q = {"prompt": "P?", "answer": "A", "distractors": ["B", "C", "D"]}
    many = [dict(q, prompt=f"P{i}?") for i in range(PACK_QUESTIONS_MAX + 1)]
    assert "at most 200" in errors_of(json.dumps(many), "p.json")[0]
    assert "larger than 256 KB" in errors_of(b"#" * (PACK_BYTES_MAX + 1))[0]
    assert ".yaml, .yml or .json" in errors_of(b"[]", "pack.txt")[0]
    assert "no questions" in errors_of(b"questions: []")[0]


def test_unreadable_files_are_refused_politely() -> None:
    """Broken YAML, broken JSON, binary junk and YAML tags all become PackInvalid."""
    assert "not valid YAML" in errors_of("questions: [unclosed")[0]
    assert "not valid JSON" in errors_of("{", "p.json")[0]
    assert "not UTF-8" in errors_of(b"\xff\xfe\xfa")[0]
    assert "aren't allowed" in errors_of("!!python/object/apply:os.system ['echo hi']")[0]


def test_alias_bomb_is_refused_quickly() -> None:
    """A billion-laughs style YAML is refused without expanding it."""
    bomb = "a: &a [x,x,x,x,x,x,x,x,x]\n"
    for n in range(1, 9):
        prev = chr(ord("a") + n - 1)
        cur = chr(ord("a") + n)
        bomb += f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]\n"
    bomb += "questions: *i\n"
    errs = errors_of(bomb)
    assert errs


YAML_ATOMS = st.sampled_from(
    [
        "questions:",
        "- ",
        "  ",
        "prompt: ",
        "answer: ",
        "distractors: ",
        "[",
        "]",
        "{",
        "}",
        "&a ",
        "*a",
        "!!binary ",
        "!!timestamp ",
        "2020-13-45",
        "!!float ",
        "1e999",
        "~",
        "yes",
        ": ",
        ",",
        '"',
        "'",
        "\n",
        "\t",
        "---",
        "...",
        "%YAML 1.1\n",
        "!!set ",
        "? ",
        "<<: *a",
        "\x00",
        "ü",
        "!!python/name:os.system",
    ]
)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(YAML_ATOMS | st.text(max_size=8), max_size=40), st.sampled_from(["p.yaml", "p.json"])
)
def test_hostile_input_only_ever_raises_pack_invalid(parts: list[str], filename: str) -> None:
    """Whatever bytes arrive, parsing returns questions or raises PackInvalid, nothing else."""
    errors: list[str] = []
    try:
        parse_pack("".join(parts).encode("utf-8", "surrogatepass"), filename)
    except PackInvalid as exc:
        errors = exc.errors or ["<empty>"]
    assert all(isinstance(e, str) and 0 < len(e) < 400 for e in errors)


@settings(max_examples=200, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
        lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=12), c, max_size=5),
        max_leaves=30,
    )
)
def test_any_json_shape_only_ever_raises_pack_invalid(doc: object) -> None:
    """Any JSON value, however shaped, validates or raises PackInvalid."""
    errors = ["ok"]
    try:
        parse_pack(json.dumps(doc).encode(), "p.json")
    except PackInvalid as exc:
        errors = exc.errors
    assert errors
