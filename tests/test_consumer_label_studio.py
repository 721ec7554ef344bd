"""Our Label Studio export imported into a real Label Studio server on 127.0.0.1, and Label
Studio's own export read back with `import-labels --format label-studio`.

The server comes from `make test-consumers` (.venv-ls, a venv of its own: Label Studio pins
its dependencies); the test starts it with a throwaway data folder and stops it. It skips
when Label Studio is not installed; LABEL_STUDIO_URL and LABEL_STUDIO_TOKEN (a legacy API
token) use a server that is already running instead.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from tests.conftest import ROOT, RunCli
from tests.consumers import STATES, cli_run, confirmed_per_annotator, gold_count, team_db
from tests.test_label_studio_prodigy_round_trip import after_the_drop, dropped_project, export

pytestmark = pytest.mark.consumer
LS_BIN = Path(os.environ.get("ANNOTATOR_LABEL_STUDIO", ROOT / ".venv-ls" / "bin" / "label-studio"))
TOKEN = "0123456789abcdef0123456789abcdef01234567"


class Server:
    def __init__(self, url: str, token: str) -> None:
        self.url, self.token = url.rstrip("/"), token

    def call(self, method: str, path: str, body: object = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method)
        req.add_header("Authorization", f"Token {self.token}")
        if data is not None:
            req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, timeout=120) as resp:
                raw = resp.read()
        except urllib.error.HTTPError as e:
            raise AssertionError(f"{method} {path}: {e.code} {e.read()[:500]!r}") from None
        return json.loads(raw) if raw else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    if os.environ.get("LABEL_STUDIO_URL"):
        yield Server(os.environ["LABEL_STUDIO_URL"], os.environ.get("LABEL_STUDIO_TOKEN", TOKEN))
        return
    if not LS_BIN.exists():
        pytest.skip(f"Label Studio is not installed ({LS_BIN}): make test-consumers installs it")
    data = tmp_path_factory.mktemp("label-studio")
    port = _free_port()
    env = {
        **os.environ,
        "LABEL_STUDIO_BASE_DATA_DIR": str(data),
        "LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN": "true",
        "LATEST_VERSION_CHECK": "false",
        "DJANGO_DB": "sqlite",
    }
    log = open(data / "server.log", "wb")  # noqa: SIM115 (closed below)
    args = ["start", "--no-browser", "--host", "127.0.0.1", "--port", str(port)]
    args += ["--data-dir", str(data), "--username", "admin@example.com"]
    args += ["--password", "throwaway-pass-1", "--user-token", TOKEN]
    proc = subprocess.Popen(
        [str(LS_BIN), *args],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: stopped as one below
    )
    srv = Server(f"http://127.0.0.1:{port}", TOKEN)
    try:
        deadline = time.monotonic() + 600  # the first start migrates its database
        while True:
            try:
                srv.call("GET", "/api/projects/")
                break
            except (OSError, AssertionError):
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"Label Studio did not start: see {data / 'server.log'}")
                time.sleep(2)
        yield srv
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()
        shutil.rmtree(data, ignore_errors=True)


def _ensure_users(srv: Server, accounts: list[dict[str, str]]) -> None:
    known = {u["email"] for u in srv.call("GET", "/api/users/")}
    for a in accounts:
        if a["email"] not in known:
            srv.call("POST", "/api/users/", a)


def _export_snapshot(srv: Server, project: int) -> list[dict[str, Any]]:
    """Label Studio's snapshot export with user details (completed_by with the e-mail)."""
    snap = srv.call(
        "POST",
        f"/api/projects/{project}/exports/",
        {
            "serialization_options": {"annotations__completed_by": {"only_id": False}},
            "annotation_filter_options": {"usual": True, "ground_truth": True},
        },
    )
    for _ in range(120):
        done = srv.call("GET", f"/api/projects/{project}/exports/{snap['id']}")
        if done["status"] == "completed":
            break
        time.sleep(1)
    return srv.call("GET", f"/api/projects/{project}/exports/{snap['id']}/download?exportType=JSON")


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("view", ["raw", "gold"])
def test_label_studio_imports_and_exports_back(
    server: Server, tmp_path: Path, state: str, view: str
) -> None:
    db = team_db(tmp_path, state)
    out = tmp_path / "ls" / "tasks.json"
    res = cli_run(db, "export", "--format", "label-studio", "--view", view, "-o", str(out))
    assert res.exit_code == 0, res.output
    config = (out.parent / "tasks.config.xml").read_text()
    accounts = json.loads((out.parent / "tasks.users.json").read_text())
    _ensure_users(server, accounts)
    project = server.call(
        "POST", "/api/projects/", {"title": f"{state}-{view}", "label_config": config}
    )["id"]
    tasks = json.loads(out.read_text())
    imported = server.call("POST", f"/api/projects/{project}/import", tasks)
    per_annotator = confirmed_per_annotator(db)
    gold = gold_count(db) if view == "gold" else 0
    assert imported["task_count"] == 98
    assert imported["annotation_count"] == sum(per_annotator.values()) + gold
    back = _export_snapshot(server, project)
    by_email: Counter[str] = Counter()
    truths = 0
    for task in back:
        for a in task["annotations"]:
            if a["ground_truth"]:
                truths += 1
            else:
                by_email[a["completed_by"]["email"]] += 1
    assert dict(by_email) == {f"{n}@annotator.invalid": k for n, k in per_annotator.items()}
    assert truths == gold
    # and back into a fresh database: the names and the gold are kept
    ls_file = tmp_path / "from-label-studio.json"
    ls_file.write_text(json.dumps(back))
    fresh = tmp_path / "fresh.sqlite"
    assert cli_run(fresh, "import", str(ROOT / "samples")).exit_code == 0
    res = cli_run(fresh, "import-labels", str(ls_file), "--format", "label-studio")
    assert res.exit_code == 0, res.output
    assert confirmed_per_annotator(fresh) == per_annotator, res.output
    assert gold_count(fresh) == gold
    # with their times, not the moment of Label Studio's import (audit15b F5)
    assert _times(fresh, view) == _times(db, view)


