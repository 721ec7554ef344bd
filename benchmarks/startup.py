"""Startup of the annotation screen: process start to the first sentence on a real terminal.

    .venv/bin/python benchmarks/startup.py            # on 1,000,000 sentences
    .venv/bin/python benchmarks/startup.py --quick    # on 100,000, fewer runs
    .venv/bin/python benchmarks/startup.py --smoke    # a tiny run: it still works (make test)

(d) startup, target median <= 0.5 s: process start to the first sentence of the article on
    the pty screen (tests/ptyterm.py), for `annotator annotate` on the big database and on
    the two sample articles, and for a bare Textual app (one Static) started the same way;
    the ratio ours / bare; whether the current sentence is on screen; then where the time
    goes (imports, `AnnotationSession()` and its queries).

Options and working copies: benchmarks/common.py.
"""

from __future__ import annotations

import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

# Standalone: import the project from this checkout, installed or not.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotator.session import AnnotationSession
from annotator.store import annotations as ann
from annotator.store.database import open_store
from annotator.store.progress import label_counts
from annotator.store.schemas import use_guidelines
from benchmarks.common import (
    ROOT,
    WHO,
    Mode,
    Section,
    annotate_argv,
    child_env,
    cursor_text,
    on_screen,
    row,
    run,
    snippet_of,
    terminal,
)

STARTUP_MEDIAN_S = 0.5
BARE_APP = """\
from textual.app import App, ComposeResult
from textual.widgets import Static


class Bare(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("The first sentence of a bare Textual app.")


Bare().run()
"""
BARE_TEXT = "The first sentence of a bare Textual app."


