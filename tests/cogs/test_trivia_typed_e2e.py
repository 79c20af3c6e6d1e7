"""Typed-answer trivia end to end through the loopback Discord: a Red-format list imported, then a
game answered through the "Answer" modal (right, typo, wrong, two members racing), and the
template file."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

from bot.domain.trivia.formats import parse_pack
from bot.store.trivia import TriviaRepo
from bot.store.trivia_packs import TriviaPackRepo
from bot.testing.loopback.server import LoopbackDiscord
from bot.testing.loopback.state import Attachment
from tests.cogs.test_trivia_e2e import running_bot, titled, wait_message

# Our own Red-DiscordBot style list: question: [accepted answers], with AUTHOR and CONFIG.
RED_LIST = """\
AUTHOR: Lightstick tests
CONFIG:
  delay: 30
  max_score: 5
Which girl group released "Pink Venom" in 2022?:
- BLACKPINK
- 블랙핑크
Which agency manages the group SEVENTEEN?:
- Pledis Entertainment
- Pledis
How many members are in the group TWICE?:
- 9
- nine
""".encode()


# How each member types each answer: a variant, a slip, and a near miss that is wrong.
RIGHT = {"BLACKPINK": "블랙핑크", "Pledis Entertainment": "PLEDIS", "9": "9.0"}
TYPO = {"BLACKPINK": "blakcpink", "Pledis Entertainment": "Pledis Entertainmnet", "9": " NINE "}
WRONG = {"BLACKPINK": "black", "Pledis Entertainment": "HYBE", "9": "8"}


def typed_id(game_id: int, index: int) -> str:
    """Return the custom_id of a typed question's Answer button."""
    return f"trivia:{game_id}:{index}:answer"


def has_button(custom_id: str) -> Any:
    """Match a message carrying a button with this custom_id."""
    return lambda m: (
        custom_id
        in [c["custom_id"] for row in m.get("components") or [] for c in row["components"]]
    )


async def open_box(lb: LoopbackDiscord, message: dict[str, Any], cid: str, user: Any) -> Any:
    """Press Answer and check that the modal opened; return the opening interaction."""
    opener = await lb.click(message["id"], cid, user=user)
    await opener.response()
    assert opener.modal is not None, opener.content
    return opener


async def submit(lb: LoopbackDiscord, opener: Any, user: Any, text: str) -> Any:
    """Type `text` in an opened modal and submit it; return the reply."""
    submitted = await lb.submit_modal(opener, {"answer": text}, user=user)
    await submitted.response()
    return submitted


async def answer(
    lb: LoopbackDiscord, message: dict[str, Any], cid: str, user: Any, text: str
) -> Any:
    """Press Answer, type `text` and submit; return the reply."""
    return await submit(lb, await open_box(lb, message, cid, user), user, text)


def round_points(reveal: dict[str, Any], member_id: int) -> tuple[str, int]:
    """Return (✅/❌, points) of one member in a reveal's round field."""
    rounds = reveal["embeds"][0]["fields"][-1]["value"]
    m = re.search(rf"(✅|❌) <@{member_id}> typed · \+(\d+)", rounds)
    assert m is not None, rounds
    return m.group(1), int(m.group(2))


