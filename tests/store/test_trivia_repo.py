"""TriviaRepo against a real SQLite: one game per channel, one answer per member per question,
points applied once, games ended cleanly, seen cycles, leaderboards, packs and settings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.trivia.game import Answer
from bot.domain.trivia.model import PACKS_PER_GUILD_MAX, Question
from bot.domain.trivia.selection import Pick
from bot.errors import Conflict, NotFound
from bot.store import Store
from bot.store.trivia import TriviaRepo, list_daily_guilds, list_running_games
from bot.store.trivia_packs import TriviaPackRepo

G1, G2 = 111, 222
NOW = datetime(2025, 5, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
async def store(store: Store) -> Store:
    """The shared migrated store, with the servers these tests use."""
    await store.ensure_guild(G1)
    await store.ensure_guild(G2)
    return store


def pick(*ids: str) -> Pick:
    """A plain pick of the given ids."""
    return Pick(ids, False, ids)


async def new_game(repo: TriviaRepo, channel: int = 5, ids: tuple[str, ...] = ("a", "b")) -> int:
    """Start a running game in `channel`."""
    return await repo.start_game(
        channel_id=channel, starter_id=1, pick=pick(*ids), pool=ids, seed=3, seconds=20, now=NOW
    )


async def test_one_running_game_per_channel(store: Store) -> None:
    """A second game in the same channel is refused; another channel or server is fine."""
    repo = store.guild(G1).repo(TriviaRepo)
    await new_game(repo, 5)
    with pytest.raises(Conflict):
        await new_game(repo, 5)
    await new_game(repo, 6)
    await new_game(store.guild(G2).repo(TriviaRepo), 5)
    assert len(await list_running_games(store.db)) == 3


async def test_second_answer_is_refused_by_the_database(store: Store) -> None:
    """The same member answering the same question twice gets 'duplicate'; closed gets 'closed'."""
    repo = store.guild(G1).repo(TriviaRepo)
    gid = await new_game(repo)
    ans = Answer(7, 1, True, 150, 1.0)
    assert await repo.record_answer(gid, 0, 7, 1, ans, NOW) == "closed"  # not open yet
    await repo.open_question(gid, 0, 1, 0)
    assert await repo.record_answer(gid, 0, 7, 1, ans, NOW) == "ok"
    assert await repo.record_answer(gid, 0, 7, 2, ans, NOW) == "duplicate"
    assert await repo.record_answer(gid, 1, 8, 2, ans, NOW) == "closed"  # wrong question
    await repo.close_question(gid)
    assert await repo.record_answer(gid, 0, 8, 1, ans, NOW) == "closed"
    assert [a.member_id for a in await repo.round_answers(gid, 0)] == [7]


async def test_points_apply_once_and_end_game_keeps_them(store: Store) -> None:
    """Applied answers count once; ending applies leftovers, counts the game, and is idempotent."""
    repo = store.guild(G1).repo(TriviaRepo)
    gid = await new_game(repo)
    await repo.open_question(gid, 0, 0, 0)
    await repo.record_answer(gid, 0, 7, 0, Answer(7, 0, True, 180, 2.0), NOW)
    await repo.record_answer(gid, 0, 8, 1, Answer(8, 1, False, 0, 1.0), NOW)
    assert await repo.apply_answers(gid, NOW) == 2
    assert await repo.apply_answers(gid, NOW) == 0
    await repo.open_question(gid, 1, 2, 0)
    await repo.record_answer(gid, 1, 7, 2, Answer(7, 2, True, 120, 8.0), NOW)
    # Stopped mid-question (a restart): the open answer still counts.
    assert await repo.end_game(gid, "restart", NOW)
    assert not await repo.end_game(gid, "restart", NOW)
    s7 = await repo.member_stats(7)
    s8 = await repo.member_stats(8)
    assert s7 is not None
    assert s8 is not None
    assert (s7.points, s7.games, s7.correct, s7.answered, s7.best_streak) == (300, 1, 2, 2, 2)
    assert (s8.points, s8.games, s8.correct, s8.current_streak) == (0, 1, 0, 0)
    assert await repo.game_scores(gid) == [(7, 300, 2), (8, 0, 0)]
    assert await list_running_games(store.db) == []
    rec = await repo.get_game(gid)
    assert rec is not None
    assert not rec.running


async def test_leaderboards_week_and_all_time(store: Store) -> None:
    """All-time sums every point; the week counts only answers from the last 7 days."""
    repo = store.guild(G1).repo(TriviaRepo)
    old = await new_game(repo, 5)
    await repo.open_question(old, 0, 0, 0)
    await repo.record_answer(old, 0, 7, 0, Answer(7, 0, True, 200, 0.0), NOW - timedelta(days=9))
    await repo.end_game(old, "finished", NOW - timedelta(days=9))
    new = await new_game(repo, 5)
    await repo.open_question(new, 0, 0, 0)
    await repo.record_answer(new, 0, 8, 0, Answer(8, 0, True, 150, 0.0), NOW)
    await repo.end_game(new, "finished", NOW)
    assert await repo.leaderboard() == [(7, 200, 1), (8, 150, 1)]
    assert await repo.leaderboard(since=NOW - timedelta(days=7)) == [(8, 150, 1)]
    assert await store.guild(G2).repo(TriviaRepo).leaderboard() == []


async def test_seen_cycle_resets_only_the_pool(store: Store) -> None:
    """A reset pick forgets the pool's seen ids and records the fresh ones; others stay seen."""
    repo = store.guild(G1).repo(TriviaRepo)
    gid = await new_game(repo, 5, ("a", "b", "z"))
    await repo.end_game(gid, "finished", NOW)
    assert await repo.seen_ids() == {"a", "b", "z"}
    await repo.start_game(
        channel_id=5,
        starter_id=1,
        pick=Pick(("c", "a"), True, ("a",)),
        pool=("a", "b", "c"),
        seed=1,
        seconds=20,
        now=NOW,
    )
    assert await repo.seen_ids() == {"a", "z"}
    assert await store.guild(G2).repo(TriviaRepo).seen_ids() == set()


