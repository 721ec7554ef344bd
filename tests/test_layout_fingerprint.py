"""The layout pass gives, on every input we have, exactly the segments stored in
tests/data/layout_fingerprint.json: a speed change must not move one byte. After a
deliberate change of segments, regenerate the file with
`.venv/bin/python benchmarks/layout_fingerprint.py --write` and say so in the commit."""

from __future__ import annotations

import json

import pytest

from benchmarks.layout_fingerprint import CORPUS, STORED, fingerprints
from tests.conftest import SHARED


@pytest.mark.skipif(
    not (CORPUS / "txt").is_dir() or not (SHARED / "seeds").is_dir(),
    reason="../shared/news_corpus and ../shared/seeds are not present",
)
def test_layout_gives_the_stored_fingerprint_on_every_input() -> None:
    stored = json.loads(STORED.read_text(encoding="utf-8"))
    now = fingerprints()
    differ = sorted(k for k in stored.keys() | now.keys() if stored.get(k) != now.get(k))
    assert not differ, (
        f"{len(differ)} of {len(now)} inputs lay out differently: {differ[:20]}; if on "
        "purpose, run `.venv/bin/python benchmarks/layout_fingerprint.py --write`"
    )
