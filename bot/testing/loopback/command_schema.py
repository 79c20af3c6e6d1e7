"""Command schema checks of the loopback: what Discord refuses when a bot syncs its commands."""

from __future__ import annotations

import re
from typing import Any

from bot.testing.loopback.state import form_error

_NAME_RE = re.compile(r"^[-_\w]{1,32}$")


def validate_command(path: str, cmd: dict[str, Any], ctype: int) -> None:
    """Refuse a command Discord would refuse (name, description, options), as a 50035 form error."""
    name = cmd.get("name") or ""
    if not _NAME_RE.match(name) or (ctype == 1 and name != name.lower()):
        raise form_error(
            f"{path}.name",
            "APPLICATION_COMMAND_INVALID_NAME",
            f"Invalid name {name!r}",
            kind="command_schema",
        )
    if ctype == 1:
        desc = cmd.get("description") or ""
        if not 1 <= len(desc) <= 100:
            raise form_error(
                f"{path}.description",
                "BASE_TYPE_BAD_LENGTH",
                "Must be between 1 and 100 in length.",
                kind="command_schema",
            )
    validate_options(f"{path}.options", cmd.get("options") or [])


def validate_options(path: str, options: list[dict[str, Any]]) -> None:
    """Refuse options Discord would refuse: count, names, descriptions, choices, nesting."""
    if len(options) > 25:
        raise form_error(
            path, "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.", kind="command_schema"
        )
    seen_optional = False
    names: set[str] = set()
    for i, opt in enumerate(options):
        p = f"{path}.{i}"
        validate_command(p, {**opt, "options": None}, 1)
        if opt["name"] in names:
            raise form_error(
                f"{p}.name",
                "APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS",
                "Duplicate option",
                kind="command_schema",
            )
        names.add(opt["name"])
        if opt.get("type") in (1, 2):
            validate_options(f"{p}.options", opt.get("options") or [])
            continue
        if opt.get("required"):
            if seen_optional:
                raise form_error(
                    p,
                    "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                    "Required options must be placed before non-required options",
                    kind="command_schema",
                )
        else:
            seen_optional = True
        choices = opt.get("choices") or []
        if len(choices) > 25:
            raise form_error(
                f"{p}.choices",
                "BASE_TYPE_MAX_LENGTH",
                "Must be 25 or fewer in length.",
                kind="command_schema",
            )
        if choices and opt.get("autocomplete"):
            raise form_error(
                f"{p}.autocomplete",
                "APPLICATION_COMMAND_AUTOCOMPLETE_CHOICES",
                "Autocomplete and choices are exclusive",
                kind="command_schema",
            )
        for j, choice in enumerate(choices):
            if (
                not 1 <= len(str(choice.get("name", ""))) <= 100
                or len(str(choice.get("value", ""))) > 100
            ):
                raise form_error(
                    f"{p}.choices.{j}",
                    "BASE_TYPE_BAD_LENGTH",
                    "Must be between 1 and 100 in length.",
                    kind="command_schema",
                )
