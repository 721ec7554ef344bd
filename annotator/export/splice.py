"""jsonl gold and raw records spliced from the JSON bytes the database keeps: the hot loop of
the default export, shared by the exporting process and its helper (export/parallel.py).

Each record must equal records.gold_line / records.raw_lines (tests/test_export.py checks).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import BinaryIO

from annotator.store import exporting
from annotator.store.database import Store


def write_lines(
    store: Store,
    view: str,
    out: BinaryIO,
    *,
    everything: bool,
    arts: dict[int, bytes],
    lo: int | None = None,
    hi: int | None = None,
    progress: Callable[[int], None] = lambda n: None,
) -> int:
    """Write the records of sentences [lo, hi) for the gold or raw view; returns how many.
    `progress` gets the number of sentences read so far, every 5,000."""
    n = 0
    batch: list[bytes] = []
    join = b"".join
    raw = view == "raw"
    rows = exporting.groups(
        store, everything=everything, joiner=b"\n" if raw else b",", lo=lo, hi=hi
    )
    # runs once per exported sentence: no calls but the bytes joins, local names only
    for i, (_sid, aid, sjson, anns, gold) in enumerate(rows):
        if not i % 5000:
            progress(i)
        if raw:
            if anns:
                head = sjson[:-1] + b',"article":' + arts[aid] + b',"view":"raw",'
                lines = [head + a[1:] + b"\n" for a in anns.split(b"\n")]
                batch.extend(lines)
                n += len(lines)
        else:
            batch.append(
                join(
                    (
                        sjson[:-1],
                        b',"article":',
                        arts[aid],
                        b',"annotations":[',
                        anns,
                        b'],"gold":',
                        gold or b"null",
                        b',"view":"gold","labels":',
                        gold[10 : gold.index(b"]") + 1] if gold else b"null",
                        b"}\n",
                    )
                )
            )
            n += 1
        if len(batch) >= 2000:  # fewer, larger writes
            out.write(join(batch))
            batch.clear()
    out.write(join(batch))
    return n
