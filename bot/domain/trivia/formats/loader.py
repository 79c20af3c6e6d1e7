"""Read a pack file into plain data where every scalar is the text the moderator typed.

YAML is read with PyYAML's `BaseLoader` (libyaml's `CBaseLoader` when available), which
resolves no implicit types: `11:11` stays "11:11" (a YAML 1.1 loader makes it the sexagesimal
671), `0606` stays "0606", `Off`, `~` and `2016-08-08` stay text. Before anything is built
the event stream is scanned and anchors, aliases, explicit tags and deep nesting are refused:
aliases (and the `<<` merge keys built on them) are how a few hundred bytes expand into
gigabytes, and refusing them at the first event costs nothing.
JSON numbers are kept as their source text too (`1.10` stays "1.10").
"""

from __future__ import annotations

import json
from typing import Any

import yaml

from bot.domain.trivia.model import PACK_BYTES_MAX, PackInvalid

# libyaml's parser (when PyYAML was built with it) is several times faster than the pure-Python
# one. Only its event stream is used: the data is built here one event at a time, so the thread
# doing it gives the GIL back between events and the event loop keeps running (libyaml's own
# `load` builds the whole document in one C call that holds the GIL).
_LOADER: Any = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
MAX_DEPTH = 8  # a pack is at most mapping > list > question > list of answers
_STR_TAGS = frozenset({None, "!", "tag:yaml.org,2002:str"})
_NO_KEY = object()


def _where(event: yaml.Event) -> str:
    mark = event.start_mark
    return f" (line {mark.line + 1})" if mark is not None else ""


def _check(event: yaml.Event) -> None:
    """Refuse aliases, anchors and tags: the features that expand or retype a document."""
    if isinstance(event, yaml.AliasEvent):
        raise PackInvalid(
            [
                f"aliases (*name) and merge keys (<<) aren't allowed{_where(event)}: "
                "write each question out in full"
            ]
        )
    if getattr(event, "anchor", None) is not None:
        raise PackInvalid(
            [f"anchors (&name) aren't allowed{_where(event)}: write each question out in full"]
        )
    tag = getattr(event, "tag", None)
    if tag not in _STR_TAGS:
        raise PackInvalid([f"tags like {tag} aren't allowed{_where(event)}"])


def load_yaml_text(text: str) -> object:
    """Build plain data (dict, list, str) from YAML text, refusing what `_check` refuses, deep
    nesting, keys that are not text, repeated keys and more than one document; None if empty."""
    root: object = None
    # Each open collection with, for a mapping, the key waiting for its value.
    stack: list[tuple[list[object] | dict[str, object], list[object]]] = []
    documents = 0

    def add(value: object, event: yaml.Event) -> None:
        nonlocal root
        if not stack:
            root = value
            return
        container, pending = stack[-1]
        if isinstance(container, list):
            container.append(value)
        elif pending[0] is _NO_KEY:
            if not isinstance(value, str):
                raise PackInvalid([f"keys must be plain text{_where(event)}"])
            if value in container:
                raise PackInvalid([f"the key {value[:40]!r} appears twice{_where(event)}"])
            pending[0] = value
        else:
            container[str(pending[0])] = value
            pending[0] = _NO_KEY

    for event in yaml.parse(text, Loader=_LOADER):
        _check(event)
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise PackInvalid([f"the file must hold one document{_where(event)}"])
        elif isinstance(event, yaml.ScalarEvent):
            add(event.value, event)
        elif isinstance(event, yaml.CollectionStartEvent):
            if len(stack) >= MAX_DEPTH:
                raise PackInvalid([f"the file is nested too deeply{_where(event)}"])
            new: list[object] | dict[str, object] = (
                [] if isinstance(event, yaml.SequenceStartEvent) else {}
            )
            add(new, event)
            stack.append((new, [_NO_KEY]))
        elif isinstance(event, yaml.CollectionEndEvent):
            stack.pop()
    return root


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed")


def is_json(filename: str) -> bool:
    """Say whether a pack file is read as JSON (by its extension)."""
    return filename.lower().endswith(".json")


def read_document(data: bytes, filename: str) -> object:
    """Return the file's data (dicts, lists, str, and JSON true/false/null); raise PackInvalid."""
    if len(data) > PACK_BYTES_MAX:
        raise PackInvalid([f"the file is larger than {PACK_BYTES_MAX // 1024} KB"])
    lower = filename.lower()
    if not lower.endswith((".yaml", ".yml", ".json")):
        raise PackInvalid(["the file must be .yaml, .yml or .json"])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PackInvalid(["the file is not UTF-8 text"]) from None
    kind = "JSON" if is_json(lower) else "YAML"
    try:
        if kind == "JSON":
            return json.loads(text, parse_int=str, parse_float=str, parse_constant=_refuse_constant)
        return load_yaml_text(text)
    except PackInvalid:
        raise
    # Hostile input makes parsers raise more than their own error type (RecursionError on deep
    # nesting, ValueError on bad constants): any failure means "not a readable file", never a crash.
    except Exception as exc:
        where = ""
        mark = getattr(exc, "problem_mark", None)
        if mark is not None:
            where = f" (line {mark.line + 1})"
        elif isinstance(exc, json.JSONDecodeError):
            where = f" (line {exc.lineno})"
        raise PackInvalid([f"the file is not valid {kind}{where}"]) from None
