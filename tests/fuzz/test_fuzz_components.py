"""Forged clicks and modal submits: hostile custom_ids, values and text on the bot's own posts.

A modified client (or a post left by an older version) can deliver a custom_id the message never
had; every one must get a timely answer, no ERROR log, no "Something went wrong", no ping.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import strategies as st

from bot.testing.loopback.server import LoopbackDiscord
from bot.testing.loopback.world import GuildFixture
from tests.fuzz.fuzz_strategies import hostile_text
from tests.fuzz.fuzz_support import FuzzWorld, fuzz_world, probe, run_hypothesis
from tests.fuzz.test_fuzz_commands import seed_party

CUSTOM_ID_MAX = 100  # Discord refuses longer custom_ids even from a modified client
EXAMPLES = 14
PREFIXES = ["party:rsvp:", "trivia:", "artist:follow:", "artist:pick", "party:", "spaces:", ""]
STATUSES = ["going", "maybe", "cant", "GOING", "going\u202e", "", "x" * 40]


def forged_custom_ids(world: FuzzWorld) -> st.SearchStrategy[str]:
    """Custom ids shaped like the bot's own (out-of-range numbers, other servers' rows) or not."""
    big = st.one_of(st.integers(0, 10**20), st.sampled_from([0, 1, 2**63, 10**19 - 1]))
    rsvp = st.builds(lambda n, s: f"party:rsvp:{n}:{s}", big, st.sampled_from(STATUSES))
    trivia = st.builds(lambda g, q, c: f"trivia:{g}:{q}:{c}", big, big, st.integers(-1, 9))
    prefixed = st.builds(
        lambda p, t: p + t, st.sampled_from(PREFIXES), hostile_text(world, 1, CUSTOM_ID_MAX)
    )
    return st.one_of(rsvp, trivia, prefixed).map(lambda cid: cid[:CUSTOM_ID_MAX] or "x")


def forged_component(world: FuzzWorld) -> st.SearchStrategy[dict[str, Any]]:
    """A button click or a select pick carrying a forged custom_id and hostile values."""
    values = st.lists(hostile_text(world, 1, 100), max_size=3)
    return st.one_of(
        st.builds(lambda cid: {"custom_id": cid, "component_type": 2}, forged_custom_ids(world)),
        st.builds(
            lambda cid, v: {"custom_id": cid, "component_type": 3, "values": v},
            forged_custom_ids(world),
            values,
        ),
    )


def forged_modal(world: FuzzWorld) -> st.SearchStrategy[dict[str, Any]]:
    """A modal submit no modal of the bot opened, with hostile field ids and text."""
    field = st.builds(
        lambda cid, text: {"type": 1, "components": [{"type": 4, "custom_id": cid, "value": text}]},
        forged_custom_ids(world),
        hostile_text(world, 1, 4000),
    )
    return st.builds(
        lambda cid, rows: {"custom_id": cid, "components": rows},
        forged_custom_ids(world),
        st.lists(field, min_size=1, max_size=3),
    )


@pytest.mark.timeout(300)
async def test_forged_clicks_and_modals_answer_cleanly_and_ping_nobody(
    loopback: LoopbackDiscord, guild: GuildFixture, tmp_path: Path
) -> None:
    """Forged custom_ids on a real party post and forged modal submits: every one answered in
    time, no ERROR log or error code, no ping."""
    failures: list[str] = []
    async with fuzz_world(loopback, guild, tmp_path) as world:
        await seed_party(world)
        post = next(
            m
            for m in loopback.messages_in(guild.general.id)
            if any(
                c.get("custom_id", "").startswith("party:rsvp:")
                for row in m.get("components") or []
                for c in row["components"]
            )
        )

        async def click(example: tuple[dict[str, Any], Any]) -> None:
            data, user = example
            outcome = await probe(world, lambda: loopback.forge_component(post, data, user=user))
            if outcome.problems or "went wrong" in outcome.text:
                failures.append(f"click {data!r} by {user.user.username}: {outcome.problems}")

        async def submit(example: tuple[dict[str, Any], Any]) -> None:
            data, user = example
            outcome = await probe(
                world, lambda: loopback.forge_modal_submit(guild, data, user=user)
            )
            if outcome.problems or "went wrong" in outcome.text:
                failures.append(f"modal {data['custom_id']!r}: {outcome.problems}")

        people = st.sampled_from(world.people)
        await run_hypothesis(
            st.tuples(forged_component(world), people), click, max_examples=EXAMPLES
        )
        await run_hypothesis(
            st.tuples(forged_modal(world), people), submit, max_examples=EXAMPLES // 2
        )
    assert not failures, "\n".join(failures[:10])
