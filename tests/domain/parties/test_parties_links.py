"""Party links: https only, no credentials, bounded, and labelled by platform."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.parties import classify_link
from bot.errors import InvalidInput


@pytest.mark.parametrize(
    ("url", "label"),
    [
        ("https://www.youtube.com/watch?v=abc", "YouTube"),
        ("https://youtu.be/abc", "YouTube"),
        ("https://m.youtube.com/watch?v=abc", "YouTube"),
        ("https://music.youtube.com/watch?v=abc", "YouTube Music"),
        ("https://open.spotify.com/album/123", "Spotify"),
        ("https://music.apple.com/kr/album/x/1", "Apple Music"),
        ("https://www.melon.com/album/detail.htm?albumId=1", "Melon"),
        ("https://www.genie.co.kr/detail/albumInfo?axnm=1", "Genie"),
        ("https://music.bugs.co.kr/album/1", "Bugs"),
        ("https://www.music-flo.com/detail/album/1", "FLO"),
        ("https://www.vlive.tv/video/1", "VLIVE"),
        ("https://weverse.io/bts/live/1", "Weverse"),
        ("https://www.tiktok.com/@user/video/1", "TikTok"),
        ("https://x.com/i/spaces/1", "X"),
        ("https://twitter.com/i/spaces/1", "X"),
        ("https://www.twitch.tv/somechannel", "Twitch"),
        ("https://example.org/party", None),
    ],
)
def test_platform_label(url: str, label: str | None) -> None:
    """Each known streaming host gets its label; any other https site gets none."""
    info = classify_link(url)
    assert info.url == url
    assert info.platform_label == label


def test_lookalike_host_is_not_labelled() -> None:
    """A host that merely starts with a platform's name is not that platform."""
    assert classify_link("https://youtube.com.evil.example/x").platform_label is None
    assert classify_link("https://notyoutube.com/x").platform_label is None


def test_angle_brackets_and_spaces_are_trimmed() -> None:
    """Embed-suppressing <...> and surrounding blanks are removed before validation."""
    assert classify_link("  <https://youtu.be/abc>  ").url == "https://youtu.be/abc"


@pytest.mark.parametrize(
    "url",
    [
        "http://youtu.be/abc",
        "javascript:alert(1)",
        "JAVASCRIPT://youtu.be/%0aalert(1)",
        "ftp://example.org/file",
        "https://user:pass@youtu.be/abc",
        "https://user@youtu.be/abc",
        "https://youtu.be/a b",
        "https://",
        "https://localhost/x",
        "youtu.be/abc",
        "https://youtu.be:99999/abc",
        "",
    ],
)
def test_rejected_links(url: str) -> None:
    """Non-https schemes, credentials, blanks, hostless and malformed URLs are refused."""
    with pytest.raises(InvalidInput):
        classify_link(url)


def test_length_limit_is_512() -> None:
    """A 512-character link is accepted and a 513-character one is refused."""
    base = "https://example.org/"
    ok = base + "a" * (512 - len(base))
    assert classify_link(ok).url == ok
    with pytest.raises(InvalidInput, match="512"):
        classify_link(ok + "a")


@given(st.text(max_size=80))
def test_arbitrary_text_never_crashes(text: str) -> None:
    """Any text either classifies as an https link or raises InvalidInput, nothing else."""
    try:
        info = classify_link(text)
    except InvalidInput:
        return
    assert info.url.lower().startswith("https://")
