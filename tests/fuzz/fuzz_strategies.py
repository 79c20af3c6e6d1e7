"""Hypothesis strategies for slash-command options, built from the synced schema: hostile text
within Discord's declared bounds, integers at and beyond the edges, real ids, and bad files."""

from __future__ import annotations

import json
from typing import Any

import yaml
from hypothesis import strategies as st

from bot.testing.loopback.state import Attachment
from tests.fuzz.fuzz_support import (
    ATTACHMENT,
    BOOLEAN,
    CHANNEL,
    DISCORD_INT_MAX,
    INTEGER,
    MENTIONABLE,
    NUMBER,
    ROLE,
    STRING,
    USER,
    CommandSpec,
    FuzzWorld,
)

PACK_BYTES_MAX = 256 * 1024  # bot.domain.trivia.model.PACK_BYTES_MAX, restated: the test pins it

# Text that has hurt bots before: mentions, markdown, controls, bidi, jamo, format strings.
STATIC_FRAGMENTS = (
    "@everyone",
    "@here",
    "@\u200beveryone",
    "**bold**",
    "__under__",
    "~~strike~~",
    "||spoiler||",
    "`tick`",
    "```py\nprint(1)\n```",
    "```",
    "> quote\n",
    "# Heading\n",
    "-# small\n",
    "[link](https://evil.example/x)",
    "<https://example.org>",
    "\x00",
    "\x1b[31m",
    "\r\n",
    "\t",
    "\u202e",
    "\u200b",
    "\u200d",
    "\u2066",
    "\ufeff",
    "방탄소년단",
    "\u1100\u1161\u11a8",
    "ㅋㅋㅋ",
    "아이브",
    "🎉",
    "👩\u200d👩\u200d👧",
    "🇰🇷",
    "{artist} {title} {url} {start}",
    "{0.__class__}",
    "{",
    "}",
    "%s%n",
    "${jndi:ldap://x}",
    "'; DROP TABLE guilds; --",
    "\\",
    "BTS",
    "@BTS_twt",
    "bts",
    "IVE",
    "Asia/Seoul",
    "KST",
    "tomorrow 20:00",
    "내일 저녁 8시",
    "25:99",
    "20:00",
    "15,0",
    "-1",
    "0",
    "99999999999999999999999",
    "1e308",
    "NaN",
    "-",
    "https://x.com/i/spaces/1AbCdEfGhIjKl",
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    "javascript:alert(1)",
    "ftp://x",
    "90m",
    "1h30m",
    "999999h",
    "pkg:",
)


def mention_fragments(world: FuzzWorld) -> list[str]:
    """Return mention syntax of the guild's real roles, members and channels."""
    g = world.guild
    out = [r.mention for r in g.roles.values() if r.id != g.id]
    out += [m.mention for m in g.members.values()]
    out += [f"<@!{g.member.id}>", f"<#{g.general.id}>", f"<@&{g.id}>", f"<:emoji:{g.id}>"]
    out += [f"<t:{2**40}:R>", "<t:0:F>", "</help:1>", f"<id:{g.id}>"]
    return out


