"""Collect discord.py ERROR logs during a test so the fixture can fail on them."""

from __future__ import annotations

import logging
import re


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


class DiscordLogGuard:
    """Collects discord.py ERROR logs; the test fails on any not explicitly allowed."""

    def __init__(self) -> None:
        self.handler = _Collector()
        self._allowed: list[re.Pattern[str]] = []

    def allow(self, pattern: str) -> None:
        """Tolerate ERROR records (message or exception text) matching this regex."""
        self._allowed.append(re.compile(pattern))

    def _text(self, record: logging.LogRecord) -> str:
        text = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            exc = record.exc_info[1]
            text += f"\n{type(exc).__name__}: {exc}"
        return text

    def problems(self) -> list[str]:
        """Return a description of every unexpected error seen so far."""
        return [
            f"{r.name} {r.levelname}: {self._text(r)}"
            for r in self.handler.records
            if not any(p.search(self._text(r)) for p in self._allowed)
        ]
