"""Deterministic nonces, handle normalising and poll batching."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.spaces import handle_key, nonce_for, normalise_handle, plan_batches
from bot.errors import InvalidInput


@given(
    st.integers(min_value=0, max_value=2**63),
    st.text(min_size=1, max_size=20),
    st.sampled_from(["scheduled", "live", "ended"]),
)
def test_nonce_is_short_and_deterministic(guild_id: int, space_id: str, state: str) -> None:
    """A nonce fits Discord's 25-character limit and is the same every time."""
    nonce = nonce_for(guild_id, space_id, state)
    assert len(nonce) <= 25
    assert nonce == nonce_for(guild_id, space_id, state)


def test_nonce_differs_per_guild_space_and_state() -> None:
    """Changing any of server, Space or state changes the nonce."""
    base = nonce_for(1, "1AbC", "live")
    assert base != nonce_for(2, "1AbC", "live")
    assert base != nonce_for(1, "1AbD", "live")
    assert base != nonce_for(1, "1AbC", "scheduled")


def test_nonce_is_stable_across_processes() -> None:
    """A fresh interpreter (different hash seed) computes the same nonce."""
    code = "from bot.domain.spaces.keys import nonce_for; print(nonce_for(42, '1AbC', 'live'))"
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONHASHSEED": "123", "PYTHONPATH": "."},
    )
    assert out.stdout.strip() == nonce_for(42, "1AbC", "live")


def test_plan_batches_dedupes_and_splits_by_100() -> None:
    """250 distinct accounts (with duplicates and blanks) make exactly 3 batches."""
    ids = [str(1000 + i) for i in range(250)]
    batches = plan_batches([*ids, *ids[:50], ""])
    assert [len(b) for b in batches] == [100, 100, 50]
    assert sorted(a for b in batches for a in b) == sorted(ids)


def test_normalise_handle_accepts_handles_and_profile_links() -> None:
    """@handles, bare handles and x.com/twitter.com profile links give the username."""
    assert normalise_handle("@BTS_twt") == "BTS_twt"
    assert normalise_handle("https://x.com/bts_bighit") == "bts_bighit"
    assert normalise_handle("twitter.com/NewJeans_ADOR/") == "NewJeans_ADOR"
    assert handle_key("@BTS_twt") == "bts_twt"
    with pytest.raises(InvalidInput):
        normalise_handle("@way_too_long_handle_here")
    with pytest.raises(InvalidInput):
        normalise_handle("<@&123>")
