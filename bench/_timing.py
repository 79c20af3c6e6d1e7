"""Time a synchronous call over many inputs: median, p99 and max in milliseconds."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")


def measure(
    fn: Callable[[T], object], items: Sequence[T], rounds: int, *, warmup: bool = False
) -> dict[str, float]:
    """Return median, p99 and max latency in milliseconds over every item and round.

    With `warmup`, every item is called once first and not timed (caches, lazy imports).
    """
    if warmup:
        for item in items:
            fn(item)
    samples: list[float] = []
    for _ in range(rounds):
        for item in items:
            start = time.perf_counter()
            fn(item)
            samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    p99 = samples[min(len(samples) - 1, int(len(samples) * 0.99))]
    return {
        "median_ms": round(statistics.median(samples), 3),
        "p99_ms": round(p99, 3),
        "max_ms": round(samples[-1], 3),
        "samples": len(samples),
    }
