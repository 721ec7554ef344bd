"""`annotator serve` under load, beside the terminal, measured the same way on the same data.

    .venv/bin/python benchmarks/serve.py            # 20 browser sessions, about 2 minutes
    .venv/bin/python benchmarks/serve.py --smoke    # 2 sessions, a few keys: it still runs

Every session is a websocket client speaking what textual-serve's browser side sends
(tests/served.py), logged in with its own member's link, so the path is the real one:
token check, app process, Textual's web driver, the database. What is printed:

- memory per session: the proportional set size (PSS, shared pages split among the
  processes that map them) of each app process, and the server's own growth;
- key to committed: from sending ["stdin", "q"] to the event row being readable by another
  connection (a poller reading new `events` rows every millisecond);
- key to screen: from sending the key to the first output after it that carries the label
  chip (the legend's count line, or the chip, holds "QUOTE"); "after the write" counts only
  output that arrived after the key's event was written (its `at`), so a late frame of the
  previous key cannot pass for this one's: the figure to quote;
- the terminal: the same keys into `annotator annotate` on a pty (tests/ptyterm.py), the
  same two figures and its PSS;
- the other design, one shared process: the PSS growth per app when 20 annotation apps run
  in one Python process (Textual's headless driver), to weigh against process-per-session.

The terminal and the one served session press a key every 0.3 s or so (--solo-pace): the
path alone. The 20 sessions press keys together, each about once a second at random moments
(an annotator's pace, --pace), so their figures include the queueing of 20 sessions on 2
cores. The sessions open four at a time (people arriving). At the end, one table puts the
terminal, one session and 20 sessions side by side, with the load average at the start and
at the end: figures taken while other work ran say so.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

# Standalone: import the project from this checkout, installed or not.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.serve_probes import (
    CHIP,
    RESULTS,
    Commits,
    figures,
    p99,
    pss_kb,
    record,
    rss_kb,
    shown_after,
    stamped,
    write_stamps,
)
from tests.ptyterm import PtyApp
from tests.ptyterm import annotate as pty_annotate
from tests.served import Client, cli, connect, link_token, serve

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
KEY = "q"
ARRIVING = 4  # sessions that open at once


async def one_session(
    client: Client,
    aid: int,
    commits: Commits,
    keys: int,
    pace: float,
    rng: random.Random,
    sent: list[float],
) -> tuple[list[float], list[float]]:
    to_commit: list[float] = []
    to_screen: list[float] = []
    for _ in range(keys):
        await asyncio.sleep(rng.uniform(0.5, 1.5) * pace)
        done = len(commits.seen.get(aid, []))
        mark = len(client.screen)
        sent.append(time.time())
        t0 = time.perf_counter()
        await client.key(KEY)
        while CHIP not in client.screen[mark:]:
            client._changed.clear()
            await asyncio.wait_for(client._changed.wait(), 30)
        to_screen.append((time.perf_counter() - t0) * 1000)
        to_commit.append((await asyncio.to_thread(commits.wait, aid, done) - t0) * 1000)
    return to_commit, to_screen


async def served_load(
    db: Path, work: Path, sessions: int, keys: int, pace: float, settle: float = 1.0
) -> None:
    """`settle`: seconds the opened sessions are left before their memory is read."""
    names = [f"s{sessions}-{i:02d}" for i in range(sessions)]
    for name in names:
        cli(db, "team", "add", name)
    tokens = {name: link_token(db, name) for name in names}
    server = serve(db, work / f"serve-{sessions}.log")
    clients: list[Client] = []
    try:
        base = rss_kb(server.proc.pid)
        t0 = time.perf_counter()

        async def arrive(name: str) -> Client:
            client = await connect(server.url, tokens[name])
            await client.wait_for("ATTRIB", timeout=120)
            return client

        for i in range(0, sessions, ARRIVING):  # a few at a time, as people arrive
            clients += await asyncio.gather(*(arrive(n) for n in names[i : i + ARRIVING]))
        opened = time.perf_counter() - t0
        await asyncio.sleep(settle)
        children = server.children()
        pss = [pss_kb(p) for p in children]
        rss = [rss_kb(p) for p in children]
        grown = rss_kb(server.proc.pid) - base
        print(f"served: {sessions} sessions open ({opened:.1f} s to open, {ARRIVING} at a time)")
        print(
            f"  memory per session: PSS median {statistics.median(pss) / 1024:.1f} MB "
            f"(RSS {statistics.median(rss) / 1024:.1f} MB); the server grew "
            f"{grown / 1024:.1f} MB ({grown / 1024 / sessions:.2f} MB per session)"
        )
        rng = random.Random(7)
        sent: dict[str, list[float]] = {n: [] for n in names}
        with Commits(db) as commits:
            ids = commits.ids
            results = await asyncio.gather(
                *(
                    one_session(
                        c, ids[n], commits, keys, pace, random.Random(rng.random()), sent[n]
                    )
                    for c, n in zip(clients, names, strict=True)
                )
            )
        stamps = [x for n in names for x in stamped(db, ids[n], sent[n])]
        after = [
            x
            for c, n in zip(clients, names, strict=True)
            for x in shown_after(c, write_stamps(db, ids[n], len(sent[n])), sent[n])
        ]
        to_commit = [x for r in results for x in r[0]]
        to_screen = [x for r in results for x in r[1]]
        print(f"  {sessions} sessions pressing keys together, each about one a {pace:.1f} s:")
        print(figures("key to committed (served)", to_commit))
        print(figures("key to write stamp (served)", stamps))
        print(figures("key to screen (served)", to_screen))
        print(figures("key to screen after the write", after))
        record(
            f"served, {sessions}",
            pss=f"{statistics.median(pss) / 1024:.1f} MB",
            commit=p99(to_commit),
            screen=p99(after),
            opened=f"{opened:.1f} s",
        )
    finally:
        for c in clients:
            await c.close()
        server.stop()


def terminal(db: Path, keys: int, pace: float) -> None:
    cli(db, "team", "add", "tty")
    app = pty_annotate(db, "tty")
    app.live = False
    try:
        app.wait_for(lambda t: "ATTRIB" in t, timeout=120)
        app.settle(0.5)
        app.catch_up()
        sent: list[float] = []
        with Commits(db) as commits:
            to_commit, to_screen = _terminal_keys(app, commits, keys, pace, sent)
            stamps = stamped(db, commits.ids["tty"], sent)
            # the pty reader dates chunks by perf_counter: the same frame-after-write rule
            wall = time.time() - time.perf_counter()
            ats = write_stamps(db, commits.ids["tty"], len(sent))
            after = []
            for at, t in zip(ats, sent, strict=True):
                for arrived, data in app.chunks:
                    if arrived + wall >= at and CHIP in data:
                        after.append((arrived + wall - t) * 1000)
                        break
        mb = pss_kb(app.proc.pid) / 1024
        print(f"terminal: one `annotator annotate` on a pty, PSS {mb:.1f} MB")
        print(figures("key to committed (terminal)", to_commit))
        print(figures("key to write stamp (terminal)", stamps))
        print(figures("key to screen (terminal)", to_screen))
        print(figures("key to screen after the write", after))
        record("terminal", pss=f"{mb:.1f} MB", commit=p99(to_commit), screen=p99(after))
    finally:
        app.stop()


def _terminal_keys(
    app: PtyApp, commits: Commits, keys: int, pace: float, sent: list[float]
) -> tuple[list[float], list[float]]:
    aid = commits.ids["tty"]
    to_commit: list[float] = []
    to_screen: list[float] = []
    rng = random.Random(3)
    for _ in range(keys):
        time.sleep(rng.uniform(0.5, 1.5) * pace)
        app.settle(0.05)
        n_chunks = len(app.chunks)
        done = len(commits.seen.get(aid, []))
        sent.append(time.time())
        t0 = app.send(KEY)
        to_commit.append((commits.wait(aid, done) - t0) * 1000)
        deadline = time.perf_counter() + 30
        found = None
        while found is None and time.perf_counter() < deadline:
            for t, data in app.chunks[n_chunks:]:
                if CHIP in data:
                    found = t
                    break
            time.sleep(0.001)
        if found is not None:
            to_screen.append((found - t0) * 1000)
    return to_commit, to_screen


def shared(db: Path, apps: int, settle: float = 0.5) -> None:
    """The alternative design: many apps in one process."""
    from annotator.session import AnnotationSession
    from annotator.store.database import open_store
    from annotator.store.schemas import use_guidelines
    from annotator.tui.app import create_app

    async def run() -> None:
        gc.collect()
        before = pss_kb(os.getpid())
        runners = []
        stores = []
        for i in range(apps):
            store = open_store(db, create=False)
            g, _ = use_guidelines(store, None)
            stores.append(store)
            app = create_app(AnnotationSession(store, g, f"shared{i:02d}"))
            ctx = app.run_test(size=(120, 40))
            await ctx.__aenter__()
            runners.append(ctx)
        await asyncio.sleep(settle)
        gc.collect()
        per = (pss_kb(os.getpid()) - before) / apps / 1024
        print(f"shared process: {apps} annotation apps in one process: {per:.1f} MB each")
        record(f"shared, {apps}", pss=f"{per:.1f} MB")
        for ctx in runners:
            await ctx.__aexit__(None, None, None)
        for store in stores:
            store.close()

    asyncio.run(run())


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"{one:.2f} (5 min: {five:.2f})"


def table(started: str, ended: str, seconds: float) -> None:
    runs = [r for r in RESULTS if not r.startswith("shared")]
    rows = [
        ("memory per session (PSS)", "pss"),
        ("key to committed, p99", "commit"),
        ("key to screen after the write, p99", "screen"),
    ]
    width = max(14, *(len(r) for r in runs))
    print(
        f"\nside by side ({seconds:.0f} s in all; load average {started} at the start, "
        f"{ended} at the end):"
    )
    print(f"  {'':<36}" + "".join(f"{r:>{width + 2}}" for r in runs))
    for label, key in rows:
        cells = "".join(f"{RESULTS[r].get(key, '-'):>{width + 2}}" for r in runs)
        print(f"  {label:<36}{cells}")
    for r in RESULTS:
        if r.startswith("shared"):
            apps = r.split(", ")[1]
            print(f"  one shared process instead ({apps} apps): {RESULTS[r]['pss']} per app")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="2 sessions, a few keys")
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--keys", type=int, default=20, help="keys per session")
    parser.add_argument("--pace", type=float, default=1.0, help="seconds between keys (sessions)")
    parser.add_argument(
        "--solo-pace", type=float, default=0.3, help="seconds between keys (terminal, 1 session)"
    )
    args = parser.parse_args()
    settle = 1.0  # before memory is read; a smoke run's figures mean nothing: 0.1 s
    if args.smoke:
        args.sessions, args.keys, args.pace, args.solo_pace = 2, 4, 0.1, 0.1
        settle = 0.1
    started, t0 = load(), time.perf_counter()
    print(f"load average at the start: {started}")
    with tempfile.TemporaryDirectory(prefix="annotator-serve-bench-") as tmp:
        work = Path(tmp)
        db = work / "bench.sqlite"
        cli(db, "import", str(SAMPLES))
        print(f"database: the samples ({db.stat().st_size // 1024} kB); {os.cpu_count()} cores")
        terminal(db, args.keys, args.solo_pace)
        # the path alone, then the sessions together
        asyncio.run(served_load(db, work, 1, args.keys, args.solo_pace, settle))
        asyncio.run(served_load(db, work, args.sessions, args.keys, args.pace, settle))
        shared(db, args.sessions, settle / 2)
    table(started, load(), time.perf_counter() - t0)
    if args.smoke:
        print("(smoke run: the figures mean nothing)")


if __name__ == "__main__":
    main()