async def test_settings_defaults_and_updates(store: Store) -> None:
    """Settings start at 20 s / 5 questions and keep untouched values on update."""
    repo = store.guild(G1).repo(TriviaRepo)
    s = await repo.get_settings()
    assert (s.seconds_per_question, s.questions_per_game, s.daily_channel_id) == (20, 5, None)
    await repo.update_settings(seconds=30)
    s = await repo.update_settings(daily_channel_id=99, daily_time="20:00")
    assert (s.seconds_per_question, s.questions_per_game, s.daily_time) == (30, 5, "20:00")
    assert await list_daily_guilds(store.db) == [(G1, 99, "20:00", "Asia/Seoul")]


def question(n: int) -> Question:
    """A pack question."""
    return Question(f"x{n}", f"P{n}?", "A", ("B", "C", "D"), "custom", accepted=("a1",))


async def test_packs_are_per_server_and_bounded(store: Store) -> None:
    """Packs belong to one server, names are unique there, and a server holds at most 20."""
    packs = store.guild(G1).repo(TriviaPackRepo)
    pid = await packs.add_pack("Ours", 1, [question(1), question(2)], NOW)
    with pytest.raises(Conflict):
        await packs.add_pack("Ours", 1, [question(3)], NOW)
    loaded = await packs.pack_questions()
    assert [q.id for q in loaded] == [f"pack{pid}-1", f"pack{pid}-2"]
    assert loaded[0].accepted == ("a1",)
    assert await store.guild(G2).repo(TriviaPackRepo).pack_questions() == []
    for i in range(PACKS_PER_GUILD_MAX - 1):
        await packs.add_pack(f"p{i}", 1, [question(i)], NOW)
    with pytest.raises(Conflict):
        await packs.add_pack("one too many", 1, [question(0)], NOW)
    assert await packs.remove_pack("OURS") == 2
    with pytest.raises(NotFound):
        await packs.remove_pack("Ours")
    assert len(await packs.list_packs()) == PACKS_PER_GUILD_MAX - 1


async def test_guild_purge_removes_trivia_rows(store: Store) -> None:
    """Deleting a server's guilds row cascades to all of its trivia data."""
    repo = store.guild(G1).repo(TriviaRepo)
    gid = await new_game(repo)
    await repo.open_question(gid, 0, 0, 0)
    await repo.record_answer(gid, 0, 7, 0, Answer(7, 0, True, 100, 1.0), NOW)
    await store.guild(G1).repo(TriviaPackRepo).add_pack("P", 1, [question(1)], NOW)
    await store.db.execute("DELETE FROM guilds WHERE guild_id = :guild_id", {"guild_id": G1})
    for table in ("trivia_games", "trivia_answers", "trivia_seen", "trivia_packs"):
        assert await store.db.fetchval(f"SELECT count(*) FROM {table}") == 0, table  # noqa: S608


async def test_recent_question_ids_by_kind(store: Store) -> None:
    """The last game's ids (or the last N dailies') are returned, this server only."""
    repo = store.guild(G1).repo(TriviaRepo)
    await new_game(repo, 5, ("a", "b"))
    await new_game(repo, 6, ("c", "d"))
    await repo.start_game(
        channel_id=7,
        starter_id=None,
        pick=pick("e"),
        pool=("e",),
        seed=1,
        seconds=9,
        now=NOW,
        kind="daily",
    )
    await new_game(store.guild(G2).repo(TriviaRepo), 5, ("z",))
    assert await repo.recent_question_ids("game") == {"c", "d"}
    assert await repo.recent_question_ids("game", 2) == {"a", "b", "c", "d"}
    assert await repo.recent_question_ids("daily", 7) == {"e"}


async def test_typed_pack_question_round_trips(store: Store) -> None:
    """A typed question (no distractors) is stored and read back as typed, answers intact."""
    packs = store.guild(G1).repo(TriviaPackRepo)
    typed = Question("x", "Title?", "11:11", (), "custom", accepted=("0606", "1.10"))
    await packs.add_pack("Typed", 1, [typed], NOW)
    [back] = await packs.pack_questions()
    assert (back.kind, back.answer, back.accepted, back.distractors) == (
        "typed",
        "11:11",
        ("0606", "1.10"),
        (),
    )
    assert await store.guild(G1).repo(TriviaRepo).has_answered(1, 0, 1) is False
