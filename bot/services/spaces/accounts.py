"""Turn what a moderator typed (an act, an @handle, a profile link) into X accounts to follow."""

from __future__ import annotations

from dataclasses import dataclass

from bot.clients.x import XClient
from bot.domain.catalog import Catalog, Entry
from bot.domain.spaces.keys import handle_key, normalise_handle
from bot.errors import NotFound, Upstream, UpstreamError
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


def act_with_handle(catalog: Catalog | None, handle: str) -> Entry | None:
    """Return the catalog act whose official X handle `handle` is (any case, @ or not)."""
    if catalog is None:
        return None
    key = handle_key(handle)
    return next(
        (e for e in catalog.with_x_handles() if key in {handle_key(h.handle) for h in e.x_handles}),
        None,
    )


def act_name_of(catalog: Catalog | None, handle: str) -> str:
    """Return the catalog act's name for an X @handle it lists, else the handle as given."""
    entry = act_with_handle(catalog, handle)
    return entry.name if entry is not None else handle


def looks_like_handle(text: str) -> bool:
    """Say whether `text` is written as an X account: an @handle or a profile link."""
    raw = text.strip()
    return raw.startswith("@") or "x.com/" in raw or "twitter.com/" in raw


def entry_target(entry: Entry) -> FollowTarget:
    """Return the follow target of a catalog act: all its official X handles.

    Raises NotFound when the catalog knows no official X handle for it.
    """
    if not entry.x_handles:
        raise NotFound(
            f"I have no official X handle for {entry.name}. Follow their @handle directly."
        )
    return FollowTarget(
        entry.id, entry.name, tuple(h.handle.removeprefix("@") for h in entry.x_handles)
    )


def handle_target(catalog: Catalog | None, text: str) -> FollowTarget:
    """Return the follow target of one X account (@handle, profile link or bare handle).

    The act it belongs to is named when the catalog knows the handle. Raises InvalidInput for
    text that is not a handle.
    """
    handle = normalise_handle(text.strip())
    entry = act_with_handle(catalog, handle)
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
