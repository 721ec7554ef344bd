"""Issue 14, first slice: the team (`annotator team ...`), project settings (`annotator project
...`), `status` not counting adjudicators and managers, and a closed team refusing strangers.
All through the real CLI on a real SQLite file."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from annotator.adjudication import AdjudicationSession
from annotator.models.team import SETTINGS
from annotator.store import team
from annotator.store.database import open_store
from annotator.store.schemas import use_guidelines
from tests.conftest import ROOT, RunCli
from tests.test_export import RAW


def members(run_cli: RunCli) -> list[dict[str, str]]:
    result = run_cli("team", "list", "--format", "json")
    assert result.exit_code == 0, result.output
    return [{"name": m["name"], "role": m["role"]} for m in json.loads(result.output)["members"]]


# --- team ------------------------------------------------------------------------------------


def test_add_list_role_remove(run_cli: RunCli, db_path: Path) -> None:
    # a project may start with its team: the first `team add` makes the database
    r = run_cli("team", "add", "alice")
    assert r.exit_code == 0, r.output
    assert "added alice as annotator" in r.output  # the default role
    assert run_cli("team", "add", "carol", "--role", "adjudicator").exit_code == 0
    assert run_cli("team", "add", "  mo  ", "--role", "MANAGER").exit_code == 0
    assert members(run_cli) == [
        {"name": "alice", "role": "annotator"},
        {"name": "carol", "role": "adjudicator"},
        {"name": "mo", "role": "manager"},
    ]
    text = run_cli("team", "list").output
    assert "carol" in text and "adjudicator" in text and "the team is open" in text

    r = run_cli("team", "role", "alice", "manager")
    assert r.exit_code == 0 and "alice is now manager" in r.output
    assert {"name": "alice", "role": "manager"} in members(run_cli)

    r = run_cli("team", "remove", "carol")
    assert r.exit_code == 0, r.output
    assert [m["name"] for m in members(run_cli)] == ["alice", "mo"]
    # leaving the team keeps the annotator row (their history anchors on it)
    names = {n for (n,) in sqlite3.connect(db_path).execute("SELECT name FROM annotators")}
    assert names == {"alice", "carol", "mo"}
    # and carol may come back
    assert run_cli("team", "add", "carol").exit_code == 0


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("team", "add", ""), "the name is empty"),
        (("team", "add", "   \t "), "the name is empty"),
        (("team", "remove", " "), "the name is empty"),
        (("team", "role", "", "manager"), "the name is empty"),
        (("team", "add", "bob", "--role", "boss"), "'boss' is not one of"),
        (("team", "role", "alice", "boss"), "'boss' is not one of"),
        (("team", "add", "alice"), "already on the team"),
        (("team", "remove", "zed"), "'zed' is not on the team"),
        (("team", "role", "zed", "manager"), "'zed' is not on the team"),
    ],
)
def test_mistakes_are_one_line(run_cli: RunCli, args: tuple[str, ...], says: str) -> None:
    assert run_cli("team", "add", "alice").exit_code == 0
    before = members(run_cli)
    r = run_cli(*args)
    assert r.exit_code != 0
    assert says in r.output
    assert "Traceback" not in r.output
    errors = [line for line in r.output.splitlines() if line.startswith("Error")]
    assert len(errors) == 1
    assert members(run_cli) == before  # nothing changed


# a bidi override or isolate too (audit7 F2): "eve\u202ekcab" shows as "evebackwards"
@pytest.mark.parametrize(
    "name",
    ["eve\x1b]52;c;cHduZWQ=\x07", "a\nb", "x\x9b2J", "tab\there", "eve\u202ekcab", "x\u2067y"],
)
def test_names_with_control_characters_are_refused_inert(
    run_cli: RunCli, db_path: Path, name: str
) -> None:
    r = run_cli("team", "add", name)
    assert r.exit_code != 0 and "no line breaks or control characters" in r.output
    assert len(r.output.strip().splitlines()) == 1
    assert not any(c in r.output for c in "\x1b\x07\x9b\t\u202e\u2067")
    assert not db_path.exists()  # refused before anything was made


def test_a_name_with_a_line_break_is_refused_on_one_line(run_cli: RunCli) -> None:
    r = run_cli("team", "remove", "a\nb")
    assert r.exit_code != 0 and len(r.output.strip().splitlines()) == 1


# --- project settings ------------------------------------------------------------------------


def test_project_show_defaults_and_set(run_cli: RunCli) -> None:
    assert run_cli("project", "set", "blind", "TRUE").output.splitlines()[-1] == "blind = true"
    assert run_cli("project", "set", "team", "closed").exit_code == 0
    assert run_cli("project", "set", "suggestions", "on").exit_code == 0
    url = "https://annotate.example.org/project"
    assert run_cli("project", "set", "public_url", url).exit_code == 0
    shown = json.loads(run_cli("project", "show", "--format", "json").output)
    assert shown == {
        "blind": "true",
        "team": "closed",
        "public_url": url,
        "suggestions": "on",
        "suggestions_split": "none",
        "suggestions_seed": "0",
    }
    text = run_cli("project", "show").output
    assert "blind" in text and "closed" in text and url in text
    # back again; a boolean takes its usual spellings
    assert run_cli("project", "set", "blind", "no").output.splitlines()[-1] == "blind = false"
    assert run_cli("project", "set", "public_url", "").exit_code == 0
    shown = json.loads(run_cli("project", "show", "--format", "json").output)
    assert shown["blind"] == "false" and shown["public_url"] == ""


def test_project_show_on_a_new_database_gives_defaults(run_cli: RunCli, imported_db: Path) -> None:
    shown = json.loads(run_cli("project", "show", "--format", "json").output)
    assert shown == {k: s.default for k, s in SETTINGS.items()}
    assert shown["team"] == "open" and shown["blind"] == "false"


@pytest.mark.parametrize(
    ("key", "value", "says"),
    [
        ("blind", "maybe", "blind: 'maybe' is not one of true, false"),
        ("team", "ajar", "team: 'ajar' is not one of open, closed"),
        ("suggestions", "sometimes", "not one of on, off"),
        ("suggestions_split", "half", "not one of none, article, annotator"),
        ("suggestions_seed", "x3", "not a whole number"),
        ("suggestions_seed", "4.5", "not a whole number"),
        ("public_url", "ftp://x.org/", "not an http(s) URL"),
        ("public_url", "annotate.example.org", "not an http(s) URL"),
        ("public_url", "https://x.org/a b", "no spaces or control characters"),
        ("public_url", "https://x.org/\x1b[2J", "no spaces or control characters"),
        # audit7 F26: the personal links' token would follow a query or sit in the fragment
        ("public_url", "https://ok.example/annotate?x=1#frag", "has a ?query or #fragment"),
        ("public_url", "https://ok.example/annotate#", "has a ?query or #fragment"),
        ("public_url", "https://ok.example/?", "has a ?query or #fragment"),
        # audit10 F8: browsers send no default port and no credentials: every request 403
        ("public_url", "https://a.example:443", "names the default port 443: leave it out"),
        ("public_url", "http://a.example:80/x", "names the default port 80"),
        ("public_url", "https://u:p@a.example/", "holds a user name or password"),
        ("public_url", "https://a.example:99999/", "has a port out of range"),
        ("colour", "blue", "unknown setting 'colour'"),
        ("schema_hash", "deadbeef", "unknown setting 'schema_hash'"),
    ],
)
def test_bad_settings_are_refused_in_one_line(
    run_cli: RunCli, imported_db: Path, key: str, value: str, says: str
) -> None:
    before = run_cli("project", "show", "--format", "json").output
    r = run_cli("project", "set", key, value)
    assert r.exit_code != 0
    assert says in r.output and "Traceback" not in r.output
    assert len(r.output.strip().splitlines()) == 1 and "\x1b" not in r.output
    assert run_cli("project", "show", "--format", "json").output == before
    # the schema in use was not touched by an attempt to set it through here
    assert run_cli("status").exit_code == 0


def test_help_lists_every_setting(run_cli: RunCli) -> None:
    for cmd in ("set", "show"):
        out = run_cli("project", cmd, "--help").output
        for key, s in SETTINGS.items():
            assert key in out, (cmd, key)
            for choice in s.choices or ():
                assert choice in out
    for cmd in ("add", "list", "remove", "role"):
        assert "Example:" in run_cli("team", cmd, "--help").output


# --- status and annotate ---------------------------------------------------------------------


@pytest.fixture
def labelled(run_cli: RunCli, db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The samples labelled by two annotators (alice, bob), as in test_adjudication."""
    monkeypatch.chdir(ROOT)
    assert run_cli("import", "samples").exit_code == 0
    assert run_cli("import-labels", str(RAW)).exit_code == 0
    return db_path


