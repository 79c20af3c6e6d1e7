"""The store's SQL runs on SQLite and PostgreSQL alike (issue 16): named `:name` parameters only,
and none of the SQLite-only forms PostgreSQL 15 refuses or reads differently.

db.py and migrate.py are the SQLite-only code paths (PRAGMAs, the migration runner) and are not
scanned. Each rule is also run on a forbidden snippet, so a scanner that stopped seeing anything
would fail here.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from bot.store.db import SqliteDatabase as Database

ROOT = Path(__file__).resolve().parents[2]
STORE = ROOT / "bot" / "store"
SQLITE_ONLY = {"db.py", "migrate.py"}

_SQL = re.compile(r"\b(SELECT|INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM)\b")
_QUOTED = re.compile(r"'[^']*'")

# (what is wrong, pattern), checked on the statement with its quoted literals blanked out.
RULES: list[tuple[str, re.Pattern[str]]] = [
    ("a ? placeholder (use :name)", re.compile(r"\?")),
    ("INSERT OR IGNORE/REPLACE (use ON CONFLICT)", re.compile(r"\bINSERT\s+OR\b", re.I)),
    ("COLLATE NOCASE (use lower() on both sides)", re.compile(r"\bCOLLATE\b", re.I)),
    ("GLOB", re.compile(r"\bGLOB\b", re.I)),
    ("a date function (store epoch seconds)",
     re.compile(r"\b(strftime|julianday|datetime)\s*\(", re.I)),
    ("rowid", re.compile(r"\b_?rowid_?\b|\boid\b", re.I)),
    ("two-argument max()/min() (SQLite only)", re.compile(r"\b(max|min)\s*\([^()]*,", re.I)),
    ("IS used for a non-NULL comparison", re.compile(r"\bIS\s+(NOT\s+)?(?!NULL\b|NOT\b)\S", re.I)),
]  # fmt: skip


def statements(source: str) -> list[str]:
    """Return the SQL statements written in `source`: string constants and f-strings that read
    like SQL (an f-string's replacement fields become `x`), docstrings excluded."""
    tree = ast.parse(source)
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    inside_fstrings = {
        id(part)
        for node in ast.walk(tree)
        if isinstance(node, ast.JoinedStr)
        for part in node.values
    }
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            text = "".join(
                p.value if isinstance(p, ast.Constant) and isinstance(p.value, str) else "x"
                for p in node.values
            )
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
            and id(node) not in inside_fstrings
        ):
            text = node.value
        else:
            continue
        if _SQL.search(text):
            found.append(text)
    return found


def problems(sql: str) -> list[str]:
    """Return what keeps one statement from running the same on SQLite and PostgreSQL."""
    found = [
        f"a :name parameter inside the literal {lit}"
        for lit in _QUOTED.findall(sql)
        if re.search(r"(?<!:):\w", lit)
    ]
    bare = _QUOTED.sub("''", sql)
    found.extend(what for what, pattern in RULES if pattern.search(bare))
    return found


@pytest.mark.parametrize(
    ("snippet", "expected"),
    [
        ("SELECT a FROM t WHERE b = ?", "a ? placeholder (use :name)"),
        ("INSERT OR IGNORE INTO t (a) VALUES (:a)", "INSERT OR IGNORE/REPLACE (use ON CONFLICT)"),
        ("SELECT a FROM t ORDER BY a COLLATE NOCASE", "COLLATE NOCASE (use lower() on both sides)"),
        ("SELECT a FROM t WHERE a GLOB 'x*'", "GLOB"),
        ("SELECT strftime('%s', 'now') FROM t", "a date function (store epoch seconds)"),
        ("SELECT rowid FROM t", "rowid"),
        ("UPDATE t SET a = max(a, :b) WHERE c = :c", "two-argument max()/min() (SQLite only)"),
        ("SELECT a FROM t WHERE b IS :b", "IS used for a non-NULL comparison"),
        ("SELECT a FROM t WHERE b = '12:00'", "a :name parameter inside the literal '12:00'"),
    ],
)
def test_rules_catch_forbidden_snippets(snippet: str, expected: str) -> None:
    assert expected in problems(snippet)


def test_rules_pass_portable_sql() -> None:
    sql = (
        "SELECT min(a), count(*) FROM t WHERE b IS NOT NULL AND c IS NULL AND d = :d "
        "AND e LIKE :e ESCAPE '\\' GROUP BY f ORDER BY lower(g) LIMIT :limit"
    )
    assert problems(sql) == []
    source = 'x = f"SELECT {cols} FROM t WHERE a = :a"\ny = ' + repr(sql) + "\n"  # noqa: S608
    assert statements(source) == [
        "SELECT x FROM t WHERE a = :a",
        sql,
    ]


def test_store_sql_is_portable() -> None:
    """Every statement in bot/store/ (but its SQLite-only files) passes every rule."""
    found = {
        f"{path.name}: {sql[:70]}": bad
        for path in sorted(STORE.glob("*.py"))
        if path.name not in SQLITE_ONLY
        for sql in statements(path.read_text(encoding="utf-8"))
        if (bad := problems(sql))
    }
    assert found == {}


def test_store_has_statements_to_scan() -> None:
    """The scan sees the repositories' statements (a broken walker would pass everything)."""
    assert len(statements((STORE / "parties.py").read_text(encoding="utf-8"))) > 15


async def test_named_parameters_and_returning(tmp_path: Path) -> None:
    """The Database takes a mapping of named parameters (or none at all) and hands back what
    `INSERT ... RETURNING` returns, as the repositories rely on."""
    db = await Database.open(tmp_path / "db.sqlite")
    try:
        assert db.dialect == "sqlite"
        await db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, who TEXT NOT NULL UNIQUE)")
        first = await db.fetchval("INSERT INTO t (who) VALUES (:who) RETURNING id", {"who": "a"})
        second = await db.fetchval("INSERT INTO t (who) VALUES (:who) RETURNING id", {"who": "b"})
        assert (first, second) == (1, 2)
        assert (
            await db.execute(
                "INSERT INTO t (who) VALUES (:who) ON CONFLICT DO NOTHING", {"who": "a"}
            )
            == 0
        )
        await db.execute_many("INSERT INTO t (who) VALUES (:who)", [{"who": "c"}, {"who": "d"}])
        row = await db.fetchone("SELECT id, who FROM t WHERE who = :who", {"who": "d"})
        assert row is not None
        assert (row[0], row["who"]) == (4, "d")
        assert await db.fetchval("SELECT count(*) FROM t", None) == 4
        with pytest.raises(db.integrity_errors):
            await db.execute("INSERT INTO t (who) VALUES (:who)", {"who": "a"})
    finally:
        await db.close()