def _times(db: Path, exported: str) -> list[tuple[str, ...]]:
    """Each answer's times, and with the gold view each gold decision's, as the raw and
    gold exports write them."""
    out: list[tuple[str, ...]] = []
    for view in ("raw", "gold") if exported == "gold" else ("raw",):
        res = cli_run(db, "export", "--format", "jsonl", "--view", view, "-o", "-")
        for line in res.stdout.splitlines():
            if line.startswith("{"):
                r = json.loads(line)
                if view == "raw":
                    out.append((r["id"], r["annotator"], r["confirmed_at"], r["updated_at"]))
                elif r.get("gold"):
                    out.append((r["id"], r["gold"]["decided_at"]))
    return sorted(out)


def _runner(default: Path) -> RunCli:
    """`run_cli` of the other tests, on `default` unless told another database."""

    def run(*args: object, db: Path | None = None, input: str | None = None) -> Result:
        return cli_run(db or default, *map(str, args))

    return run


def _load(srv: Server, folder: Path, title: str) -> int:
    """Our export in `folder` (tasks.json and the files beside it) into a new project."""
    _ensure_users(srv, json.loads((folder / "tasks.users.json").read_text()))
    config = (folder / "tasks.config.xml").read_text()
    project = srv.call("POST", "/api/projects/", {"title": title, "label_config": config})["id"]
    tasks = json.loads((folder / "tasks.json").read_text())
    assert srv.call("POST", f"/api/projects/{project}/import", tasks)["annotation_count"] == 5
    return int(project)


def test_label_studio_gives_back_the_answers_with_no_label_and_our_times(
    server: Server, tmp_path: Path
) -> None:
    """audit15b F1, F5 through the real server: after --drop-labels, y's answer whose only
    label was dropped came back NONE (and s1:0's majority with it); every time came back
    as the moment of Label Studio's import, so its snapshot reverted x's newer change made
    here meanwhile, though nobody touched the task there. An annotation saved in Label
    Studio has its time there."""
    run = _runner(tmp_path / "team.sqlite")
    g = dropped_project(run, tmp_path / "team.sqlite", tmp_path)
    team = tmp_path / "team.sqlite"
    raw = export(run, team, g, "jsonl", "raw", tmp_path / "raw.jsonl")
    majority = export(run, team, g, "jsonl", "majority", tmp_path / "majority.jsonl")
    export(run, team, g, "label-studio", "raw", tmp_path / "ls" / "tasks.json")
    # x changes s1:1 here, after our export and before Label Studio's import
    here = after_the_drop(run, tmp_path, g, raw)
    at = (datetime.now(UTC) - timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    newer = {"article_id": "s1", "position": 1, "annotator": "x", "labels": ["QUOTE"]}
    newer |= {"confirmed_at": at, "updated_at": at}
    (tmp_path / "x.jsonl").write_text(json.dumps(newer))
    assert run("--guidelines", g, "import-labels", tmp_path / "x.jsonl", db=here).exit_code == 0
    project = _load(server, tmp_path / "ls", "dropped-raw")
    snapshot = tmp_path / "back.json"
    snapshot.write_text(json.dumps(_export_snapshot(server, project)))

    def import_back(db: Path) -> str:
        args = ("--guidelines", g, "import-labels", snapshot, "--format", "label-studio")
        r = run(*args, db=db)
        assert r.exit_code == 0 and "Label Studio" not in r.output, r.output
        return str(r.output)

    # into a fresh database: the same answers, times and majority
    fresh = tmp_path / "fresh.sqlite"
    assert run("import", tmp_path / "a.jsonl", db=fresh).exit_code == 0
    assert "imported 5 annotations" in import_back(fresh)
    assert export(run, fresh, g, "jsonl", "raw", tmp_path / "again.jsonl") == raw
    assert export(run, fresh, g, "jsonl", "majority", tmp_path / "again-m.jsonl") == majority
    # here: x's newer answer stays
    said = import_back(here)
    assert said.startswith("imported 0 annotations (x, y, z); 4 already there, unchanged"), said
    assert "1 older than the database's, the database's kept" in said, said

    def answer(db: Path, position: int, who: str) -> tuple[list[str], str, str]:
        out = export(run, db, g, "jsonl", "raw", tmp_path / "check.jsonl").splitlines()
        (a,) = [json.loads(x) for x in out if f'"s1:{position}"' in x and f'"{who}"' in x]
        return a["labels"], a["confirmed_at"], a["updated_at"]

    assert answer(here, 1, "x") == (["QUOTE"], at, at)
    # y answers s1:0 in Label Studio: HEDGED, saved there; its time there, our first one
    (y,) = [
        a
        for t in json.loads(snapshot.read_text())
        for a in t["annotations"]
        if t["data"]["position"] == 0 and a["completed_by"]["email"] == "y@annotator.invalid"
    ]
    choice = [{**y["result"][0], "value": {"choices": ["HEDGED"]}}]
    saved = server.call("PATCH", f"/api/annotations/{y['id']}/", {"result": choice})
    snapshot.write_text(json.dumps(_export_snapshot(server, project)))
    said = import_back(here)
    assert said.startswith("imported 1 annotations (x, y, z); 3 already there"), said
    labels, first, last = answer(here, 0, "y")
    assert (labels, first) == (["HEDGED"], "2026-11-02T09:00:01.000Z")
    assert last == saved["updated_at"][:23] + "Z" and last > at
