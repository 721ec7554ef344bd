"""Every field the agreement report scores is reachable from the disagreement list (the
source type too), numbered as the annotation screen numbers sentences (1-based); the
agreement screen's keys do what its footer says."""

from __future__ import annotations

import json
from pathlib import Path

from textual.widgets import DataTable

from annotator.session import AnnotationSession
from annotator.store.database import open_store
from annotator.store.schemas import use_guidelines
from annotator.tui.agreement_app import create_agreement_app
from annotator.tui.dialogs.disagreement import DisagreementModal
from annotator.tui.screens.agreement import AgreementScreen
from tests.conftest import RunCli
from tests.test_tui_annotate import SHORT

WIDE = (140, 40)


def _two_who_differ_only_in_source_type(db: Path) -> None:
    store = open_store(db)
    g, _ = use_guidelines(store)
    for name, key in (("alice", "1"), ("bob", "4")):
        s = AnnotationSession(store, g, name, article=SHORT)
        s.move_to(2)  # the third sentence
        s.toggle("ATTRIBUTED")
        s.set_field_key(key)
        s.confirm()
    store.close()


def test_a_source_type_dispute_is_listed(run_cli: RunCli, imported_db: Path) -> None:
    _two_who_differ_only_in_source_type(imported_db)
    data = json.loads(run_cli("agreement", "--disagreements", "--format", "json").output)
    assert len(data) == 1
    d = data[0]
    assert d["labels_disputed"] == ["source_type"]
    assert d["position"] == 2 and d["number"] == 3  # "Sentence 3/12" on the annotation screen
    assert d["annotators"] == {"alice": ["ATTRIBUTED"], "bob": ["ATTRIBUTED"]}
    assert d["fields"] == {
        "alice": {"source_type": "named_person"},
        "bob": {"source_type": "vague"},
    }
    only = json.loads(
        run_cli("agreement", "--disagreements", "--label", "ATTRIBUTED", "--format", "json").output
    )
    assert [x["labels_disputed"] for x in only] == [["source_type"]]
    table = run_cli("agreement", "--disagreements").output
    assert "#3" in table and "source_type=vague" in table
    assert "source_type=named_" in table and "person" in table  # folded, not cut
    assert max(len(line) for line in table.splitlines()) <= 80
    assert "source_type" in run_cli("agreement", "--disagreements", "--format", "csv").output


async def test_agreement_screen_lists_it_enter_opens_it_and_escape_does_not_quit(
    imported_db: Path,
) -> None:
    _two_who_differ_only_in_source_type(imported_db)
    store = open_store(imported_db)
    g, _ = use_guidelines(store)
    app = create_agreement_app(store.path, g, n_resamples=50)
    async with app.run_test(size=WIDE) as pilot:
        screen = app.screen
        assert isinstance(screen, AgreementScreen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        shown = [b.binding.action for b in screen.active_bindings.values() if b.enabled]
        assert not any(a.startswith("label") for a in shown), shown  # Labels tab: no [ ]
        await pilot.press("right", "right")  # Labels -> Pairs -> Disagreements
        await pilot.pause()
        table = screen.query_one("#dispute-table", DataTable)
        row = [str(c) for c in table.get_row_at(0)]
        assert row[1] == f"{SHORT} #3" and row[2] == "source_type"
        await pilot.press("enter")  # no Tab needed
        await pilot.pause()
        assert app.screen.__class__.__name__ == "DisagreementModal"
        assert isinstance(app.screen, DisagreementModal)
        assert "sentence 3" in str(app.screen.content)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("escape")  # the only screen: says so, does not quit
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, AgreementScreen)
        assert any("ctrl+q quits" in n.message for n in app._notifications)
    store.close()
