"""A sliding-window pacer that keeps the fan-out under Discord's global request rate."""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable

# Discord allows 50 requests per second per bot; staying a little under leaves room for the
# bot's other traffic and avoids a global 429 (which stalls every request, not just ours).
# Several processes split it: bot.services.cluster sets each one's share with `set_rate`.
DEFAULT_RATE = 45


class SlidingWindowPacer:
    """Allow at most `rate` acquisitions in any `per`-second window; wait otherwise."""

    def __init__(
        self,
        rate: int = DEFAULT_RATE,
        per: float = 1.0,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._rate = max(1, rate)
        self._per = per
        self._clock = clock
        self._stamps: deque[float] = deque()
        self._lock = asyncio.Lock()

    @property
    def rate(self) -> int:
        """Acquisitions allowed per window now."""
        return self._rate

    def set_rate(self, rate: int) -> None:
        """Allow `rate` acquisitions per window from now on (at least 1); waiters adapt too."""
        self._rate = max(1, rate)

    async def acquire(self) -> None:
        """Wait until one more request fits in the window, then count it."""
        async with self._lock:
            while True:
                now = self._clock()
                while self._stamps and now - self._stamps[0] >= self._per:
                    self._stamps.popleft()
                if len(self._stamps) < self._rate:
                    self._stamps.append(now)
                    return
                await asyncio.sleep(self._per - (now - self._stamps[0]))
