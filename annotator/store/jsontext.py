"""The one JSON form of the data we store: compact, text as it is (no \\u escapes), keys in
the order given.

Key order is not sorted: what compares stored JSON as text (the dispute test in gold.py
compares `annotations.labels || fields`) is built from sorted tuples before it gets here,
and everything else is read back with json.loads. Export records are built by SQL's json()
(migration 0003), which normalises whatever is stored.
"""

from __future__ import annotations

import json


def dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
