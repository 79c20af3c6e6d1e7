"""Child-process entry for the SIGKILL drills: `python -m bot` with drill timings.

Runs the unmodified composition root (`bot.__main__.main`: settings from the environment, store,
migrations, signal handling). Only two things differ, both test knobs that exist for in-loop tests:
discord.py's guild_ready_timeout (DRILL_GUILD_READY_TIMEOUT, default 2 s of idle wait per start)
and the trivia cog's question/reveal timings (DRILL_TRIVIA_SECONDS, DRILL_TRIVIA_REVEAL_PAUSE).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bot import __main__ as entry
from bot.core.client import Lightstick


class DrillLightstick(Lightstick):
    """Lightstick with the drill's timing knobs applied."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs["guild_ready_timeout"] = float(os.environ.get("DRILL_GUILD_READY_TIMEOUT", "2.0"))
        super().__init__(**kwargs)

    async def prepare(self) -> None:
        """Load everything, then set the trivia cog's test-only timings if asked to."""
        await super().prepare()
        trivia = self.get_cog("Trivia")
        if trivia is None:
            return
        if "DRILL_TRIVIA_SECONDS" in os.environ:
            trivia.seconds_override = float(os.environ["DRILL_TRIVIA_SECONDS"])  # type: ignore[attr-defined]
        if "DRILL_TRIVIA_REVEAL_PAUSE" in os.environ:
            trivia.reveal_pause = float(os.environ["DRILL_TRIVIA_REVEAL_PAUSE"])  # type: ignore[attr-defined]


if __name__ == "__main__":
    entry.Lightstick = DrillLightstick  # type: ignore[misc]
    sys.exit(entry.main(sys.argv[1:]))
