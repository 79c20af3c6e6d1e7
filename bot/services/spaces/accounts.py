"""Turn what a moderator typed (an act, an @handle, a profile link) into X accounts to follow."""

from __future__ import annotations

from dataclasses import dataclass

from bot.clients.x import XClient
from bot.domain.catalog import Catalog, Entry
from bot.domain.spaces.keys import handle_key, normalise_handle
from bot.errors import InvalidInput, NotFound, Upstream, UpstreamError
from bot.store.spaces_tracking import SpaceTrackingRepo


@dataclass(frozen=True, slots=True)
class FollowTarget:
    """An act (or a raw handle) and the X handles to follow for it."""

    artist_id: str | None
    artist_name: str
    handles: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Account:
    """A resolved X account."""

    handle_key: str
    username: str
    user_id: str


def _act_with_handle(catalog: Catalog | None, handle: str) -> Entry | None:
    if catalog is None:
        return None
    key = handle_key(handle)
    return next(
        (e for e in catalog.with_x_handles() if key in {handle_key(h.handle) for h in e.x_handles}),
        None,
    )


def act_name_of(catalog: Catalog | None, handle: str) -> str:
    """Return the catalog act's name for an X @handle it lists, else the handle as given."""
    entry = _act_with_handle(catalog, handle)
    return entry.name if entry is not None else handle


def _from_entry(entry: Entry) -> FollowTarget:
    if not entry.x_handles:
        raise NotFound(
            f"I have no official X handle for {entry.name}. Follow their @handle directly."
        )
    return FollowTarget(
        entry.id, entry.name, tuple(h.handle.removeprefix("@") for h in entry.x_handles)
    )


def resolve_target(catalog: Catalog | None, text: str) -> FollowTarget:
    """Resolve an autocomplete id, an act's name, or an @handle/profile link to a follow target.

    Raises NotFound when nothing matches and InvalidInput for a malformed handle.
    """
    raw = text.strip()
    if catalog is not None and (entry := catalog.get(raw)) is not None:
        return _from_entry(entry)
    looks_like_handle = raw.startswith("@") or "x.com/" in raw or "twitter.com/" in raw
    if not looks_like_handle and catalog is not None:
        resolution = catalog.resolve(raw)
        if resolution.entry is not None:
            return _from_entry(resolution.entry)
        if resolution.kind == "ambiguous":
            names = ", ".join(m.entry.name for m in resolution.matches[:5])
            raise InvalidInput(
                f"“{raw[:50]}” could be several acts ({names}); pick one from the list."
            )
    try:
        handle = normalise_handle(raw)
    except InvalidInput:
        if looks_like_handle:
            raise
        raise NotFound(
            "I couldn't find that act. Pick one from the list, or give an X handle like @BTS_twt."
        ) from None
    entry = _act_with_handle(catalog, handle)
    if entry is not None:
        return FollowTarget(entry.id, entry.name, (handle,))
    return FollowTarget(None, "@" + handle, (handle,))


async def resolve_accounts(
    tracking: SpaceTrackingRepo, client: XClient, handles: tuple[str, ...]
) -> list[Account]:
    """Return the X accounts of these handles (cache first); raise NotFound for unknown ones."""
    found: list[Account] = []
    missing: list[str] = []
    for handle in handles:
        cached = await tracking.cached_account(handle_key(handle))
        if cached is None:
            missing.append(handle)
        else:
            found.append(Account(handle_key(handle), cached[1], cached[0]))
    if missing:
        try:
            users, _ = await client.users_by_usernames(missing)
        except UpstreamError as exc:
            raise Upstream(f"X did not answer ({exc.message[:150]}). Try again later.") from None
        by_key = {u.username.lower(): u for u in users}
        for handle in missing:
            user = by_key.get(handle_key(handle))
            if user is None:
                raise NotFound(f"X has no account @{handle}.")
            await tracking.save_account(user.id, user.username, user.name)
            found.append(Account(handle_key(handle), user.username, user.id))
    return found
