"""Starting the sandbox as an operator would: `make run` without a token, `--sandbox`, `sandbox`."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import aiohttp
import pytest

from bot.sandbox.run import DEFAULT_PORT

ROOT = Path(__file__).resolve().parents[2]
STARTUP_BUDGET = 20.0  # seconds from the command to the page answering (the promise)
URL = re.compile(r"http://127\.0\.0\.1:(\d+)/")


def clean_env() -> dict[str, str]:
    """The environment of a fresh clone: no Discord, X or database settings at all."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "X_", "DATABASE_"))}
    env["PYTHONPATH"] = str(ROOT)
    return env


def make_run_command() -> list[str]:
    """Return the command `make run ARGS="--port 0"` runs, read from the Makefile itself."""
    dry = subprocess.run(
        ["make", "-n", "-s", "run", f"PY={sys.executable}", "ARGS=--port 0"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    recipe = [line for line in dry.stdout.splitlines() if " -m bot" in line]
    assert recipe, dry.stdout
    return shlex.split(recipe[-1])


async def start_and_probe(command: list[str], cwd: Path) -> tuple[str, float, str]:
    """Run `command`; return (stdout so far, seconds until the page answered, the page's HTML)."""
    started = time.monotonic()
    proc = await asyncio.create_subprocess_exec(
        *command,
        cwd=cwd,
        env=clean_env(),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    assert proc.stdout is not None
    seen: list[str] = []
    try:
        async with asyncio.timeout(STARTUP_BUDGET):
            while not (match := URL.search("".join(seen))):
                line = await proc.stdout.readline()
                if not line:
                    raise AssertionError(f"sandbox exited early: {''.join(seen)}")
                seen.append(line.decode())
            async with aiohttp.ClientSession() as http:
                while True:
                    try:
                        async with http.get(match.group(0)) as resp:
                            if resp.status == 200:
                                page = await resp.text()
                                break
                    except aiohttp.ClientConnectionError:
                        await asyncio.sleep(0.1)
        answered = time.monotonic() - started
    finally:
        if proc.returncode is None:
            proc.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(proc.communicate(), 15)
    assert proc.returncode == 0, err.decode()[-2000:]
    return "".join(seen), answered, page


async def test_make_run_without_a_token_starts_the_sandbox_within_20_seconds(
    tmp_path: Path,
) -> None:
    """`make run` with no DISCORD_TOKEN says so, prints the URL and how to use real Discord, and
    the page answers within 20 s; nothing is written where it ran (its database is temporary)."""
    out, answered, page = await start_and_probe(make_run_command(), tmp_path)
    assert "No DISCORD_TOKEN" in out
    assert "DISCORD_TOKEN=" in out
    assert ".env" in out
    assert "Lightstick sandbox" in page
    assert answered < STARTUP_BUDGET
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("args", [["--sandbox"], ["sandbox"]])
async def test_sandbox_starts_explicitly(tmp_path: Path, args: list[str]) -> None:
    """`python -m bot --sandbox --port 0` and `python -m bot sandbox` serve the page locally."""
    out, _, page = await start_and_probe(
        [sys.executable, "-m", "bot", *args, "--port", "0"], tmp_path
    )
    assert "Lightstick sandbox: open http://127.0.0.1:" in out
    assert "No DISCORD_TOKEN" not in out
    assert "/static/sandbox.js" in page


def test_without_a_token_and_without_sandbox_the_bot_still_exits_2(tmp_path: Path) -> None:
    """Supervisors rely on it: plain `python -m bot` without a token prints guidance, exit 2."""
    result = subprocess.run(
        [sys.executable, "-m", "bot"],
        cwd=tmp_path,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "DISCORD_TOKEN" in result.stderr
    assert "sandbox" not in result.stdout.lower()


async def test_a_taken_default_port_falls_back_to_a_free_one(tmp_path: Path) -> None:
    """Without --port the sandbox uses 8765, or any free port when something holds 8765."""
    holder = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        with contextlib.suppress(OSError):  # already held by something else: just as good
            holder.bind(("127.0.0.1", DEFAULT_PORT))
            holder.listen()
        out, _, _ = await start_and_probe([sys.executable, "-m", "bot", "--sandbox"], tmp_path)
    finally:
        holder.close()
    port = int(URL.search(out).group(1))  # type: ignore[union-attr]
    assert port != DEFAULT_PORT


async def test_an_explicit_port_that_is_taken_is_a_clear_error(tmp_path: Path) -> None:
    """`--port N` on a taken port says so and exits 1 (no fallback: the person asked for N)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        taken = holder.getsockname()[1]
        result = await asyncio.to_thread(
            subprocess.run,
            [sys.executable, "-m", "bot", "--sandbox", "--port", str(taken)],
            cwd=tmp_path,
            env=clean_env(),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert result.returncode == 1
    assert f"Cannot serve the sandbox on 127.0.0.1:{taken}" in result.stdout
    assert "Traceback" not in result.stderr
