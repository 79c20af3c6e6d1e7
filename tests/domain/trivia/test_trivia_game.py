"""The game state machine: shuffling, one answer each, silence ending a game, scoreboard."""

from __future__ import annotations

import pytest

from bot.domain.trivia.game import (
    Answer,
    TriviaGame,
    Verdict,
    choices_for,
    correct_choice,
    judge_click,
)
from bot.domain.trivia.model import Question


def q(n: int) -> Question:
    """Build a small question."""
    return Question(f"t{n}", f"Prompt {n}?", f"right{n}", (f"w{n}a", f"w{n}b", f"w{n}c"), "charts")


def test_shuffle_is_deterministic_per_seed_and_keeps_all_options() -> None:
    """The same seed shows the same order; the correct button points at the answer."""
    question = q(1)
    first = choices_for(question, 42, 0)
    assert first == choices_for(question, 42, 0)
    assert sorted(first) == sorted(question.options)
    assert first[correct_choice(42, 0)] == "right1"
    orders = {choices_for(question, seed, 0) for seed in range(30)}
    assert len(orders) > 1


def test_click_verdicts() -> None:
    """Ended games, old questions and closed questions refuse; the open one accepts."""
    assert judge_click(running=False, current_index=0, question_open=True, q_index=0) is (
        Verdict.ENDED
    )
    assert judge_click(running=True, current_index=1, question_open=True, q_index=0) is (
        Verdict.CLOSED
    )
    assert judge_click(running=True, current_index=0, question_open=False, q_index=0) is (
        Verdict.CLOSED
    )
    assert judge_click(running=True, current_index=0, question_open=True, q_index=0) is (
        Verdict.ACCEPT
    )


def test_round_counts_one_answer_per_member_and_ranks_fastest_first() -> None:
    """A member's second answer in a round is ignored; results rank by points then speed."""
    game = TriviaGame(1, [q(1), q(2)], 20, seed=7)
    game.open_next()
    result = game.close(
        [
            Answer(10, 0, True, 150, 2.0),
            Answer(20, 1, False, 0, 1.0),
            Answer(10, 1, False, 0, 3.0),
        ]
    )
    assert [a.member_id for a in result.answers] == [10, 20]
    assert game.totals == {10: 150, 20: 0}
    assert game.scoreboard() == [(10, 150), (20, 0)]
    assert not game.finished


def test_three_silent_questions_end_the_game() -> None:
    """A game nobody answers for three questions in a row ends itself."""
    game = TriviaGame(1, [q(i) for i in range(10)], 20, seed=1)
    for _ in range(3):
        game.open_next()
        game.close([])
    assert game.finished
    assert game.end_reason == "silent"


def test_an_answer_resets_the_silence_counter() -> None:
    """Silence must be consecutive: one answered question starts the count again."""
    game = TriviaGame(1, [q(i) for i in range(10)], 20, seed=1)
    for answers in ([], [], [Answer(1, 0, False, 0, 1.0)], [], []):
        game.open_next()
        game.close(answers)
    assert not game.finished


def test_last_question_finishes_and_no_question_opens_after() -> None:
    """After the last reveal the game is finished and cannot open another question."""
    game = TriviaGame(1, [q(1)], 20, seed=1)
    game.open_next()
    game.close([Answer(1, 0, True, 100, 5.0)])
    assert game.finished
    assert game.end_reason == "finished"
    with pytest.raises(RuntimeError):
        game.open_next()


def test_streaks_track_best_run() -> None:
    """Best streak remembers the longest run of right answers within the game."""
    game = TriviaGame(1, [q(i) for i in range(4)], 20, seed=1)
    for correct in (True, True, False, True):
        game.open_next()
        game.close([Answer(5, 0, correct, 100 if correct else 0, 1.0)])
    assert game.best_streaks[5] == 2
    assert game.streaks[5] == 1