def adjudicate_once(db: Path, name: str) -> None:
    store = open_store(db)
    g, _ = use_guidelines(store)
    s = AdjudicationSession(store, g, name)
    s.pick(1)
    store.close()


def status_json(run_cli: RunCli) -> dict[str, object]:
    r = run_cli("status", "--format", "json")
    assert r.exit_code == 0, r.output
    data: dict[str, object] = json.loads(r.output)
    return data


def annotator_names(data: dict[str, object]) -> list[str]:
    rows = data["annotators"]
    assert isinstance(rows, list)
    return [a["annotator"] for a in rows]


def test_status_does_not_count_an_adjudicator_without_a_team(
    run_cli: RunCli, labelled: Path
) -> None:
    names = annotator_names(status_json(run_cli))
    adjudicate_once(labelled, "dana")
    # today's bug: dana, who only decided gold, was listed as an annotator with 0 confirmed
    data = status_json(run_cli)
    assert annotator_names(data) == names and "dana" not in names
    staff = data["staff"]
    assert isinstance(staff, list) and len(staff) == 1
    assert staff[0]["name"] == "dana" and staff[0]["role"] == "adjudicator"
    assert staff[0]["events"] > 0  # her gold decisions (the unanimous ones too)
    text = run_cli("status").output
    assert "dana: " not in text and "adjudicator dana" in text


