"""Secrets never reach a log line, even inside a traceback."""

from __future__ import annotations

import logging

from pydantic import SecretStr

from bot.logs import REDACTED, SecretFilter


def test_secret_filter_redacts_messages_and_tracebacks() -> None:
    """Configured tokens are replaced in messages, arguments and exception text."""
    secret = "tok-123456"
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "auth %s failed", (secret,), None)
    assert SecretFilter([SecretStr(secret), None]).filter(record)
    assert secret not in record.getMessage()
    assert REDACTED in record.getMessage()
    try:
        raise RuntimeError(f"bad token {secret}")
    except RuntimeError:
        import sys

        exc_record = logging.LogRecord("x", logging.ERROR, __file__, 1, "oops", (), sys.exc_info())
    SecretFilter([SecretStr(secret)]).filter(exc_record)
    rendered = logging.Formatter().format(exc_record)
    assert secret not in rendered
    assert "RuntimeError" in rendered