async def test_typed_game_through_the_modal(tmp_path: Path) -> None:
    """A Red list imports as typed questions; members answer through the modal: two racing right
    (the faster scores more), a typo accepted, a wrong answer refused, a second answer refused."""
    async with LoopbackDiscord() as lb:
        guild = lb.add_guild()
        fast, slow = guild.add_member("fast"), guild.add_member("slow")
        async with running_bot(lb, guild, tmp_path / "db.sqlite", seconds=4.0) as bot:
            imp = await lb.slash(
                guild.id,
                "trivia pack import",
                options={"file": Attachment("kpop.yaml", RED_LIST), "name": "Typed"},
                user=guild.moderator,
            )
            await imp.settled()
            reply = imp.all_text()
            assert "from a Red trivia list: 3 questions (3 typed answers)" in reply
            assert "CONFIG (delay, max\\_score)" in reply  # markdown-escaped
            packs = {
                q.prompt: q
                for q in await bot.store.guild(guild.id).repo(TriviaPackRepo).pack_questions()
            }

            start = await lb.slash(
                guild.id,
                "trivia start",
                options={"questions": 3, "category": "custom"},
                user=guild.member,
            )
            await start.response()
            rec = await bot.store.guild(guild.id).repo(TriviaRepo).running_game_in(guild.general.id)
            assert rec is not None
            gid = rec.game_id
            order = {q.id: q for q in packs.values()}
            questions = [order[i] for i in rec.question_ids]

            # Every question is played with all three plans, whatever order the game drew.
            # Round 1: both right, racing; fast answers first.
            q1 = await wait_message(lb, guild.general.id, has_button(typed_id(gid, 0)))
            assert "Press **Answer**" in str(q1["embeds"][0])
            first = questions[0].answer
            # Both open the box before either submits: each submission still counts.
            box_fast = await open_box(lb, q1, typed_id(gid, 0), fast)
            box_slow = await open_box(lb, q1, typed_id(gid, 0), slow)
            r1 = await submit(lb, box_fast, fast, RIGHT[first])
            assert r1.ephemeral
            assert "You answered" in r1.content
            await asyncio.sleep(0.3)
            r2 = await submit(lb, box_slow, slow, TYPO[first])
            assert "You answered" in r2.content
            again = await lb.click(q1["id"], typed_id(gid, 0), user=fast)
            await again.response()
            assert again.modal is None
            assert "already answered" in again.content

            reveal1 = await wait_message(lb, guild.general.id, titled("Answer 1/3"))
            assert first in reveal1["embeds"][0]["title"]
            mark_fast, p_fast = round_points(reveal1, fast.id)
            mark_slow, p_slow = round_points(reveal1, slow.id)
            assert (mark_fast, mark_slow) == ("✅", "✅")
            assert p_fast > p_slow > 100, "both right; the faster one earns the larger bonus"

            late = await lb.click(q1["id"], typed_id(gid, 0), user=slow)
            await late.response()
            assert late.modal is None
            assert "closed" in late.content

            # Round 2: a small typo is accepted, a wrong answer is not.
            q2 = await wait_message(lb, guild.general.id, has_button(typed_id(gid, 1)))
            second = questions[1].answer
            await answer(lb, q2, typed_id(gid, 1), fast, TYPO[second])
            await answer(lb, q2, typed_id(gid, 1), slow, "Definitely not it")
            reveal2 = await wait_message(lb, guild.general.id, titled("Answer 2/3"))
            assert round_points(reveal2, fast.id)[0] == "✅", TYPO[second]
            assert round_points(reveal2, slow.id) == ("❌", 0)

            # Round 3: a near miss that is a different answer ("black", "HYBE", "8") is wrong.
            q3 = await wait_message(lb, guild.general.id, has_button(typed_id(gid, 2)))
            third = questions[2].answer
            await answer(lb, q3, typed_id(gid, 2), fast, WRONG[third])
            await answer(lb, q3, typed_id(gid, 2), slow, TYPO[third])
            reveal3 = await wait_message(lb, guild.general.id, titled("Answer 3/3"))
            assert round_points(reveal3, fast.id) == ("❌", 0)
            assert round_points(reveal3, slow.id)[0] == "✅"

            final = await wait_message(lb, guild.general.id, titled("Trivia over"))
            board = final["embeds"][0]["description"]
            assert board.count("(2 correct)") == 2
            stats = await bot.store.guild(guild.id).repo(TriviaRepo).member_stats(fast.id)
            assert stats is not None
            assert (stats.best_streak, stats.current_streak) == (2, 0), "streaks as for buttons"


async def test_template_is_a_ready_to_import_file(tmp_path: Path) -> None:
    """/trivia pack template sends a YAML file that imports as it is (choice and typed kinds)."""
    async with LoopbackDiscord() as lb:
        guild = lb.add_guild()
        async with running_bot(lb, guild, tmp_path / "db.sqlite") as bot:
            ix = await lb.slash(guild.id, "trivia pack template", options={}, user=guild.moderator)
            await ix.response()
            assert ix.ephemeral
            [attachment] = (ix.original or {})["attachments"]
            filename, data, _ = lb.messages.cdn[int(attachment["id"])]
            assert filename.endswith(".yaml")
            result = parse_pack(data, filename)
            assert result.counts() == {"choice": 1, "typed": 2}
            assert "11:11" in [q.answer for q in result.questions]
            imp = await lb.slash(
                guild.id,
                "trivia pack import",
                options={"file": Attachment(filename, data), "name": "Template"},
                user=guild.moderator,
            )
            await imp.settled()
            assert "3 questions (1 multiple choice, 2 typed answers)" in imp.all_text()
            assert len(await bot.store.guild(guild.id).repo(TriviaPackRepo).list_packs()) == 1


async def test_answer_box_opened_before_a_restart_still_gets_a_reply(tmp_path: Path) -> None:
    """A member opens the answer box, the bot restarts, they submit: the restarted bot answers
    (the game ended at the restart) instead of leaving the submission unanswered."""
    db = tmp_path / "db.sqlite"
    async with LoopbackDiscord() as lb:
        guild = lb.add_guild()
        fan = guild.add_member("fan")
        async with running_bot(lb, guild, db, seconds=30) as bot:
            imp = await lb.slash(
                guild.id,
                "trivia pack import",
                options={"file": Attachment("kpop.yaml", RED_LIST), "name": "Typed"},
                user=guild.moderator,
            )
            await imp.settled()
            start = await lb.slash(
                guild.id, "trivia start", options={"category": "custom"}, user=fan
            )
            await start.response()
            rec = await bot.store.guild(guild.id).repo(TriviaRepo).running_game_in(guild.general.id)
            assert rec is not None
            q1 = await wait_message(lb, guild.general.id, has_button(typed_id(rec.game_id, 0)))
            box = await open_box(lb, q1, typed_id(rec.game_id, 0), fan)
        async with running_bot(lb, guild, db):
            await wait_message(lb, guild.general.id, lambda m: "restarted" in str(m.get("embeds")))
            late = await submit(lb, box, fan, "BLACKPINK")
            assert late.ephemeral
            assert late.content == "This game has ended."
