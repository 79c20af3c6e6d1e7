"""Honest source links: a pack's link is shown with the host a browser would really open.

Parsers disagree about odd URLs. `https://evil.example\\@youtube.com/x` is `youtube.com` to
Python's `urlsplit` (everything before `@` is a user name) but `evil.example` to every browser
(WHATWG treats `\\` like `/` in http(s) URLs, so the `@` lands in the path). Rather than guess
which reading a member's client uses, links that parsers can read two ways are refused: a
backslash, a user name or password (`user@host`), whitespace or control characters. What is left
reads the same everywhere, and its host (from `urllib.parse`) is shown in ASCII (punycode), so a
look-alike Unicode host cannot pass for a familiar one.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_UNSAFE = re.compile(r"[\s\\<>\"`\x00-\x1f\x7f]")


def link_problem(url: str) -> str | None:
    """Return why `url` can't be a source link (a phrase for an error message), or None if fine."""
    if _UNSAFE.search(url):
        return "must not contain spaces, backslashes, quotes or angle brackets"
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        return "is not a well-formed link"
    if parts.scheme.lower() not in ("http", "https"):
        return "must be an http(s) link"
    if "@" in parts.netloc:
        return "must not contain a user name or password before the host ('...@')"
    if not host or "." not in host.strip("."):
        return "must name a web host, like https://example.org/page"
    try:
        host.encode("idna")
    except UnicodeError:
        return "has a host name that is not valid"
    return None


def link_host(url: str) -> str | None:
    """Return the ASCII host a browser opens for `url` (e.g. 'youtube.com'), None if unsafe."""
    if link_problem(url) is not None:
        return None
    host = urlsplit(url).hostname or ""
    return host.encode("idna").decode("ascii")


def markdown_link(url: str) -> str | None:
    """Return `url` made safe inside a Markdown link target (parentheses escaped), or None."""
    if link_problem(url) is not None:
        return None
    return url.replace("(", "%28").replace(")", "%29")
