"""The UserError family: failures a person caused or can act on, shown to them as they are."""

from __future__ import annotations


class UserError(Exception):
    """A failure whose message is safe and useful to show the person who triggered it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(UserError):
    """The thing asked for does not exist (no act, no party, no follow)."""


class NotAllowed(UserError):
    """The person (or the bot) lacks the permission this needs."""


class Conflict(UserError):
    """The request clashes with current state (a game already running, a duplicate follow)."""


class InvalidInput(UserError):
    """An option's value cannot be used as given (bad time, bad URL, too long)."""


class Upstream(UserError):
    """A service we depend on (X, MusicBrainz, Discord) failed or refused; try again later."""


class UpstreamError(Exception):
    """Raised by bot/clients when a remote API fails; carries a safe, token-free description.

    `retry_after` is seconds to wait when the service said so; `fatal` marks auth failures
    (401/403) after which polling must stop until an operator fixes the configuration;
    `usage_capped` marks X's monthly usage cap (no request succeeds until `retry_after`).
    """

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        retry_after: float | None = None,
        fatal: bool = False,
        usage_capped: bool = False,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.retry_after = retry_after
        self.fatal = fatal
        self.usage_capped = usage_capped
