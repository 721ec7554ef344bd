"""The real command in a real pseudo-terminal: kill -9 loses nothing that was shown, two
annotators work at once, hostile text never reaches the terminal, a terminal that goes away
ends the app."""

from __future__ import annotations

import contextlib
import glob
import json
import os
import pty
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from textual.screen import Screen

from annotator.tui.terminal_driver import TerminalOutput
from tests.conftest import RunCli
from tests.ptyterm import PtyApp, annotate

pytestmark = pytest.mark.slow
LONG = "004_2bd55176b4b53eb1"


def chip_lines(text: str) -> list[str]:
    """The chip lines under sentences in the left pane (the row border drawn as █)."""
    return [line.split("│")[0].strip("█▌ ") for line in text.splitlines()]


def confirmed_shown(text: str) -> int:
    m = re.search(r"confirmed here (\d+)/", text)
    assert m, text
    return int(m.group(1))


def stored(db: Path, name: str) -> dict[int, tuple[list[str], int]]:
    conn = sqlite3.connect(db)
    return {
        r[0]: (json.loads(r[1]), r[2])
        for r in conn.execute(
            "SELECT s.position, a.labels, a.confirmed FROM annotations a JOIN annotators n "
            "ON n.id = a.annotator_id JOIN sentences s ON s.id = a.sentence_id WHERE n.name = ?",
            [name],
        )
    }


def integrity(db: Path) -> str:
    return str(sqlite3.connect(db).execute("PRAGMA integrity_check").fetchone()[0])


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_sigkill_loses_nothing_the_screen_showed(imported_db: Path, seed: int) -> None:
    rng = random.Random(seed)
    keys = "qhuelbn"  # not ATTRIBUTED: it needs a source type first (test_tui_judging)
    app = annotate(imported_db, "alice", "--article", LONG)
    try:
        app.wait_for("Sentence 1/86")
        expected: dict[int, list[str]] = {}
        n = rng.randint(4, 9)
        for i in range(n):
            label = rng.choice(keys)
            app.send(label)
            app.send("\r")
            app.wait_for(f"confirmed here {i + 1}/86")
            expected[i] = [label]
        # one more label, seen on screen but not confirmed
        app.send("h")
        app.wait_for(lambda t: "HEDGED" in chip_lines(t))
        shown = app.text()
        # keep typing and kill at a random instant in the middle of it
        app.send("jqejhn\rjb\r")
        time.sleep(rng.uniform(0.0, 0.15))
    finally:
        app.kill()
    assert integrity(imported_db) == "ok"
    db = stored(imported_db, "alice")
    assert sum(1 for _labels, c in db.values() if c) >= confirmed_shown(shown)
    names = {
        "a": "ATTRIBUTED",
        "q": "QUOTE",
        "h": "HEDGED",
        "u": "UNVERIFIED",
        "e": "EDITORIAL",
        "l": "LOADED",
        "b": "BOILERPLATE",
        "n": "NONE",
    }
    for pos, (label,) in expected.items():
        assert db[pos] == ([names[label]], 1), (pos, db.get(pos))
    assert "HEDGED" in db[n][0]


def test_two_annotators_at_once(imported_db: Path) -> None:
    alice = annotate(imported_db, "alice", "--article", LONG)
    bob = annotate(imported_db, "bob", "--article", LONG)
    try:
        alice.wait_for("Sentence 1/86")
        bob.wait_for("Sentence 1/86")
        for _ in range(15):
            # interleaved, as fast as the terminals take them
            alice.send("q\r")
            bob.send("e\r")
        alice.wait_for("confirmed here 15/86", timeout=30)
        bob.wait_for("confirmed here 15/86", timeout=30)
        for app in (alice, bob):
            text = app.text()
            assert "locked" not in text and "NOT SAVED" not in text and "busy" not in text
    finally:
        assert alice.quit() == 0
        assert bob.quit() == 0
    assert integrity(imported_db) == "ok"
    a, b = stored(imported_db, "alice"), stored(imported_db, "bob")
    assert all(v == (["QUOTE"], 1) for v in a.values()) and len(a) == 15
    assert all(v == (["EDITORIAL"], 1) for v in b.values()) and len(b) == 15


