"""Which servers a process serves: Discord's shard formula and the shards one process owns."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

# A snowflake's low 22 bits are worker, process and increment; the rest is its timestamp.
SNOWFLAKE_TIMESTAMP_SHIFT = 22
# 2 ** 22: dividing by it is the shift, written so that SQLite and PostgreSQL compute it alike.
SNOWFLAKE_TIMESTAMP_DIVISOR = 1 << SNOWFLAKE_TIMESTAMP_SHIFT


def shard_of(guild_id: int, shard_count: int) -> int:
    """Return the shard that receives `guild_id`'s events: `(guild_id >> 22) % shard_count`."""
    return (guild_id >> SNOWFLAKE_TIMESTAMP_SHIFT) % shard_count


@dataclass(frozen=True)
class ShardSpec:
    """The shards one process owns: `ids` out of `count` (0-based, each below `count`).

    Raises ValueError when `count` is below 1 or an id is outside 0..count-1.
    """

    count: int
    ids: tuple[int, ...]

    def __post_init__(self) -> None:
        if self.count < 1:
            raise ValueError("the shard count must be at least 1")
        if not self.ids:
            raise ValueError("a process must own at least one shard")
        bad = [i for i in self.ids if not 0 <= i < self.count]
        if bad:
            raise ValueError(
                f"shard ids must be between 0 and {self.count - 1} for {self.count} shards; "
                f"got {', '.join(str(i) for i in bad)}"
            )
        if len(set(self.ids)) != len(self.ids):
            raise ValueError("a shard id is listed twice")

    @classmethod
    def of(cls, count: int, ids: Iterable[int] | None = None) -> ShardSpec:
        """Return the spec for `ids` of `count` shards; every shard when `ids` is None."""
        return cls(count, tuple(sorted(ids)) if ids is not None else tuple(range(count)))

    @property
    def owns_all(self) -> bool:
        """Say whether this process owns every shard (and so every server)."""
        return len(self.ids) == self.count

    def owns(self, guild_id: int) -> bool:
        """Say whether `guild_id` belongs to one of this process's shards."""
        return self.owns_all or shard_of(guild_id, self.count) in self.ids

    def describe(self) -> str:
        """Return 'shards 0, 1 of 4' for logs and operator messages."""
        return f"shards {', '.join(str(i) for i in self.ids)} of {self.count}"