def hostile_text(world: FuzzWorld, lo: int, hi: int) -> st.SearchStrategy[str]:
    """Return strings of lo..hi characters mixing hostile fragments with arbitrary text."""
    fragments = st.sampled_from([*STATIC_FRAGMENTS, *mention_fragments(world)])
    free = st.text(min_size=1, max_size=20)
    mixed = st.lists(st.one_of(fragments, fragments, free), min_size=1, max_size=12).map("".join)
    edge = st.sampled_from(
        ["가", "@everyone ", "x", "\u202e", "🎉", f"<@&{world.guild.stans.id}>", "`", "*_"]
    ).map(lambda unit: (unit * (hi // len(unit) + 1))[:hi])
    whitespace = st.sampled_from([" ", "\u3000", "\u200b", "\n"]).map(lambda u: u * max(lo, 1))

    def fit(text: str) -> str:
        text = text[:hi]
        if len(text) < lo:
            text = text + "가" * (lo - len(text))
        return text

    return st.one_of(mixed, mixed, mixed, edge, whitespace, free).map(fit)


def integer_values(opt: dict[str, Any]) -> st.SearchStrategy[int]:
    """Return integers within the declared bounds (edges weighted), or huge ones if unbounded."""
    lo = int(opt.get("min_value", -DISCORD_INT_MAX))
    hi = int(opt.get("max_value", DISCORD_INT_MAX))
    edges = sorted({lo, hi, min(max(0, lo), hi), min(max(1, lo), hi), min(lo + 1, hi)})
    return st.one_of(st.sampled_from(edges), st.integers(lo, hi), st.integers(lo, min(hi, lo + 50)))


def _pack(questions: list[dict[str, Any]], fmt: str) -> bytes:
    doc = {"name": "fuzz", "questions": questions}
    text = json.dumps(doc) if fmt == "json" else yaml.safe_dump(doc, allow_unicode=True)
    return text.encode()


def _hostile_question(prompt: str, answer: str) -> dict[str, Any]:
    return {
        "prompt": prompt,
        "answer": answer,
        "distractors": [f"{answer} one", f"{answer} two", f"{answer} three"],
    }


BAD_YAML = (
    b"{{{",
    b"- [",
    b"questions: [",
    b"!!python/object/apply:os.system ['echo pwned']",
    b"a: &a [*a, *a]\nb: *a",
    b"lol: &l1 [x, x, x, x, x, x, x, x, x]\nl2: &l2 [*l1, *l1, *l1, *l1, *l1, *l1, *l1]\n"
    b"l3: &l3 [*l2, *l2, *l2, *l2, *l2, *l2, *l2]\nl4: [*l3, *l3, *l3, *l3, *l3, *l3]",
    b"\tquestions:\n\t- x",
    b"questions: !!timestamp ''",
    b"questions: 2001-13-45",
    b"[" * 5000,
    b"[" + b"1," * 120_000 + b"]",
    b"questions: [" + b"{}, " * 60_000 + b"]",
    b"questions:\n" + b"  - prompt: x\n" * 3,
    b"questions: null",
    b"questions: 42",
    b"- 1\n- 2",
    b"\xef\xbb\xbfquestions: []",
    b"\xff\xfe\x00q",
    b"",
)
BAD_JSON = (b"{", b"[]", b"null", b'{"questions": {}}', b'{"questions": [1, 2]}', b"\x00" * 10)


def attachment_values(world: FuzzWorld) -> st.SearchStrategy[Attachment]:
    """Return files: malformed YAML/JSON, binary junk, empty, too big, and hostile valid packs."""
    names = st.sampled_from(
        [
            "pack.yaml",
            "pack.yml",
            "pack.json",
            "PACK.YAML",
            "pack.txt",
            "팩.yaml",
            "a" * 120 + ".yml",
        ]
    )
    prompts, answers = hostile_text(world, 1, 300), hostile_text(world, 1, 70)
    valid = st.builds(
        lambda qs, fmt: (
            f"pack.{fmt}",
            _pack([_hostile_question(p, a) for p, a in qs], fmt),
        ),
        st.lists(st.tuples(prompts, answers), min_size=1, max_size=5),
        st.sampled_from(["yaml", "json"]),
    )
    many_errors = st.builds(
        lambda n, fmt: (
            f"pack.{fmt}",
            _pack(
                [
                    {**_hostile_question(f"Question number {i} " + "가" * 30, "A"), "category": "x"}
                    for i in range(n)
                ],
                fmt,
            ),
        ),
        st.integers(1, 200),
        st.sampled_from(["yaml", "json"]),
    )
    raw = st.tuples(names, st.one_of(st.sampled_from(BAD_YAML + BAD_JSON), st.binary(max_size=512)))
    big = st.tuples(names, st.sampled_from([PACK_BYTES_MAX + 1, 2 * 1024 * 1024]).map(b"q".__mul__))
    return st.one_of(valid, valid, many_errors, raw, raw, big).map(
        lambda pair: Attachment(pair[0], pair[1], "application/octet-stream")
    )


def option_value(world: FuzzWorld, opt: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Return a strategy for one option's value, valid for Discord's own checks on the schema."""
    otype = int(opt["type"])
    g = world.guild
    if opt.get("choices"):
        return st.sampled_from([c["value"] for c in opt["choices"]])
    if otype == STRING:
        return hostile_text(world, int(opt.get("min_length", 1)), int(opt.get("max_length", 6000)))
    if otype == INTEGER:
        return integer_values(opt)
    if otype == NUMBER:
        lo = float(opt.get("min_value", -DISCORD_INT_MAX))
        hi = float(opt.get("max_value", DISCORD_INT_MAX))
        return st.floats(lo, hi, allow_nan=False, allow_infinity=False)
    if otype == BOOLEAN:
        return st.booleans()
    if otype == USER:
        return st.sampled_from(list(g.members.values()))
    if otype == ROLE:
        return st.sampled_from(list(g.roles.values()))
    if otype == MENTIONABLE:
        return st.sampled_from([*g.roles.values(), *g.members.values()])
    if otype == CHANNEL:
        allowed = opt.get("channel_types")
        return st.sampled_from([c for c in world.channels if not allowed or c.type in allowed])
    if otype == ATTACHMENT:
        return attachment_values(world)
    raise AssertionError(f"no strategy for option type {otype}")


def options_for(world: FuzzWorld, spec: CommandSpec) -> st.SearchStrategy[dict[str, Any]]:
    """Return option dicts: every required option, any subset of the optional ones."""
    required = {o["name"]: option_value(world, o) for o in spec.options if o.get("required")}
    optional = {o["name"]: option_value(world, o) for o in spec.options if not o.get("required")}
    return st.fixed_dictionaries(required, optional=optional)


def focused_text(opt: dict[str, Any], world: FuzzWorld) -> st.SearchStrategy[str]:
    """Return what a person may have typed so far into an autocomplete option."""
    if int(opt["type"]) in (INTEGER, NUMBER):
        return st.one_of(
            st.from_regex(r"\A-?[0-9]{0,20}\Z"),
            st.sampled_from(["", "-", "0", str(DISCORD_INT_MAX), "1.5", "1e3"]),
        )
    hi = int(opt.get("max_length", 100))
    return st.one_of(st.just(""), hostile_text(world, 1, hi))
