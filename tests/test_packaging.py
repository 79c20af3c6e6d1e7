"""The project as an operator installs it: a wheel in a fresh venv, run from another directory."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from bot.store.migrate import latest_version

ROOT = Path(__file__).resolve().parent.parent

# What never goes into a build: the checkout's own venv, caches, earlier build output, and the
# top-level runtime folders (`data/` holds a developer's database; `bot/data/` is shipped).
_NOT_SOURCE = shutil.ignore_patterns(
    ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".*_cache"
)


def _ignore(folder: str, names: list[str]) -> set[str]:
    skipped = set(_NOT_SOURCE(folder, names))
    if Path(folder) == ROOT:
        skipped |= {"data", ".env"} & set(names)
    return skipped


def run(
    cmd: list[str], cwd: Path, timeout: float = 240, extra_env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DISCORD_", "X_", "DATABASE_", "PYTHON", "VIRTUAL_ENV"))
    }
    env.update(extra_env or {})
    return subprocess.run(
        cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build a wheel from a copy of the checkout and install it into a fresh venv; return the venv.

    The venv reaches the pinned runtime dependencies of the interpreter running the tests through
    a .pth file (so no download), and `pip install --no-index` fails if the wheel asks for one
    that is not there. The checkout itself is never on its path.
    """
    base = tmp_path_factory.mktemp("packaging")
    source = base / "source"
    shutil.copytree(ROOT, source, symlinks=True, ignore=_ignore)
    wheels = base / "wheels"
    built = run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), "."], source
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = wheels.glob("lightstick-*.whl")

    env_dir = base / "venv"
    venv.create(env_dir, with_pip=True)
    purelib = Path(
        run(
            [
                str(env_dir / "bin" / "python"),
                "-c",
                "import sysconfig; print(sysconfig.get_paths()['purelib'])",
            ],
            base,
        ).stdout.strip()
    )
    (purelib / "runner-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    pip = [str(env_dir / "bin" / "python"), "-m", "pip", "install", "-q", "--no-index", str(wheel)]
    done = run(pip, base)
    assert done.returncode == 0, done.stderr
    return env_dir


def installed_bot(env_dir: Path) -> Path:
    """Return the folder of the `bot` package the venv imports."""
    where = run([str(env_dir / "bin" / "python"), "-c", "import bot; print(bot.__file__)"], env_dir)
    assert where.returncode == 0, where.stderr
    return Path(where.stdout.strip()).parent


@pytest.mark.timeout(300)
def test_installed_wheel_checks_from_another_directory(installed: Path, tmp_path: Path) -> None:
    """`lightstick --check` from an installed wheel, run elsewhere, reaches the latest schema."""
    package = installed_bot(installed)
    assert package.is_relative_to(installed), f"the venv imports the checkout: {package}"
    migrations = package / "migrations"
    assert not migrations.is_symlink()
    for folder in (migrations, migrations / "postgresql"):
        in_checkout = ROOT / "migrations" / folder.relative_to(migrations)
        shipped = sorted(p.name for p in folder.glob("*.sql"))
        assert shipped == sorted(p.name for p in in_checkout.glob("*.sql"))
        assert shipped, folder
    result = run([str(installed / "bin" / "lightstick"), "--check"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"check ok: schema v{latest_version()}," in result.stderr
    assert not (tmp_path / "data").exists()


@pytest.mark.timeout(300)
def test_installed_wheel_checks_on_postgresql(installed: Path, tmp_path: Path, pg_url: str) -> None:
    """`lightstick --check` with a PostgreSQL DATABASE_URL migrates a scratch schema there."""
    env = {"DATABASE_URL": pg_url}
    result = run([str(installed / "bin" / "lightstick"), "--check"], tmp_path, extra_env=env)
    assert result.returncode == 0, result.stderr
    assert f"check ok: schema v{latest_version()}," in result.stderr
    health = run([str(installed / "bin" / "lightstick"), "--health"], tmp_path, extra_env=env)
    assert health.returncode == 3, health.stderr
    assert "schema version 0 is not this Lightstick's version" in health.stderr


@pytest.mark.timeout(300)
def test_installed_wheel_ships_every_package_resource(installed: Path) -> None:
    """Data, the sandbox page and the testing kit's fixtures travel with the installed package."""
    package = installed_bot(installed)
    for folder, pattern in [
        ("data", "*.json"),
        ("sandbox/static", "*.*"),
        ("testing/musicbrainz_fixtures", "*.json"),
    ]:
        shipped = sorted(p.name for p in (package / folder).glob(pattern))
        in_checkout = sorted(p.name for p in (ROOT / "bot" / folder).glob(pattern))
        assert shipped == in_checkout, folder
        assert shipped, folder


@pytest.mark.timeout(300)
def test_installed_wheel_without_migrations_fails_closed(installed: Path, tmp_path: Path) -> None:
    """With the installed migrations folder emptied, `lightstick --check` exits 3 naming it."""
    migrations = installed_bot(installed) / "migrations"
    for sql in migrations.glob("*.sql"):
        sql.unlink()
    result = run([str(installed / "bin" / "lightstick"), "--check"], tmp_path)
    assert result.returncode == 3, result.stderr
    assert f"check failed: no migration files found in {migrations}" in result.stderr
    assert "check ok" not in result.stderr
    assert "Traceback" not in result.stderr
