"""Row leases: how one process claims a delivery or a reminder so that no other one sends it too.

A row being sent carries `claimed_by` (the process's holder id, host:pid:random) and
`lease_until` (epoch seconds). Another holder may take the row over only once the lease has run
out (or when the row has none); a holder finishes only rows it still holds, so a process that
lost its claim while it stalled cannot overwrite the outcome of the process that took over.
"""

from __future__ import annotations

from bot.store.backend import Database

# How long a claim holds without renewal. Holders renew while they send (every third of it).
LEASE_SECONDS = 60

# A row in flight that another holder may take over: no lease, or one that ran out.
LEASE_EXPIRED = "(lease_until IS NULL OR lease_until < :now)"


def lock_rows(db: Database) -> str:
    """Return the clause that locks the rows a claim selects, skipping rows another claimer
    holds: `FOR UPDATE SKIP LOCKED` on PostgreSQL; nothing on SQLite, whose write transaction
    (BEGIN IMMEDIATE) already holds the whole database."""
    return " FOR UPDATE SKIP LOCKED" if db.dialect == "postgresql" else ""