def test_status_follows_team_roles(run_cli: RunCli, labelled: Path) -> None:
    names = annotator_names(status_json(run_cli))
    assert len(names) == 2
    first, second = names
    assert run_cli("team", "add", first).exit_code == 0
    assert run_cli("team", "add", second, "--role", "manager").exit_code == 0
    assert run_cli("team", "add", "dana", "--role", "adjudicator").exit_code == 0
    data = status_json(run_cli)
    assert annotator_names(data) == [first]
    rows = data["annotators"]
    assert isinstance(rows, list) and rows[0]["on_team"] is True
    assert {(p["name"], p["role"]) for p in data["staff"]} == {  # type: ignore[attr-defined]
        (second, "manager"),
        ("dana", "adjudicator"),
    }
    # a manager who becomes an annotator is counted again
    assert run_cli("team", "role", second, "annotator").exit_code == 0
    assert annotator_names(status_json(run_cli)) == [first, second]
    # someone off the team who labelled is still an annotator (the team is open)
    assert run_cli("team", "remove", first).exit_code == 0
    data = status_json(run_cli)
    assert annotator_names(data) == [first, second]
    assert data["team"] == "open"


def test_a_closed_team_refuses_strangers_in_one_line(run_cli: RunCli, imported_db: Path) -> None:
    assert run_cli("team", "add", "alice").exit_code == 0
    assert run_cli("project", "set", "team", "closed").exit_code == 0
    r = run_cli("annotate", "--annotator", "mallory")
    assert r.exit_code != 0
    assert "is not on the team, and the team is closed" in r.output
    assert len(r.output.strip().splitlines()) == 1
    # refused before anything was written: no annotator row for her
    names = {n for (n,) in sqlite3.connect(imported_db).execute("SELECT name FROM annotators")}
    assert names == {"alice"}
    with open_store(imported_db) as store:
        assert team.may_annotate(store, "alice")  # members may (the screen itself is
        assert not team.may_annotate(store, "mallory")  # driven in the TUI tests)
        assert run_cli("project", "set", "team", "open").exit_code == 0
        assert team.may_annotate(store, "mallory")  # an open team: anyone, as before


@pytest.mark.parametrize("command", ["annotate", "review", "adjudicate"])
@pytest.mark.parametrize("name", ["new\nline", "tab\there", "esc\x1b[2J", " "])
def test_a_name_the_team_refuses_is_refused_by_every_command_that_works_as_one(
    run_cli: RunCli, imported_db: Path, command: str, name: str
) -> None:
    """audit7 F2: `annotate --annotator $'new\\nline'` (open team) opened the screen as that
    annotator, shown as "new line", where `team add` refuses the name."""
    option = "--adjudicator" if command == "adjudicate" else "--annotator"
    r = run_cli(command, option, name)
    assert r.exit_code == 1, r.output
    assert "a name has no line breaks" in r.output or "the name is empty" in r.output
    assert "Traceback" not in r.output and len(r.output.strip().splitlines()) == 1
    assert "\x1b" not in r.output  # the name said through the sanitiser
    conn = sqlite3.connect(imported_db)
    names = [n for (n,) in conn.execute("SELECT name FROM annotators")]
    conn.close()
    assert name.strip() not in names
