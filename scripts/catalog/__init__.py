"""The catalog generator: translate the shared data, fix it, check it, write bot/data/catalog.json.

- `sources.py`: the datasets' source strings and small text helpers.
- `translate.py`: a straight translation of the shared files into the catalog's shape (no fixes).
- `people.py`: one person, one record: merge duplicate people and move their memberships.
- `fixes.py`: the fixes (labels, statuses, sub-units, aliases, Hangul names) applied in order.
- `corrections.py`: the hand-researched corrections file, each line with its source.
- `checks.py`: the contradictions the build refuses, counted per kind for the report.
- `build.py`: the command line: translate, report before, fix, report after, validate, write.
"""
