"""Small asyncio helpers that behave under cancellation."""

from __future__ import annotations

import asyncio


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
