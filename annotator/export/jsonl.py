"""The jsonl format: the records export/splice.py defines, written as bytes straight into the
output; for the gold and raw views of a big export a helper process writes the second half
(export/parallel.py)."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import IO

from annotator.export import splice
from annotator.export.parallel import Helper
from annotator.export.records import Job
from annotator.store import exporting


def write_jsonl(
    job: Job,
    out: IO[str],
    *,
    helper: Helper | None = None,
    meanwhile: Callable[[], None] = lambda: None,
) -> int:
    """JSON Lines; with a helper, it writes the second half and `meanwhile` runs while it
    does. A text stream without a binary buffer under it (io.StringIO) gets the same
    bytes, decoded."""
    store, schema, view = job.store, job.schema, job.view
    everything, progress = job.everything, job.progress
    arts = exporting.article_json(store)
    buffer = getattr(out, "buffer", None)
    if buffer is None:
        raw = io.BytesIO()
        n = splice.write_lines(
            store,
            view,
            raw,
            everything=everything,
            arts=arts,
            schema=schema,
            progress=progress,
            drop=job.drop,
        )
        out.write(raw.getvalue().decode())
        return n
    out.flush()
    if helper is None:
        return splice.write_lines(
            store,
            view,
            buffer,
            everything=everything,
            arts=arts,
            schema=schema,
            progress=progress,
            drop=job.drop,
        )
    n = splice.write_lines(
        store,
        view,
        buffer,
        everything=everything,
        arts=arts,
        hi=helper.lo,
        progress=lambda i: progress(i + helper.progress()),
        drop=job.drop,
    )
    meanwhile()
    done = helper.finish()
    if done is None:  # the helper failed: its half is written here, from the same snapshot
        return n + splice.write_lines(
            store,
            view,
            buffer,
            everything=everything,
            arts=arts,
            lo=helper.lo,
            progress=lambda i: progress(n + i),
            drop=job.drop,
        )
    helper.append_to(buffer)
    return n + done
