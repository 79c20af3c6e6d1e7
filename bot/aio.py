"""Small asyncio helpers that behave under cancellation."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable

log = logging.getLogger(__name__)


async def wait_event(event: asyncio.Event, seconds: float) -> bool:
    """Wait up to `seconds` for `event`; return whether it was set.

    Python 3.11's `asyncio.wait_for` can swallow a cancellation that arrives as the inner
    wait finishes, which leaves a background loop running forever and hangs shutdown;
    `asyncio.timeout` does not.
    """
    try:
        async with asyncio.timeout(seconds):
            await event.wait()
    except TimeoutError:
        return False
    return True


@contextlib.asynccontextmanager
async def renewing(renew: Callable[[], Awaitable[object]], every: float) -> AsyncIterator[None]:
    """Call `renew()` every `every` seconds while the block runs, and stop with it.

    For leases held during long work. A failed renewal is logged and tried again at the next
    tick (the lease is still good for a while); it never interrupts the block.
    """

    async def keep() -> None:
        while True:
            await asyncio.sleep(every)
            try:
                await renew()
            except Exception:
                log.warning("renewing a lease failed; trying again in %.0f s", every, exc_info=True)

    task = asyncio.create_task(keep(), name="lease-renewal")
    try:
        yield
    finally:
        task.cancel()
        # Unlike awaiting the task, this never swallows a cancellation of the caller.
        await asyncio.wait([task])
