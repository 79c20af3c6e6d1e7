"""The corpus of real phrasings (tests/domain/timeparse_corpus.tsv): right or refused, never wrong.

Each row: text, member zone, Discord locale, fixed now (UTC), and the expected UTC instant or
"refuse". The expected values were written as the wall time a person means and converted with
zoneinfo, independently of the reader. The summary (right / refused / wrong by language and
kind) is printed with `pytest -s`; any wrong row fails the test.
"""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.domain.timeparse import read_when
from bot.errors import InvalidInput

CORPUS = Path(__file__).with_name("timeparse_corpus.tsv")
VERDICTS = ("right", "refused", "wrong")


@dataclass(frozen=True)
class Row:
    text: str
    zone: str
    locale: str
    now: datetime
    expected: datetime | None  # None: the reader must refuse
    language: str
    kind: str


def load_corpus() -> list[Row]:
    """Read the TSV corpus (lines starting with # are comments)."""
    rows = []
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        text, zone, locale, now, expected, language, kind = line.split("\t")
        rows.append(
            Row(
                text=text,
                zone=zone,
                locale=locale,
                now=datetime.fromisoformat(now),
                expected=None if expected == "refuse" else datetime.fromisoformat(expected),
                language=language,
                kind=kind,
            )
        )
    return rows


def write(line: str) -> None:
    sys.stdout.write(line + "\n")


def outcome(row: Row) -> tuple[str, str]:
    """Return ("right" | "refused" | "wrong", detail) for one row."""
    try:
        found = read_when(row.text, ZoneInfo(row.zone), row.now, row.locale).instant
    except InvalidInput as err:
        verdict = "right" if row.expected is None else "refused"
        return verdict, err.message
    if row.expected is not None and found == row.expected:
        return "right", found.isoformat()
    return "wrong", f"read {found.isoformat()}, expected {row.expected or 'a refusal'}"


def test_corpus_is_big_and_covers_every_kind() -> None:
    """At least 200 rows, every language of the issue, and the month ends and DST kinds."""
    rows = load_corpus()
    assert len(rows) >= 200
    assert {r.language for r in rows} >= {"en", "ko", "ja", "es", "pt", "id", "th"}
    kinds = {r.kind for r in rows}
    assert kinds >= {"month_end", "dst", "no_dst", "zone", "zone_ambiguous", "duration",
                     "part_of_day", "no_clock", "date", "weekday", "shorthand"}  # fmt: skip
    months = {r.now.month for r in rows if r.kind == "month_end"}
    assert months == set(range(1, 13))
    dst_zones = {r.zone for r in rows if r.kind == "dst"}
    assert dst_zones >= {"America/New_York", "Europe/London", "Australia/Sydney"}


def test_corpus_has_no_wrong_reading(capsys: pytest.CaptureFixture[str]) -> None:
    """Report right / refused / wrong by language and kind; fail on any wrong reading."""
    table: Counter[tuple[str, str, str]] = Counter()
    wrong = []
    for row in load_corpus():
        verdict, detail = outcome(row)
        table[(row.language, row.kind, verdict)] += 1
        if verdict != "right":
            wrong.append(f"{verdict}: {row.text!r} ({row.zone}, {row.locale}): {detail[:120]}")
    with capsys.disabled():
        write("\nlanguage kind                right refused wrong")
        for language, kind in sorted({(lang, kind) for lang, kind, _ in table}):
            counts = [table[(language, kind, v)] for v in VERDICTS]
            write(f"{language:8} {kind:18} {counts[0]:6} {counts[1]:7} {counts[2]:5}")
        totals = [sum(n for (*_, v), n in table.items() if v == w) for w in VERDICTS]
        write(f"{'total':27} {totals[0]:6} {totals[1]:7} {totals[2]:5}")
        for line in wrong:
            write(line)
    assert not [w for w in wrong if w.startswith("wrong")], "\n".join(wrong)


# The issue's own table (issue 12), each example with its right value, as tests of their own.
ISSUE_TABLE = [
    "tonight at 9", "9 tonight", "this evening at 8", "8pm", "2026년 12월 1일 화요일 저녁 8시",
    "12/5 (토) 오후 6시", "12월 10일 밤 12시", "다음 주 금요일 오후 8시", "오후 6시 (한국시간)",
    "6pm Korean time", "8pm IST", "8pm CST", "1pm PT", "1pm ET", "1pm MT", "1pm CT", "tmrw 8pm",
    "in half an hour",
]  # fmt: skip
TABLE_ROWS = [r for r in load_corpus()[:24] if r.text in ISSUE_TABLE]


@pytest.mark.parametrize("row", TABLE_ROWS, ids=[f"{r.text}|{r.zone}" for r in TABLE_ROWS])
def test_issue_table_example(row: Row) -> None:
    """Each example of the issue's table reads to its right instant (or is asked about)."""
    assert outcome(row)[0] == "right", outcome(row)[1]


def test_24_hour_clock_rows_are_read_not_refused() -> None:
    """The issue 18 review's phrasings ("tomorrow 10:00", "2026-12-14 10:00") are read right."""
    rows = [r for r in load_corpus() if r.kind == "clock24"]
    assert len(rows) >= 10
    verdicts = {r.text: outcome(r) for r in rows}
    assert {t: v for t, v in verdicts.items() if v[0] != "right"} == {}
    assert "already passed" in verdicts["yesterday 10:00"][1]