def opening(path: Path, who: str) -> tuple[list[str], str]:
    """Starts of the sentences of the article the screen opens on, and of the current one."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        texts = [
            str(r[0])
            for r in conn.execute(
                "SELECT text FROM sentences WHERE article_id = (SELECT article_id FROM sentences "
                "WHERE id = coalesce((SELECT cursor_sentence_id FROM annotators WHERE name = ?), "
                "(SELECT min(id) FROM sentences))) ORDER BY position",
                [who],
            )
        ]
    finally:
        conn.close()
    return [snippet_of(t) for t in texts], snippet_of(cursor_text(path, who), 60)


def startup_once(
    argv: list[str], first: Callable[[list[str]], bool], current: Callable[[list[str]], bool] | None
) -> tuple[float, bool | None]:
    """Seconds from process start to the first sentence on screen, and whether the current
    sentence is on screen once the output has settled."""
    term = terminal(argv)
    try:
        t = term.when(first, term.started, quiet=0.1)
        shown = None
        if current is not None:
            term.settle(0.5)
            term.catch_up()
            shown = current(term.lines())
    finally:
        term.stop()
    return t - term.started, shown


def import_seconds(code: str, runs: int) -> float:
    xs = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, env=child_env())
        xs.append(time.perf_counter() - t)
    return statistics.median(xs)


HEAVY = (
    "pandas",
    "numpy",
    "pyarrow",
    "pydantic",
    "sqlite_utils",
    "textual.app",
    "click",
    "markdown_it",
    "rich.console",
    "textstat",
)


def heavy_imports(code: str) -> list[tuple[str, float]]:
    """Top-level imports of the command and the known heavy libraries, by cumulative time."""
    err = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env=child_env(),
    ).stderr
    out = []
    for line in err.splitlines():
        parts = line.removeprefix("import time:").split("|")
        if len(parts) != 3 or not parts[1].strip().isdigit():
            continue
        depth = (len(parts[2]) - len(parts[2].lstrip()) - 1) // 2
        name = parts[2].strip()
        if (depth <= 1 and name.startswith("annotator")) or name in HEAVY:
            out.append((name, int(parts[1]) / 1000))
    return sorted(out, key=lambda x: -x[1])[:14]


Check = Callable[[list[str]], bool]  # is the screen there yet (its lines)


def showing(*snippets: str) -> Check:
    """Any of these sentence starts on screen (a closure per case: no loop variable in it)."""
    return lambda lines: on_screen(lines, *snippets)


def startup(big: Path, runs: int, work: Path, *, warm: bool = True) -> list[bool]:
    """`warm`: a first run of each command, not counted, so that every timed one finds the
    bytecode written (a smoke run, whose figures mean nothing, goes without: each of its
    starts cost 1.5-2 s of the test suite's time)."""
    imports = max(1, runs - 2)
    small = work / "samples.sqlite"
    subprocess.run(
        [sys.executable, "-m", "annotator", "--db", str(small), "import", str(ROOT / "samples")],
        check=True,
        cwd=ROOT,
        capture_output=True,
        env=child_env(),
    )
    bare = work / "bare_app.py"
    bare.write_text(BARE_APP)
    cases: list[tuple[str, list[str], Check, Check | None]] = []
    for name, db in (
        ("annotator annotate, big database", big),
        ("annotator annotate, 2 sample articles", small),
    ):
        snippets, now = opening(db, WHO)  # the current sentence's start
        cases.append(
            (
                name,
                annotate_argv(db, WHO),
                showing(*snippets),
                showing(now),
            )
        )
    cases.append(
        (
            "bare Textual app (one Static)",
            [sys.executable, str(bare)],
            lambda lines: any(BARE_TEXT in line for line in lines),
            None,
        )
    )
    times: dict[str, list[float]] = {c[0]: [] for c in cases}
    current_shown: dict[str, int] = {c[0]: 0 for c in cases}
    for _name, argv, first, current in cases if warm else []:  # not counted: bytecode
        startup_once(argv, first, current)
    for _ in range(runs):
        for name, argv, first, current in cases:
            seconds, shown = startup_once(argv, first, current)
            times[name].append(seconds * 1000)
            current_shown[name] += bool(shown)
    results = []
    for name, _, _, current in cases:
        target = None if current is None else STARTUP_MEDIAN_S * 1000
        note = (
            ""
            if current is None
            else (f"current sentence on screen after it settled: {current_shown[name]}/{runs} runs")
        )
        ok = row(name, times[name], target, note, stat="median")
        if target is not None:
            results.append(ok)
    bare_median = statistics.median(times[cases[2][0]])
    for name, _, _, _ in cases[:2]:
        print(
            f"  ratio ours / bare, {name.split(', ')[1]}: "
            f"{statistics.median(times[name]) / bare_median:.2f}x"
        )

    print(f"\n  where the time goes (median of {imports} fresh interpreters, wall time):")
    if warm:
        import_seconds("import annotator.cli, annotator.tui.app", 1)  # bytecode
    for what, code in (
        ("python -c pass", "pass"),
        ("import textual.app", "import textual.app"),
        (
            "import annotator.cli, annotator.tui.app (what the command loads)",
            "import annotator.cli, annotator.tui.app",
        ),
        (
            "  the same with pandas hidden (sqlite_utils imports it when installed)",
            "import sys; sys.modules['pandas'] = None; import annotator.cli, annotator.tui.app",
        ),
    ):
        print(f"  {import_seconds(code, imports) * 1000:8.0f} ms  {what}")
    print("  python -X importtime -c 'import annotator.cli, annotator.tui.app', cumulative:")
    for name, ms in heavy_imports("import annotator.cli, annotator.tui.app"):
        print(f"  {ms:8.0f} ms    {name}")
    store = open_store(big)
    g, _ = use_guidelines(store)
    xs = []
    for _ in range(5):
        t = time.perf_counter()
        AnnotationSession(store, g, WHO)
        xs.append((time.perf_counter() - t) * 1000)
    print(
        f"  {statistics.median(xs):8.0f} ms  AnnotationSession(...) on the big database, "
        "in process; its slowest queries:"
    )
    for sql in (
        "SELECT coalesce(sum(sentence_count), 0) FROM articles",
        "SELECT min(id), max(id) FROM sentences",
        "SELECT count(*) FROM articles WHERE id <= (SELECT max(id) / 2 FROM articles)",
        "SELECT (SELECT min(id) FROM sentences), (SELECT max(id) FROM sentences)",
    ):
        ts = []
        for _ in range(5):
            t = time.perf_counter()
            store.all(sql)
            ts.append((time.perf_counter() - t) * 1000)
        plan = "; ".join(p[3] for p in store.all("EXPLAIN QUERY PLAN " + sql))
        print(f"  {statistics.median(ts):8.2f} ms  {sql}\n{'':14s}plan: {plan}")
    aid = ann.annotator_id(store, WHO, create=False)
    t = time.perf_counter()
    label_counts(store, int(aid or 0))
    print(
        f"  {(time.perf_counter() - t) * 1000:8.0f} ms  label_counts(): the worker the screen "
        "starts after the first frame (off the event loop)"
    )
    store.close()
    return results


def sections(mode: Mode, edits: Path, path: Path, work: Path) -> list[Section]:
    runs = {"full": 7, "quick": 3, "smoke": 1}[mode]
    return [
        (
            f"(d) startup: process start -> first sentence on the pty screen ({runs} runs "
            "each, interleaved)",
            lambda: startup(path, runs, work, warm=mode != "smoke"),
        )
    ]


if __name__ == "__main__":
    run(__doc__ or "", sections, pty=True)
