"""Meta tests that keep the layers honest: who imports discord, where SQL lives, who reaches the db.

The rules (README "Layout"): domain rules and services never import discord; only `bot/store/`
holds SQL text; cogs talk to repositories, never to the raw database connection. Each scanner is
also run on a small forbidden snippet, so a scanner that stopped seeing anything would fail here.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Packages that must never import discord (nor discord.py's extensions).
DISCORD_FREE = [
    "bot/domain",
    "bot/services",
    "bot/store",
    "bot/clients",
    "bot/settings.py",
    "bot/errors.py",
    "bot/logs.py",
    "bot/aio.py",
    "bot/resources.py",
]
# What each Discord-free layer may not import. The domain may read the clients' typed results
# (`bot.clients.*_models`: plain data, no HTTP), never the clients themselves.
LAYER_BANS: dict[str, tuple[str, ...]] = {
    "bot/domain": ("discord", "cogs", "bot.core", "bot.store", "bot.services", "bot.clients.x",
                   "bot.clients.musicbrainz", "httpx", "aiosqlite", "sqlite3"),
    "bot/services": ("discord", "cogs", "bot.core"),
    "bot/store": ("discord", "cogs", "bot.core", "bot.services", "httpx"),
    "bot/clients": ("discord", "cogs", "bot.core", "bot.store", "bot.services"),
}  # fmt: skip

# SQL keywords in capitals, as every query of this project is written (English prose that says
# "select ... from" stays out of the net).
_SQL = re.compile(
    r"\bSELECT\s+[\w*.,\s()]+?\s+FROM\s+\w+"
    r"|\bINSERT\s+(OR\s+\w+\s+)?INTO\s+\w+"
    r"|\bUPDATE\s+\w+\s+SET\s+\w+\s*="
    r"|\bDELETE\s+FROM\s+\w+"
    r"|\bCREATE\s+(UNIQUE\s+)?(TABLE|INDEX|TRIGGER|VIEW)\b"
    r"|\bPRAGMA\s+\w+"
)


def _python_files(*roots: str) -> Iterator[Path]:
    for root in roots:
        path = ROOT / root
        yield from [path] if path.suffix == ".py" else sorted(path.rglob("*.py"))


def imported_modules(source: str) -> set[str]:
    """Return every module a source file imports (absolute names; relative ones are skipped)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def banned_imports(source: str, bans: tuple[str, ...]) -> list[str]:
    """Return the imports in `source` that fall under one of `bans` (a module or its children)."""
    return sorted(
        name
        for name in imported_modules(source)
        if any(name == ban or name.startswith(ban + ".") for ban in bans)
    )


def sql_strings(source: str) -> list[str]:
    """Return the string constants of `source` that read like SQL (docstrings excluded)."""
    tree = ast.parse(source)
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
        and _SQL.search(node.value)
    ]


