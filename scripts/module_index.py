"""Print the one-line-per-module index of a package folder for its README (`bot` or `cogs`).

Run: `python scripts/module_index.py bot` and paste under the README's heading; the meta test
tests/test_layers.py fails when a module is missing from its folder's README.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def index(folder: str) -> list[str]:
    """Return "- `relative/path.py`: first docstring line" for every module under `folder`."""
    base = ROOT / folder
    lines = []
    for path in sorted(base.rglob("*.py")):
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
        first = doc.strip().splitlines()[0] if doc.strip() else "(no docstring)"
        lines.append(f"- `{path.relative_to(base)}`: {first}")
    return lines


if __name__ == "__main__":
    sys.stdout.write("\n".join(index(sys.argv[1] if len(sys.argv) > 1 else "bot")) + "\n")
