"""One helper for every background loop, with one policy for failures.

A loop calls its `step` again and again. `step` returns how many seconds to wait before the next
call (or None for the loop's interval); the wait ends early when the loop is woken. When `step`
raises, the exception is logged once with a short code, remembered as the loop's last error (shown
to moderators in /settings), and the loop backs off (1 s, 2 s, 4 s ... up to `backoff_max`) and
keeps going: no exception ends a loop for good. Cogs start their loops in `cog_load` and stop them
in `cog_unload`, so reloading an extension restarts them.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bot.aio import wait_event
from bot.core.tree import error_code

log = logging.getLogger(__name__)

ERROR_SUMMARY_MAX = 200
STOP_SECONDS = 10.0

Step = Callable[[], Awaitable[float | None]]
Spawn = Callable[[Coroutine[Any, Any, Any], str], asyncio.Task[Any]]


@dataclass(frozen=True)
class LoopError:
    """The last failure of a loop: its log code, a short summary and when it happened (UTC)."""

    code: str
    summary: str
    at: datetime


class BackgroundLoop:
    """A named loop around `step` that logs, backs off and keeps running; see the module doc."""

    def __init__(
        self,
        name: str,
        step: Step,
        *,
        interval: float,
        wake: asyncio.Event | None = None,
        before: Callable[[], Awaitable[object]] | None = None,
        backoff_base: float = 1.0,
        backoff_max: float = 300.0,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        """`interval` and the backoff are seconds; `before` runs once before the first step."""
        self.name = name
        self._step = step
        self._interval = interval
        self._wake = wake if wake is not None else asyncio.Event()
        self._before = before
        self._backoff_base = backoff_base
        self._backoff_max = backoff_max
        self._clock = clock
        self._task: asyncio.Task[Any] | None = None
        self.failures = 0  # consecutive failures; 0 once a step succeeds again
        self.last_error: LoopError | None = None
        self.last_success: datetime | None = None

    @property
    def interval(self) -> float:
        """Seconds between two steps when the step names no delay."""
        return self._interval

    @interval.setter
    def interval(self, seconds: float) -> None:
        # Takes effect after the current wait; `wake()` ends that wait now.
        self._interval = seconds

    @property
    def running(self) -> bool:
        """Whether the loop's task is alive."""
        return self._task is not None and not self._task.done()

    def start(self, spawn: Spawn) -> None:
        """Start the loop through `spawn` (the bot's tracked tasks); a running one is left alone."""
        if self.running:
            return
        self._task = spawn(self._run(), self.name)

    async def stop(self) -> None:
        """Cancel the loop and wait (bounded) until it has stopped."""
        task, self._task = self._task, None
        if task is None or task.done():
            return
        task.cancel()
        await asyncio.wait([task], timeout=STOP_SECONDS)

    def wake(self) -> None:
        """End the current wait now, so the next step runs at once (no effect during a backoff)."""
        self._wake.set()

    def backoff_seconds(self) -> float:
        """Return the pause after the current run of consecutive failures."""
        if self.failures <= 0:
            return 0.0
        return float(min(self._backoff_base * 2 ** (self.failures - 1), self._backoff_max))

    async def _run(self) -> None:
        if self._before is not None:
            while True:
                if await self._attempt(self._before):
                    break
                await asyncio.sleep(self.backoff_seconds())
        while True:
            self._wake.clear()
            delay: float | None = None

            async def one_step() -> None:
                nonlocal delay
                delay = await self._step()

            if not await self._attempt(one_step):
                await asyncio.sleep(self.backoff_seconds())
                continue
            wait = self._interval if delay is None else delay
            if wait > 0:
                await wait_event(self._wake, wait)

    async def _attempt(self, call: Callable[[], Awaitable[object]]) -> bool:
        """Run `call` under the loop's policy; return whether it succeeded."""
        try:
            await call()
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            self.failures += 1
            code = error_code()
            summary = f"{type(exc).__name__}: {exc}"[:ERROR_SUMMARY_MAX]
            self.last_error = LoopError(code, summary, self._clock())
            log.error(
                "background loop %s failed (code %s, %d in a row); retrying in %.0f s",
                self.name,
                code,
                self.failures,
                self.backoff_seconds(),
                exc_info=exc,
            )
            return False
        self.failures = 0
        self.last_success = self._clock()
        return True
