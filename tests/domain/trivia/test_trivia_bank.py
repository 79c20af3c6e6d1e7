"""The shipped question bank: every question true to its source, well-formed and fair."""

from __future__ import annotations

import json
import re

import pytest

from bot.domain.trivia.bank import BANK_PATH, build_bank, load_bank
from bot.domain.trivia.model import ANSWER_MAX, CATEGORIES, PROMPT_MAX, PackInvalid
from bot.domain.trivia.validate import fold

BANK = load_bank()
RAW = json.loads(BANK_PATH.read_text(encoding="utf-8"))["questions"]


def test_bank_loads_all_97_facts() -> None:
    """The bank ships one question per shared fact and validates as a whole."""
    assert len(BANK.questions) == 97


def test_ids_are_unique() -> None:
    """No two questions share an id (the no-repeat rule keys on it)."""
    ids = [q.id for q in BANK.questions]
    assert len(ids) == len(set(ids))


def test_correct_answer_is_never_a_distractor() -> None:
    """The answer, and its accepted alternatives, never appear among the wrong options."""
    for q in BANK.questions:
        wrong = {fold(d) for d in q.distractors}
        assert fold(q.answer) not in wrong, q.id
        assert not wrong & {fold(a) for a in q.accepted}, q.id
        assert len(wrong) == 3, q.id


def test_every_question_has_a_source() -> None:
    """Each question carries an http(s) source link, a quote from it and a year."""
    for q in BANK.questions:
        assert q.source_url, q.id
        assert re.match(r"^https?://", q.source_url), q.id
        assert q.source_quote, q.id
        assert q.year is not None, q.id
        assert 1990 <= q.year <= 2025, q.id


def test_categories_are_known() -> None:
    """Every category is one of the fixed set the commands offer."""
    for q in BANK.questions:
        assert q.category in CATEGORIES, q.id
        assert q.category != "custom", q.id


def test_no_two_questions_share_a_prompt() -> None:
    """Prompts are unique (case- and space-insensitively)."""
    prompts = [fold(q.prompt) for q in BANK.questions]
    assert len(prompts) == len(set(prompts))


def test_prompts_name_their_year() -> None:
    """Each prompt pins a year, because a 2024 first may since have been overtaken."""
    for q in BANK.questions:
        years = {int(y) for y in re.findall(r"\b(19\d\d|20\d\d)\b", q.prompt)}
        assert q.year in years or (years and max(years) <= q.year), q.id


def test_labels_fit_discord_limits() -> None:
    """Prompts fit the bound and every option fits an 80-character button label."""
    for q in BANK.questions:
        assert len(q.prompt) <= PROMPT_MAX, q.id
        assert all(len(o) <= ANSWER_MAX for o in q.options), q.id


def test_records_are_not_worded_as_firsts() -> None:
    """Facts that are records, not firsts, never claim the act was 'the first' to do it."""
    for q in BANK.questions:
        if q.record:
            assert not re.search(r"\bbecame the first\b", q.prompt), q.id


def test_qualifiers_from_the_source_are_kept() -> None:
    """Spot checks: a qualifier that makes the fact true survives into the prompt."""
    by_id = BANK.by_id
    assert "girl group" in by_id["kf-004"].prompt  # TWICE: first K-pop *girl group* Space
    assert "debut song" in by_id["kf-090"].prompt  # ILLIT: Hot 100 with a *debut song*
    assert "solo artist" in by_id["kf-040"].prompt  # Jimin: first South Korean *solo artist*
    assert "boy group" in by_id["kf-059"].prompt  # ATEEZ: first K-pop *boy group* at Coachella


def test_a_broken_bank_entry_is_refused_by_name() -> None:
    """The bank loader names the faulty question and field instead of loading it."""
    broken = dict(RAW[2])
    broken["distractors"] = [broken["answer"], "X", "Y"]
    with pytest.raises(PackInvalid) as info:
        build_bank([RAW[0], RAW[1], broken])
    assert "question 3" in info.value.message
    assert "'distractors'" in info.value.message


def test_a_bank_entry_without_a_source_is_refused() -> None:
    """A shipped question with no source link cannot load."""
    broken = {k: v for k, v in RAW[0].items() if k != "source_url"}
    with pytest.raises(PackInvalid, match="source_url"):
        build_bank([broken])
