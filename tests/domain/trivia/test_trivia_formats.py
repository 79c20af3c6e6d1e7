"""Importing foreign formats (a Red trivia list, a sir-lancebot quiz, both written here in their
formats with our own questions) and Lightstick's own: what is imported, skipped and ignored."""

from __future__ import annotations

import json

import pytest

from bot.domain.trivia.formats import LANCEBOT, LIGHTSTICK, RED, parse_pack
from bot.domain.trivia.model import PackInvalid

RED_LIST = """\
AUTHOR: Lightstick tests
DESCRIPTION: Fourth-generation girl groups.
CONFIG:
  bot_plays: false
  delay: 25
  max_score: 10
Which group debuted with "ELEVEN" in 2021?:
- IVE
- 아이브
Which group's fandom is called MY?:
- aespa
- 에스파
In which year did NewJeans debut?:
- 2022
A question with no answers:
- ""
""".encode()

LANCEBOT_QUIZ = json.dumps(
    {
        "debuts": [
            {
                "id": 1,
                "hints": ["It has four members.", "Its name is a colour."],
                "question": "Which group sang 'Ddu-Du Ddu-Du'?",
                "answer": ["BLACKPINK", "블랙핑크"],
                "info": "Released in June 2018 on the mini album Square Up.",
            },
            {"id": 2, "question": "How many members does SEVENTEEN have?", "answer": 13},
        ],
        "generated": [
            {"id": 50, "dynamic_id": 1, "question": "What is {} + {}?", "answer": "{}"},
            {
                "id": 51,
                "question": "Who is this?",
                "img_url": "https://example.org/a.png",
                "answer": "x",
            },
        ],
    }
).encode()


def test_red_list_imports_as_typed_questions() -> None:
    """Each Red entry becomes a typed question: first answer revealed, all accepted; the empty
    entry is skipped by name; AUTHOR, DESCRIPTION and CONFIG are reported, not silently dropped."""
    result = parse_pack(RED_LIST, "gen4.yaml")
    assert result.format == RED
    assert [q.prompt for q in result.questions] == [
        'Which group debuted with "ELEVEN" in 2021?',
        "Which group's fandom is called MY?",
        "In which year did NewJeans debut?",
    ]
    ive = result.questions[0]
    assert (ive.answer, ive.accepted, ive.kind) == ("IVE", ("아이브",), "typed")
    assert result.questions[2].answer == "2022", "a bare number stays the text typed"
    assert result.counts() == {"typed": 3}
    assert result.skipped == (
        "question 4 (\"A question with no answers\"): field 'answer' is empty",
    )
    assert result.ignored[0] == "AUTHOR (Lightstick tests) is not stored"
    assert result.ignored[1].startswith("DESCRIPTION (Fourth-generation")
    assert "CONFIG (bot_plays, delay, max_score)" in result.ignored[2]


def test_lancebot_quiz_imports_and_skips_what_cannot_be_played() -> None:
    """sir-lancebot answers (one or a list) are accepted, `info` becomes the reveal quote, all
    categories go to one pack; generated and image questions are skipped with the reason."""
    result = parse_pack(LANCEBOT_QUIZ, "quiz.json")
    assert result.format == LANCEBOT
    bp, svt = result.questions
    assert (bp.answer, bp.accepted) == ("BLACKPINK", ("블랙핑크",))
    assert bp.source_quote == "Released in June 2018 on the mini album Square Up."
    assert svt.answer == "13", "a JSON number is read as its text"
    assert len(result.skipped) == 2
    assert "generates this question in code" in result.skipped[0]
    assert "needs its image" in result.skipped[1]
    assert any("debuts, generated" in i for i in result.ignored)
    assert any("hints" in i for i in result.ignored)


def test_own_format_mixes_choice_and_typed() -> None:
    """A Lightstick pack question without distractors is a typed question."""
    pack = """
name: Mixed
questions:
  - prompt: Which year?
    answer: 2016
    distractors: [2015, 2017, 2018]
  - prompt: Which group?
    answer: TWICE
    accepted: [트와이스]
""".encode()
    result = parse_pack(pack, "mixed.yml")
    assert result.format == LIGHTSTICK
    assert result.counts() == {"choice": 1, "typed": 1}


def test_unknown_question_field_names_question_field_and_accepted_fields() -> None:
    """A misspelt field names the question, the field and every field a question may have."""
    pack = b"- prompt: Which group?\n  answr: TWICE\n"
    with pytest.raises(PackInvalid) as info:
        parse_pack(pack, "p.yaml")
    first = info.value.errors[0]
    assert first.startswith("question 1 (\"Which group?\"): unknown field(s) 'answr'")
    assert "a question may have: prompt, answer, accepted, distractors, category, year" in first


def test_unknown_shape_lists_the_accepted_formats() -> None:
    """A file of no known shape is refused with the three accepted formats described."""
    with pytest.raises(PackInvalid) as info:
        parse_pack(b"title: Quiz\nitems: 3\n", "p.yaml")
    text = info.value.errors[0]
    assert "can't tell what format" in text
    assert "Red trivia list" in text
    assert "sir-lancebot quiz" in text
    assert "name, description, questions" in text


def test_extra_top_level_field_beside_questions_is_named() -> None:
    """A Lightstick pack with an unknown top-level field says which fields it may have."""
    with pytest.raises(PackInvalid) as info:
        parse_pack(b"questions: []\nAUTHOR: me\n", "p.yaml")
    assert info.value.errors == [
        "unknown top-level field(s): 'AUTHOR'; a Lightstick pack has: name, description, questions"
    ]


def test_foreign_file_with_nothing_usable_is_refused_with_reasons() -> None:
    """A Red list whose every entry is unusable is refused, listing why each was skipped."""
    with pytest.raises(PackInvalid) as info:
        parse_pack(b"Only question?: []\n", "p.yaml")
    assert info.value.errors[0] == "no question in this file could be imported"
    assert "has no answers" in info.value.errors[1]
