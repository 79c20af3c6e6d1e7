"""Space transition detection: skipped states, disappearance grace, no repeats."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.spaces import TrackedSpace, diff, reconcile

T0 = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Fetched:
    id: str
    state: str
    creator_id: str | None = "100"
    title: str | None = "Hello ARMY"
    started_at: datetime | None = None
    scheduled_start: datetime | None = None
    ended_at: datetime | None = None
    participant_count: int | None = None


def tracked(space_id: str, state: str, **kw: object) -> TrackedSpace:
    return TrackedSpace(space_id=space_id, creator_id="100", state=state, **kw)  # type: ignore[arg-type]


def test_unseen_scheduled_announces_scheduled() -> None:
    """A Space seen for the first time as scheduled yields one scheduled transition."""
    out = diff({}, [Fetched("s1", "scheduled")], polled_creators={"100"}, now=T0)
    assert [(t.space_id, t.kind) for t in out] == [("s1", "scheduled")]


def test_unseen_live_skips_straight_to_live() -> None:
    """A Space first seen live (its scheduled phase missed) announces live directly."""
    out = diff({}, [Fetched("s1", "live", started_at=T0)], polled_creators={"100"}, now=T0)
    assert [(t.kind, t.was_live) for t in out] == [("live", True)]


def test_unseen_ended_is_ignored_and_not_stored() -> None:
    """An already-ended Space never seen before is neither announced nor kept."""
    result = reconcile({}, [Fetched("s1", "ended")], polled_creators={"100"}, now=T0)
    assert result.transitions == []
    assert result.upserts == []


def test_scheduled_to_live_then_nothing_while_live() -> None:
    """Scheduled→live is one transition; further live polls only update counts and peak."""
    prev = {"s1": tracked("s1", "scheduled")}
    first = reconcile(
        prev, [Fetched("s1", "live", participant_count=10)], polled_creators={"100"}, now=T0
    )
    assert [t.kind for t in first.transitions] == ["live"]
    after = {s.space_id: s for s in first.upserts}
    second = reconcile(
        after, [Fetched("s1", "live", participant_count=7)], polled_creators={"100"}, now=T0
    )
    assert second.transitions == []
    assert second.upserts[0].peak_listeners == 10


def test_scheduled_to_ended_without_live_closes_the_scheduled_post() -> None:
    """A scheduled Space that ends without being seen live is an "ended" with was_live False."""
    prev = {"s1": tracked("s1", "scheduled")}
    out = diff(prev, [Fetched("s1", "ended")], polled_creators={"100"}, now=T0)
    assert [(t.kind, t.was_live) for t in out] == [("ended", False)]


def test_disappeared_live_space_ends_only_after_grace() -> None:
    """A live Space missing from the answer is ended once missing for the grace period."""
    prev = {"s1": tracked("s1", "live", was_live=True, peak_listeners=50, started_at=T0)}
    grace = timedelta(minutes=3)
    first = reconcile(prev, [], polled_creators={"100"}, now=T0, grace=grace)
    assert first.transitions == []
    assert first.upserts[0].missing_since == T0
    state = {s.space_id: s for s in first.upserts}
    later = reconcile(state, [], polled_creators={"100"}, now=T0 + grace, grace=grace)
    assert [(t.kind, t.peak_listeners, t.ended_at) for t in later.transitions] == [
        ("ended", 50, T0)
    ]


def test_missing_space_of_unpolled_creator_is_left_alone() -> None:
    """When a creator's batch failed, its live Space is not ended."""
    prev = {"s1": tracked("s1", "live", was_live=True)}
    result = reconcile(prev, [], polled_creators=set(), now=T0, grace=timedelta(0))
    assert result.transitions == []
    assert result.upserts == []


def test_reappearing_space_clears_missing_mark() -> None:
    """A Space that comes back before the grace ends is kept live with no transition."""
    prev = {"s1": tracked("s1", "live", was_live=True, missing_since=T0)}
    result = reconcile(prev, [Fetched("s1", "live")], polled_creators={"100"}, now=T0)
    assert result.transitions == []
    assert result.upserts[0].missing_since is None


def test_ended_space_reported_live_again_is_restored_not_reannounced() -> None:
    """An ended Space X lists as live again yields one `restored` live transition (an edit,
    never a new post); listed as scheduled or ended it yields nothing."""
    prev = {"s1": tracked("s1", "ended")}
    [t] = diff(prev, [Fetched("s1", "live")], polled_creators={"100"}, now=T0)
    assert (t.kind, t.restored, t.ended_at) == ("live", True, None)
    for state in ("scheduled", "ended"):
        assert diff(prev, [Fetched("s1", state)], polled_creators={"100"}, now=T0) == []


STATES = st.sampled_from(["scheduled", "live", "ended", "canceled"])


@given(st.lists(st.lists(STATES, max_size=1), min_size=1, max_size=12))
def test_any_state_sequence_announces_each_state_at_most_once(polls: list[list[str]]) -> None:
    """Whatever X reports poll after poll, a Space is posted (scheduled, live) at most once per
    state, scheduled before live; after "ended" only a restore (an edit) or another end follows."""
    tracked_now: dict[str, TrackedSpace] = {}
    kinds: list[str] = []
    now = T0
    for poll in polls:
        fetched = [Fetched("s1", state) for state in poll]
        result = reconcile(
            tracked_now, fetched, polled_creators={"100"}, now=now, grace=timedelta(0)
        )
        kinds.extend(
            "restored" if t.restored else "rescheduled" if t.rescheduled else t.kind
            for t in result.transitions
        )
        tracked_now.update({s.space_id: s for s in result.upserts})
        now += timedelta(minutes=1)
    posts = [k for k in kinds if k in ("scheduled", "live")]
    assert len(posts) == len(set(posts))
    assert posts == sorted(posts, key=["scheduled", "live"].index)
    for before, after in pairwise(kinds):
        if before == "ended":
            assert after == "restored"
        if after == "restored":
            assert before == "ended"


def test_canceled_scheduled_space_is_a_cancelled_end() -> None:
    """X's "canceled" for a scheduled Space ends it as cancelled; an ended live one is not."""
    prev = {"s1": tracked("s1", "scheduled"), "s2": tracked("s2", "live", was_live=True)}
    fetched = [Fetched("s1", "canceled"), Fetched("s2", "ended", ended_at=T0)]
    out = diff(prev, fetched, polled_creators={"100"}, now=T0)
    assert [(t.space_id, t.kind, t.cancelled, t.was_live) for t in out] == [
        ("s1", "ended", True, False),
        ("s2", "ended", False, True),
    ]


def test_a_moved_or_retitled_scheduled_space_is_rescheduled_once() -> None:
    """A scheduled Space whose start or title changed yields one `rescheduled` scheduled
    transition carrying the new values; the same answer again yields nothing."""
    prev = {"s1": tracked("s1", "scheduled", title="Hello ARMY", scheduled_start=T0)}
    later = T0 + timedelta(hours=3)
    moved = Fetched("s1", "scheduled", title="Festa", scheduled_start=later)
    result = reconcile(prev, [moved], polled_creators={"100"}, now=T0)
    [t] = result.transitions
    assert (t.kind, t.rescheduled, t.title, t.scheduled_start) == (
        "scheduled",
        True,
        "Festa",
        later,
    )
    again = {s.space_id: s for s in result.upserts}
    assert diff(again, [moved], polled_creators={"100"}, now=T0) == []
    same = Fetched("s1", "scheduled", scheduled_start=T0)
    assert diff(prev, [same], polled_creators={"100"}, now=T0) == []
