"""The sandbox's web app: one page (package data in `static/`) and the JSON endpoints it polls."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from aiohttp import web

from bot.sandbox.session import Sandbox, SandboxError

SANDBOX_KEY = web.AppKey("sandbox", Sandbox)
STATIC_TYPES = {".html": "text/html", ".css": "text/css", ".js": "text/javascript"}
MAX_OPTION_TEXT = 6000
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost"})


def build_app(sandbox: Sandbox) -> web.Application:
    """Return the aiohttp application serving the page and its API for this sandbox."""
    app = web.Application(middlewares=[_local_only, _errors], client_max_size=1024 * 1024)
    app[SANDBOX_KEY] = sandbox
    app.router.add_get("/", _index)
    app.router.add_get("/static/{name}", _static)
    app.router.add_get("/attachments/{id}/{filename}", _attachment)
    app.router.add_get("/api/world", _world)
    app.router.add_get("/api/commands", _commands)
    app.router.add_get("/api/messages", _messages)
    app.router.add_get("/api/latest", _latest)
    app.router.add_get("/api/logs", _logs)
    app.router.add_get("/api/x", _x_state)
    app.router.add_post("/api/slash", _slash)
    app.router.add_post("/api/autocomplete", _autocomplete)
    app.router.add_post("/api/click", _click)
    app.router.add_post("/api/modal", _modal)
    app.router.add_post("/api/x/space", _space)
    return app


def _ok(payload: Any) -> web.Response:
    return web.json_response(payload, dumps=lambda o: json.dumps(o, ensure_ascii=False))


@web.middleware
async def _local_only(request: web.Request, handler: Any) -> web.StreamResponse:
    """Answer only this computer's browser: a page elsewhere cannot drive the sandbox.

    A foreign Host header (DNS rebinding) gets 403; a POST that is not JSON (a cross-site form,
    which browsers send without asking) gets 415.
    """
    host = (request.host or "").rpartition(":")[0] or request.host
    if host not in LOCAL_HOSTS:
        return web.json_response({"error": "the sandbox answers 127.0.0.1 only"}, status=403)
    if request.method == "POST" and request.content_type != "application/json":
        return web.json_response({"error": "send JSON"}, status=415)
    return await handler(request)  # type: ignore[no-any-return]


@web.middleware
async def _errors(request: web.Request, handler: Any) -> web.StreamResponse:
    """Turn a refusal into {"error": text} with status 400 the page shows to the person."""
    try:
        return await handler(request)  # type: ignore[no-any-return]
    except SandboxError as exc:
        return web.json_response({"error": str(exc)}, status=400)
    except (KeyError, ValueError, TypeError) as exc:
        return web.json_response({"error": f"bad request: {exc}"}, status=400)


def _box(request: web.Request) -> Sandbox:
    return request.app[SANDBOX_KEY]


def _int(value: Any, name: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be an id") from None


def _person(box: Sandbox, value: Any) -> int:
    return box.demo.person(_int(value, "user")).member.id


def _channel(box: Sandbox, value: Any) -> int:
    channel_id = _int(value, "channel")
    if channel_id not in {c.id for c in box.demo.channels}:
        raise ValueError("unknown channel")
    return channel_id


async def _body(request: web.Request) -> dict[str, Any]:
    data = await request.json()
    if not isinstance(data, dict):
        raise ValueError("expected a JSON object")
    return data


def _options(raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise ValueError("options must be an object")
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if isinstance(value, str) and len(value) > MAX_OPTION_TEXT:
            raise ValueError(f"option {key} is too long")
        out[str(key)] = value
    return out


async def _index(request: web.Request) -> web.StreamResponse:
    return await _serve_file("index.html")


async def _static(request: web.Request) -> web.StreamResponse:
    return await _serve_file(request.match_info["name"])


async def _serve_file(name: str) -> web.StreamResponse:
    suffix = name[name.rfind(".") :] if "." in name else ""
    if "/" in name or "\\" in name or suffix not in STATIC_TYPES:
        raise web.HTTPNotFound
    item = resources.files("bot.sandbox").joinpath("static", name)
    if not item.is_file():
        raise web.HTTPNotFound
    return web.Response(
        body=item.read_bytes(),
        content_type=STATIC_TYPES[suffix],
        charset="utf-8",
        headers={"Cache-Control": "no-store"},
    )


async def _attachment(request: web.Request) -> web.StreamResponse:
    """Serve a file the bot uploaded (the party .ics) as a download."""
    item = _box(request).loopback.messages.cdn.get(_int(request.match_info["id"], "attachment"))
    if item is None:
        raise web.HTTPNotFound
    filename, data, ctype = item
    safe = "".join(c for c in filename if c.isalnum() or c in "._-") or "attachment"
    return web.Response(
        body=data,
        headers={"Content-Type": ctype, "Content-Disposition": f'attachment; filename="{safe}"'},
    )


async def _world(request: web.Request) -> web.Response:
    box = _box(request)
    bot = box.loopback.bot_user
    return _ok({**box.demo.payload(), "bot": {"id": str(bot.id), "name": bot.username}})


async def _commands(request: web.Request) -> web.Response:
    box = _box(request)
    return _ok(box.commands(_person(box, request.query.get("user"))))


async def _messages(request: web.Request) -> web.Response:
    box = _box(request)
    channel = _channel(box, request.query.get("channel"))
    return _ok(box.feed(channel, _person(box, request.query.get("user"))))


async def _latest(request: web.Request) -> web.Response:
    """Return {channel id: newest message id this person sees there} for unread badges."""
    box = _box(request)
    user = _person(box, request.query.get("user"))
    newest: dict[str, str | None] = {}
    for channel in box.demo.channels:
        feed = box.feed(channel.id, user)
        newest[str(channel.id)] = feed[-1]["id"] if feed else None
    return _ok(newest)


async def _logs(request: web.Request) -> web.Response:
    after = _int(request.query.get("after", "0"), "after")
    return _ok(_box(request).logs.since(after))


async def _x_state(request: web.Request) -> web.Response:
    box = _box(request)
    return _ok(box.x_state(await box.followed_handles()))


async def _slash(request: web.Request) -> web.Response:
    box, data = _box(request), await _body(request)
    return _ok(
        await box.slash(
            _person(box, data.get("user")),
            _channel(box, data.get("channel")),
            str(data["command"]),
            _options(data.get("options", {})),
        )
    )


async def _autocomplete(request: web.Request) -> web.Response:
    box, data = _box(request), await _body(request)
    choices = await box.autocomplete(
        _person(box, data.get("user")),
        _channel(box, data.get("channel")),
        str(data["command"]),
        _options(data.get("options", {})),
        str(data["focused"]),
    )
    return _ok(choices)


async def _click(request: web.Request) -> web.Response:
    box, data = _box(request), await _body(request)
    values = data.get("values")
    if values is not None and not isinstance(values, list):
        raise ValueError("values must be a list")
    return _ok(
        await box.click(
            _person(box, data.get("user")),
            _int(data.get("message"), "message"),
            str(data["custom_id"]),
            [str(v) for v in values] if values is not None else None,
        )
    )


async def _modal(request: web.Request) -> web.Response:
    box, data = _box(request), await _body(request)
    values = data.get("values") or {}
    if not isinstance(values, dict):
        raise ValueError("values must be an object")
    return _ok(
        await box.submit_modal(
            _person(box, data.get("user")),
            _int(data.get("interaction"), "interaction"),
            {str(k): v for k, v in values.items()},
        )
    )


async def _space(request: web.Request) -> web.Response:
    box, data = _box(request), await _body(request)
    handle = str(data["handle"]).removeprefix("@")
    if handle not in await box.followed_handles():
        raise SandboxError(f"@{handle} is not followed in this server: use /spaces follow first.")
    await box.space_action(
        handle,
        str(data["action"]),
        listeners=_int(data.get("listeners") or 0, "listeners"),
        title=str(data.get("title") or "")[:200],
    )
    return _ok({"ok": True})
