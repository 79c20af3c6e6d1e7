"""Logging set-up with a filter that keeps secrets out of every log line."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable

from pydantic import SecretStr

REDACTED = "[redacted]"


class SecretFilter(logging.Filter):
    """Replace any configured secret value that would appear in a record with a marker."""

    def __init__(self, secrets: Iterable[SecretStr | None]) -> None:
        super().__init__()
        self._secrets = [s.get_secret_value() for s in secrets if s and s.get_secret_value()]

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact the rendered message (and traceback text) in place."""
        if not self._secrets:
            return True
        message = record.getMessage()
        redacted = message
        for secret in self._secrets:
            redacted = redacted.replace(secret, REDACTED)
        if redacted != message:
            record.msg, record.args = redacted, None
        if record.exc_info and record.exc_info[1] is not None:
            text = logging.Formatter().formatException(record.exc_info)
            if any(secret in text for secret in self._secrets):
                for secret in self._secrets:
                    text = text.replace(secret, REDACTED)
                record.exc_text = text
                record.exc_info = None
        return True


def configure_logging(level: str, secrets: Iterable[SecretStr | None]) -> None:
    """Send logs to stderr at `level`, with secrets redacted."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)-8s %(name)s: %(message)s", "%Y-%m-%d %H:%M:%S")
    )
    handler.addFilter(SecretFilter(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    logging.getLogger("discord.http").setLevel(max(logging.getLevelName(level), logging.INFO))
    logging.getLogger("httpx").setLevel(logging.WARNING)
