"""Honest links: a source link is shown with the host a browser opens, or refused."""

from __future__ import annotations

import pytest

from bot.domain.trivia.links import link_host, link_problem, markdown_link
from bot.domain.trivia.validate import validate_question


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example\\@youtube.com/watch?v=1",  # a browser opens evil.example
        "https://youtube.com@evil.example/watch",  # user name before the real host
        "https://user:pw@evil.example/",
        "javascript:alert(1)",
        "https://exa mple.org/",
        "https://localhost/",
        "https://example.org:99999/",
        "ftp://example.org/file",
    ],
)
def test_ambiguous_or_foreign_links_are_refused(url: str) -> None:
    """Links that parsers read two ways, or that are not web links, are refused."""
    assert link_problem(url) is not None
    assert link_host(url) is None


def test_backslash_trick_is_refused_with_a_reason_in_a_pack() -> None:
    """In a pack, the backslash link is refused naming the field and what is wrong."""
    raw = {"prompt": "P?", "answer": "A", "source_url": "https://evil.example\\@youtube.com/x"}
    q, errors = validate_question(raw, 1, qid="p-1")
    assert q is None
    assert errors == [
        "question 1 (\"P?\"): field 'source_url' must not contain spaces, backslashes, quotes "
        "or angle brackets"
    ]


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("https://www.youtube.com/watch?v=x", "www.youtube.com"),
        ("https://YouTube.com./x", "youtube.com."),
        ("https://bücher.example/", "xn--bcher-kva.example"),  # look-alike hosts shown in ASCII
    ],
)
def test_host_shown_is_the_host_opened(url: str, host: str) -> None:
    """The label of a source link is the real host, in ASCII."""
    assert link_host(url) == host


def test_markdown_target_escapes_parentheses() -> None:
    """A ')' in a link cannot end the Markdown link early."""
    assert markdown_link("https://en.wikipedia.org/wiki/Ive_(group)") == (
        "https://en.wikipedia.org/wiki/Ive_%28group%29"
    )