def raw_db_reaches(source: str) -> list[int]:
    """Return the lines where code reaches a store's raw database (`store.db`, `x.store.db`)."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr in {"db", "connection"}:
            owner = node.value
            name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
            if name in {"store", "_store"}:
                lines.append(node.lineno)
    lines.extend(0 for name in imported_modules(source) if name in {"aiosqlite", "sqlite3"})
    return lines


# -- the scanners see what they must (so the checks below can fail) -------------------------


def test_scanners_catch_forbidden_snippets() -> None:
    """Each scanner flags a planted violation and passes clean code."""
    assert banned_imports("import discord\n", ("discord",)) == ["discord"]
    assert banned_imports("from discord.ext import commands\n", ("discord",))
    assert banned_imports("from bot.store.parties import PartyRepo\n", ("bot.store",))
    assert banned_imports("import discordish\n", ("discord",)) == []
    assert sql_strings('q = "SELECT id FROM parties WHERE guild_id = ?"\n')
    assert sql_strings("q = 'INSERT OR IGNORE INTO guilds (id) VALUES (?)'\n")
    assert sql_strings('q = "PRAGMA user_version"\n')
    assert sql_strings('def f():\n    """Select the party from the list."""\n') == []
    assert sql_strings('text = "Select a channel from the menu"\n') == []
    assert raw_db_reaches("async def f(bot):\n    await bot.store.db.execute('x')\n") == [2]
    assert raw_db_reaches("import aiosqlite\n") == [0]
    assert raw_db_reaches("async def f(bot):\n    await bot.store.parties.get(1)\n") == []


# -- the rules ------------------------------------------------------------------------------


@pytest.mark.parametrize("layer", sorted(LAYER_BANS))
def test_layer_imports_point_downward(layer: str) -> None:
    """Domain, services, store and clients never import discord, cogs or a layer above them."""
    problems = {
        str(path.relative_to(ROOT)): found
        for path in _python_files(layer)
        if (found := banned_imports(path.read_text(encoding="utf-8"), LAYER_BANS[layer]))
    }
    assert problems == {}


def test_shared_modules_never_import_discord() -> None:
    """Settings, errors, logging, asyncio helpers and resources work without discord."""
    problems = {
        str(path.relative_to(ROOT)): found
        for path in _python_files(*DISCORD_FREE)
        if (found := banned_imports(path.read_text(encoding="utf-8"), ("discord",)))
    }
    assert problems == {}


def test_sql_text_lives_only_in_the_store() -> None:
    """No string that reads like SQL appears in bot/ or cogs/ outside bot/store/."""
    problems = {
        str(path.relative_to(ROOT)): found
        for path in _python_files("bot", "cogs")
        if not path.is_relative_to(ROOT / "bot" / "store")
        if (found := sql_strings(path.read_text(encoding="utf-8")))
    }
    assert problems == {}


def test_cogs_never_reach_the_raw_database() -> None:
    """Cogs use repositories: no `store.db`, no aiosqlite or sqlite3 import."""
    problems = {
        str(path.relative_to(ROOT)): lines
        for path in _python_files("cogs", "bot/core")
        if (lines := raw_db_reaches(path.read_text(encoding="utf-8")))
    }
    assert problems == {}


@pytest.mark.parametrize("folder", ["bot", "cogs"])
def test_folder_readme_lists_every_module(folder: str) -> None:
    """bot/README.md and cogs/README.md name every module, so a newcomer finds each room."""
    readme = (ROOT / folder / "README.md").read_text(encoding="utf-8")
    missing = [
        str(path.relative_to(ROOT / folder))
        for path in _python_files(folder)
        if f"`{path.relative_to(ROOT / folder)}`" not in readme
    ]
    assert missing == []


def import_graph(*roots: str) -> dict[str, set[str]]:
    """Map each module under `roots` to the modules of the project it imports (any import)."""
    modules: dict[str, Path] = {}
    for path in _python_files(*roots):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        modules[name.removesuffix(".__init__")] = path
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for target in imported_modules(path.read_text(encoding="utf-8")):
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != name and not name.startswith(target + "."):
                graph[name].add(target)
    return graph


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Return the groups of modules that import each other, directly or through others."""
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        order[node] = low[node] = len(order)
        stack.append(node)
        for nxt in graph[node]:
            if nxt not in order:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], order[nxt])
        if low[node] == order[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                cycles.append(sorted(group))

    for node in sorted(graph):
        if node not in order:
            visit(node)
    return cycles


def test_cycle_finder_sees_a_planted_cycle() -> None:
    """The cycle finder reports two modules that import each other and passes a chain."""
    assert import_cycles({"a": {"b"}, "b": {"a"}, "c": {"a"}}) == [["a", "b"]]
    assert import_cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == []


def test_imports_point_downward_without_cycles() -> None:
    """No two modules of bot/ or cogs/ import each other, even only for type checking."""
    cycles = import_cycles(import_graph("bot", "cogs"))
    # The loopback Discord's modules share one server object; it is a test double, not a layer.
    cycles = [c for c in cycles if not all(m.startswith("bot.testing.loopback") for m in c)]
    assert cycles == []


FILE_LINES_MAX = 400


def test_source_files_stay_small() -> None:
    """Every module of bot/, cogs/, scripts/ and bench/ stays within 400 lines."""
    long = {
        str(path.relative_to(ROOT)): n
        for path in _python_files("bot", "cogs", "scripts", "bench")
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > FILE_LINES_MAX
    }
    assert long == {}
