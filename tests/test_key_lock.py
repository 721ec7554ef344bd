"""The annotation screen's keys while another process writes (issue 16: keys while the
model retrains): a key that meets a short write takes the lock when it ends, trying every
0.1 ms (not in SQLite's busy handler, whose sleeps are 1, 2, 5 ... ms), and the screen's
connection leaves the WAL's checkpoints to idle moments. No timings asserted: what is
asserted is which way the wait went (Store.on_wait is only called past the spin)."""

import sqlite3
import threading
from pathlib import Path

import pytest

from annotator.store import checkpoints
from annotator.store.database import open_store
from annotator.tui.screens.annotate import AnnotateScreen
from tests.test_session import open_session
from tests.test_tui_annotate import SIZE, annotations, make_app


def _hold_lock(db: Path, release: threading.Event, held: threading.Event) -> threading.Thread:
    """Another connection takes the write lock and keeps it until `release` is set."""

    def hold() -> None:
        conn = sqlite3.connect(db, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        held.set()
        release.wait(10)
        conn.execute("COMMIT")
        conn.close()

    t = threading.Thread(target=hold)
    t.start()
    assert held.wait(10)
    return t


def _write_while_held(db: Path, spin: float, hold_s: float) -> list[str]:
    store = open_store(db)
    store.set_patience(5.0, spin=spin)
    waits: list[str] = []
    store.on_wait = waits.append
    release, held = threading.Event(), threading.Event()
    holder = _hold_lock(db, release, held)
    threading.Timer(hold_s, release.set).start()
    try:
        with store.write() as conn:
            conn.execute("UPDATE annotators SET confirmed = confirmed")
    finally:
        release.set()
        holder.join()
        store.close()
    return waits


def test_a_key_spins_for_a_short_write_instead_of_sleeping(db_path: Path) -> None:
    open_store(db_path).close()
    # released well inside the spin: taken while spinning, the long wait never starts
    assert _write_while_held(db_path, spin=5.0, hold_s=0.05) == []
    # no spin (every other command): the busy handler's wait, said as such
    waits = _write_while_held(db_path, spin=0.0, hold_s=0.05)
    assert len(waits) == 1 and "another process is writing" in waits[0]


def test_a_lock_held_past_the_spin_falls_back_to_the_patient_wait(db_path: Path) -> None:
    open_store(db_path).close()
    waits = _write_while_held(db_path, spin=0.01, hold_s=0.5)
    assert len(waits) == 1  # the spin gave up; the write still went through after


def test_the_screen_session_spins_and_defers_checkpoints(imported_db: Path) -> None:
    s = open_session(imported_db)
    try:
        assert s.store.spin_s == 0  # a session outside the screen: as every command
        assert s.store.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 1000
        s.be_brief(0.3)
        s.defer_checkpoints()
        assert 0 < s.store.spin_s <= 0.3
        pages = s.store.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0]
        assert pages == checkpoints.DEFERRED_PAGES
        # due once the session wrote and then did not write between two looks
        assert not s.checkpoint_due()  # nothing written yet
        s.toggle("HEDGED")
        assert not s.checkpoint_due()  # written since the last look: keys are coming
        assert s.checkpoint_due()  # a look with nothing new: the annotator paused
        assert not s.checkpoint_due()  # done once, not at every look
        s.toggle("HEDGED")
        assert not s.checkpoint_due() and s.checkpoint_due()
    finally:
        s.store.close()


def test_an_idle_checkpoint_folds_the_wal_into_the_database(imported_db: Path) -> None:
    s = open_session(imported_db)
    try:
        s.be_brief(0.3)
        s.defer_checkpoints()
        for _ in range(3):
            s.toggle("HEDGED")
        reader = sqlite3.connect(imported_db)
        mtime = imported_db.stat().st_mtime_ns
        assert s.checkpoint()  # a connection of its own, as the screen's thread runs it
        assert imported_db.stat().st_mtime_ns != mtime  # the database file was written
        busy, frames, done = reader.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        assert (busy, frames) == (0, done)
        reader.close()
    finally:
        s.store.close()


async def test_the_screen_checkpoints_when_the_annotator_pauses(
    imported_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(AnnotateScreen, "POLL_S", 3600.0)  # the looks are made below
    app = make_app(imported_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        screen = app.screen
        assert isinstance(screen, AnnotateScreen)
        pages = screen.session.store.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0]
        assert pages == checkpoints.DEFERRED_PAGES  # no key's COMMIT checkpoints
        await screen._poll_others()
        await app.workers.wait_for_complete()
        mtime = imported_db.stat().st_mtime_ns
        await pilot.press("h")  # a key: into the WAL only
        await pilot.pause()
        await screen._poll_others()  # a look just after the key: keys are coming
        await app.workers.wait_for_complete()
        assert imported_db.stat().st_mtime_ns == mtime
        await screen._poll_others()  # the next look, nothing new: the annotator paused
        await app.workers.wait_for_complete()
        assert imported_db.stat().st_mtime_ns != mtime  # folded into the database file
    assert annotations(imported_db)[0][1] == ["HEDGED"]


def test_a_checkpoint_never_makes_a_database_that_went_away(tmp_path: Path) -> None:
    gone = tmp_path / "gone.sqlite"
    assert not checkpoints.checkpoint(gone)
    assert not gone.exists()
