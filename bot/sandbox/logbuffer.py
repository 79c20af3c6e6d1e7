"""Keep the newest log lines in memory so the sandbox page can show the bot's log."""

from __future__ import annotations

import collections
import itertools
import logging
from typing import Any

FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"


class LogBuffer(logging.Handler):
    """A logging handler holding the last `size` formatted lines, each with a sequence number."""

    def __init__(self, size: int = 500, level: int = logging.INFO) -> None:
        super().__init__(level)
        self.setFormatter(logging.Formatter(FORMAT, "%H:%M:%S"))
        self.lines: collections.deque[tuple[int, str, str]] = collections.deque(maxlen=size)
        self._seq = itertools.count(1)

    def emit(self, record: logging.LogRecord) -> None:
        """Format and keep one record (never raises, as logging handlers must not)."""
        try:
            self.lines.append((next(self._seq), record.levelname, self.format(record)))
        except Exception:  # logging must never take the sandbox down
            self.handleError(record)

    def since(self, after: int) -> list[dict[str, Any]]:
        """Return lines newer than sequence number `after`: [{"seq", "level", "text"}]."""
        return [{"seq": s, "level": lvl, "text": t} for s, lvl, t in self.lines if s > after]

    def attach(self) -> None:
        """Listen on the root logger (making sure INFO lines get through)."""
        root = logging.getLogger()
        root.addHandler(self)
        if root.level > logging.INFO or root.level == logging.NOTSET:
            root.setLevel(logging.INFO)

    def detach(self) -> None:
        """Stop listening."""
        logging.getLogger().removeHandler(self)
