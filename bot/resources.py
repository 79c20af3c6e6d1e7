"""Files shipped inside the package (data, migrations), found through importlib.resources.

Never through the current directory: an installed Lightstick (pip, pipx, a container) finds the
same files as a checkout, wherever it is started from.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["MIGRATIONS_DIR", "data_path", "package_path"]


def package_path(*parts: str) -> Path:
    """Return the file-system path of a resource inside the `bot` package.

    Raises RuntimeError when the package is not installed as plain files (a zip import), which
    Lightstick does not support.
    """
    target = resources.files("bot").joinpath(*parts)
    if not isinstance(target, Path):
        raise RuntimeError(f"Lightstick must be installed as files; cannot read {'/'.join(parts)}")
    return target


def data_path(name: str) -> Path:
    """Return the path of a shipped data file in `bot/data/` (e.g. "catalog.json")."""
    return package_path("data", name)


# `bot/migrations` is the top-level `migrations/` folder: a link in a checkout, real files in a
# wheel (pyproject.toml ships them as package data).
MIGRATIONS_DIR = package_path("migrations")