def test_hostile_text_never_reaches_the_terminal(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    rec = {
        "id": "h",
        "title": "Title \x1b]52;c;cm0gLXJmIH4=\x07 end",
        "text": "Clipboard \x1b]52;c;cm0gLXJmIH4=\x07 write. Bidi \u202eevil\u202c here. "
        "Screen \x1b[2J clear. Bell \x07 ring.",
    }
    src = tmp_path / "h.jsonl"
    src.write_text(json.dumps(rec) + "\n")
    assert run_cli("import", str(src)).exit_code == 0
    app = annotate(db_path, "eve")
    try:
        app.wait_for("Clipboard")
        app.wait_for("Sentence 1/")
        raw = bytes(app.raw)
    finally:
        app.quit()
    assert b"\x1b]52" not in raw
    assert "\u202e".encode() not in raw
    assert b"\x1b[2J clear" not in raw
    assert "␛]52;c;".encode() in raw  # shown, as a placeholder


def test_narrow_terminal_layout(imported_db: Path) -> None:
    app = annotate(imported_db, "alice", "--article", LONG, cols=80, rows=24)
    try:
        text = app.wait_for("1/86 art 2/2")  # the short progress line
        assert "alice" in text  # its end (no "blind": the project is not blind)
        assert "│ Labels" not in text  # no side panel
        assert "▸ATTRIBUTEDQUOTEHEDGED" in text.replace(" ", "")  # the one-line legend instead
        app.send("q")
        app.wait_for(lambda t: "QUOTE" in "\n".join(t.splitlines()[4:-1]))
    finally:
        app.quit()


def test_changes_after_another_process_read_survive_sigkill(
    imported_db: Path, run_cli: RunCli
) -> None:
    """Regression: once the app's label-count worker had opened and closed a second
    connection, a status command in another terminal deleted the WAL under the app; what
    the annotator did afterwards was on screen but, after a kill, nowhere."""
    import subprocess
    import sys

    from tests.conftest import ROOT

    app = annotate(imported_db, "alice", "--article", LONG)
    try:
        app.wait_for("Sentence 1/86")
        app.wait_for(lambda t: "NONE             0" in t)  # the worker has loaded the counts
        status = subprocess.run(
            [sys.executable, "-m", "annotator", "--db", str(imported_db), "status"],
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        assert status.returncode == 0, status.stderr
        app.send("b")
        app.send("\r")
        app.wait_for("confirmed here 1/86")
    finally:
        app.kill()
    assert integrity(imported_db) == "ok"
    assert stored(imported_db, "alice") == {0: (["BOILERPLATE"], 1)}


# --- a terminal that goes away without a hangup signal ---------------------------------------


def terminal_holders(tty: str) -> list[str]:
    """Every process and descriptor still holding the master side of the pty `tty`."""
    index = tty.rsplit("/", 1)[-1]
    holders = []
    for link in glob.glob("/proc/[0-9]*/fd/*"):
        pid, fd = link.split("/")[2], link.split("/")[4]
        try:
            if os.readlink(link) != "/dev/ptmx":
                continue
            info = Path(f"/proc/{pid}/fdinfo/{fd}").read_text()
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")[:100]
        except OSError:
            continue  # gone meanwhile
        if re.search(rf"^tty-index:\s*{index}$", info, re.M):
            holders.append(f"pid {pid} fd {fd} ({cmd.decode(errors='replace')})")
    return holders


def process_state(pid: int) -> str:
    """What a process is doing: its state, each thread's state and CPU ticks, and its Python
    stacks when py-spy is installed."""
    lines = []
    with contextlib.suppress(OSError):
        for task in sorted(Path(f"/proc/{pid}/task").iterdir()):
            stat = (task / "stat").read_text().rsplit(")", 1)[1].split()
            name = (task / "comm").read_text().strip()
            lines.append(f"thread {name}: state {stat[0]}, {stat[11]} ticks of CPU")
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if Path(spy).exists():
        dump = subprocess.run([spy, "dump", "--pid", str(pid)], capture_output=True, text=True)
        lines.append(dump.stdout + dump.stderr)
    return "\n".join(lines)


@pytest.mark.parametrize("command", ["annotate", "status"])
def test_a_terminal_gone_without_a_hangup_ends_the_app(imported_db: Path, command: str) -> None:
    # started without a controlling terminal (setsid, as this harness does; or nohup), the
    # app gets no SIGHUP when its terminal goes: Textual's input thread then spun at full
    # CPU for ever (one such orphan ran 90 minutes). It must end, with its work committed.
    args = (
        ["annotate", "--annotator", "alice", "--article", "000_60cc46f11ca30d04"]
        if command == "annotate"
        else ["status", "--tui"]
    )
    app = PtyApp(["--db", str(imported_db), *args], cols=80, rows=24)
    try:
        if command == "annotate":
            app.wait_for("1/12 art 1/2")
            app.send("q")
            app.wait_for(lambda t: "QUOTE" in "\n".join(t.splitlines()[4:-1]))
        else:
            app.wait_for("Annotators")
        # the app has written all it had to, so the harness's reader is blocked in read():
        # it used to keep the closed terminal open, and no hangup ever reached the app
        # (how the earlier fixes failed in CI, on a loaded machine)
        app.settle(1.0)
        app.close()  # the terminal goes away: no ctrl+q, no signal
        assert terminal_holders(app.tty) == []  # nobody else keeps it open either
        try:
            app.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            pytest.fail(f"the app outlived its terminal by 15 s:\n{process_state(app.proc.pid)}")
    finally:
        if app.proc.poll() is None:
            app.proc.kill()
            app.proc.wait()
    assert app.proc.returncode == 0  # ended as ctrl+q ends it
    if command == "annotate":
        assert stored(imported_db, "alice")[0] == (["QUOTE"], 0)


def test_output_to_a_gone_terminal_is_dropped_and_reported() -> None:
    # Textual's writer thread died on the first EIO, and then a full queue of writes
    # blocked the app's way out: the driver's output drops what a gone terminal cannot take
    master, slave = pty.openpty()
    gone = threading.Event()
    seen: list[str] = []

    def on_gone() -> None:
        seen.append("gone")
        gone.set()

    with open(slave, "w", encoding="utf-8") as tty:
        out = TerminalOutput(tty, gone, on_gone)
        out.write("live")
        out.flush()
        assert os.read(master, 100) == b"live" and seen == []
        os.close(master)  # the terminal goes away
        out.write("x" * 100_000)
        out.flush()
        assert seen == ["gone"]
        out.write("more")  # dropped without trying
        out.flush()
        assert seen == ["gone"]


def test_output_errors_of_a_live_terminal_still_raise() -> None:
    # only a terminal that is gone is dropped: a full one (non-blocking) is Textual's to see
    master, slave = pty.openpty()
    os.set_blocking(slave, False)
    gone = threading.Event()
    tty = open(slave, "w", encoding="utf-8")  # noqa: SIM115 (closed after the master)
    try:
        out = TerminalOutput(tty, gone, gone.set)
        with pytest.raises(BlockingIOError):
            for _ in range(10_000):
                out.write("x" * 4096)
                out.flush()
        assert not gone.is_set()
    finally:
        os.close(master)
        with contextlib.suppress(OSError):
            tty.close()  # what it still holds cannot be written: the terminal is gone


def test_terminal_apps_get_the_hangup_driver_and_served_ones_keep_theirs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from textual.drivers.web_driver import WebDriver

    from annotator.tui.app import AnnotatorApp
    from annotator.tui.terminal_driver import HangupDriver

    monkeypatch.setattr("textual.constants.DRIVER", None)
    assert AnnotatorApp(Screen()).get_driver_class() is HangupDriver
    # textual-serve runs each app with its own driver named in the environment
    monkeypatch.setattr("textual.constants.DRIVER", "textual.drivers.web_driver:WebDriver")
    assert AnnotatorApp(Screen()).get_driver_class() is WebDriver


NO_TERMINAL_COMMANDS = [
    ["annotate", "--annotator", "newcomer"],
    ["adjudicate", "--adjudicator", "newcomer"],
    ["status", "--tui"],
    ["agreement", "--tui"],
]


@pytest.mark.parametrize("args", NO_TERMINAL_COMMANDS, ids=lambda a: a[0])
def test_a_screen_without_a_terminal_is_refused_at_once(imported_db: Path, args: list[str]) -> None:
    """audit9a F5: `annotate </dev/null` (a pipe, `ssh host ...` without -t, a script)
    started the screen, painted escape codes and looped on end of file at ~60% of a core
    for ever. Refused in one line, non-zero, before anything is written."""
    env = {k: v for k, v in os.environ.items() if k != "TEXTUAL_DRIVER"}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parent.parent)
    proc = subprocess.run(
        [sys.executable, "-m", "annotator", "--db", str(imported_db), *args],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        env=env,
        timeout=60,  # the old code never ended
    )
    assert proc.returncode == 1, proc.stderr[-300:]
    assert proc.stderr.strip().splitlines() == [
        f"Error: {' '.join(args[:1] + [a for a in args[1:] if a == '--tui'])} needs a "
        "terminal (stdin is not a terminal): run it in one; over ssh, `ssh -t`"
    ]
    assert "\x1b" not in proc.stdout + proc.stderr  # no screen was painted
    names = [n for (n,) in sqlite3.connect(imported_db).execute("SELECT name FROM annotators")]
    assert "newcomer" not in names  # nobody registered by a screen that never opened


def test_an_app_without_a_terminal_ends_by_itself(imported_db: Path) -> None:
    """The driver's own guard, for a screen started other than by the commands: stdin at end
    of file from the start ends the app instead of spinning on it."""
    code = (
        "from pathlib import Path; import sys\n"
        "from annotator.store.database import open_store\n"
        "from annotator.store.schemas import use_guidelines\n"
        "from annotator.tui.status_app import create_status_app\n"
        "store = open_store(Path(sys.argv[1])); g, _ = use_guidelines(store); store.close()\n"
        "create_status_app(Path(sys.argv[1]), g, 'alice', n_resamples=0).run()\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "TEXTUAL_DRIVER"}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parent.parent)
    proc = subprocess.run(
        [sys.executable, "-c", code, str(imported_db)],
        capture_output=True,
        stdin=subprocess.DEVNULL,
        env=env,
        timeout=60,  # the old driver spun until killed
    )
    assert proc.returncode == 0, proc.stderr[-500:]
