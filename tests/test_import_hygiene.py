"""The core stays headless: only annotator.tui imports Textual or Rich."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT

CORE = [
    "annotator.cli",
    "annotator.schema",
    "annotator.guidelines",
    "annotator.ingest.articles",
    "annotator.store.database",
    "annotator.store.annotations",
    "annotator.session",
    "annotator.labeling",
    "annotator.safetext",
]


def test_core_does_not_import_textual_or_rich() -> None:
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in CORE)
        + "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        + "print(','.join(bad))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    ).stdout.strip()
    assert out == "", f"textual/rich imported by the core: {out}"


def test_no_module_outside_tui_imports_them() -> None:
    offenders = []
    for path in (ROOT / "annotator").rglob("*.py"):
        if "tui" in path.relative_to(ROOT / "annotator").parts[:1]:
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            s = line.strip()
            if s.startswith(("import textual", "from textual", "import rich", "from rich")):
                offenders.append(f"{path.relative_to(ROOT)}: {s}")
    assert offenders == []
