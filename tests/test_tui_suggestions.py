"""Suggestions on the annotation screen (issue 16), driven with real keys through Pilot:
shown apart, never stored until accepted, and accepted with their provenance."""

import json
import sqlite3
from pathlib import Path

from annotator.suggest import importer
from annotator.tui.app import AnnotatorApp
from tests.conftest import RunCli
from tests.test_tui_annotate import LONG, SIZE, annotations, make_app, screen_text

FURNITURE_KINDS = ("byline", "credit", "media", "embed", "furniture")


def _events(db: Path) -> list[tuple[int, str, str]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            "SELECT s.position, e.action, e.origin FROM events e "
            "JOIN sentences s ON s.id = e.sentence_id ORDER BY e.id"
        ).fetchall()
    finally:
        conn.close()


def _cues_version(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return str(
            conn.execute("SELECT version FROM suggestion_sources WHERE source = 'cues'").fetchone()[
                0
            ]
        )
    finally:
        conn.close()


def _footer_keys(app: AnnotatorApp) -> dict[str, str]:
    return {
        b.binding.description: key
        for key, b in app.screen.active_bindings.items()
        if b.binding.show and b.enabled
    }


async def test_accept_writes_labels_and_events_with_their_source(
    imported_db: Path, run_cli: RunCli
) -> None:
    assert run_cli("project", "set", "suggestions", "on").exit_code == 0
    app = make_app(imported_db, article=LONG)
    async with app.run_test(size=SIZE) as pilot:
        keys = _footer_keys(app)
        assert keys["Accept suggestions"] == "y" and keys["Accept boilerplate"] == "B"
        await pilot.press(*["j"] * 14)  # “There is evidence ...,” Austin said
        assert "⟨ATTRIBUTED?⟩" in screen_text(app)  # shown apart, as a suggestion
        assert "cues@" in screen_text(app)  # its source on the side panel
        assert annotations(imported_db) == []  # and not stored
        await pilot.press("y")
        assert annotations(imported_db) == [
            (14, ["ATTRIBUTED", "QUOTE"], {"source_type": "named_person"}, 0, None)
        ]
        await pilot.press("enter")  # confirms what is now the annotator's
    version = _cues_version(imported_db)
    assert _events(imported_db) == [
        (14, "accept ATTRIBUTED, QUOTE", f"suggestion:cues@{version}"),
        (14, "confirm", "typed"),
    ]
    assert annotations(imported_db)[0][3] == 1


async def test_enter_alone_never_stores_a_suggestion(imported_db: Path, run_cli: RunCli) -> None:
    assert run_cli("project", "set", "suggestions", "on").exit_code == 0
    app = make_app(imported_db, article=LONG)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*["j"] * 14)
        await pilot.press("enter", "enter")  # two sentences with suggestions, confirmed bare
    assert annotations(imported_db) == [(14, ["NONE"], {}, 1, None), (15, ["NONE"], {}, 1, None)]
    assert {origin for _p, _a, origin in _events(imported_db)} == {"typed"}


async def test_one_key_accepts_boilerplate_for_the_article_furniture(
    imported_db: Path, run_cli: RunCli
) -> None:
    assert run_cli("project", "set", "suggestions", "on").exit_code == 0
    conn = sqlite3.connect(imported_db)
    kinds = dict(
        conn.execute(
            "SELECT s.position, s.kind FROM sentences s JOIN articles a ON a.id = s.article_id "
            "WHERE a.external_id = ?",
            [LONG],
        ).fetchall()
    )
    conn.close()
    app = make_app(imported_db, article=LONG)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")  # the byline: the annotator's own start stays theirs
        await pilot.press("B")
        await pilot.press("B")  # again: nothing left to do, nothing written
    rows = {pos: (labels, confirmed) for pos, labels, _f, confirmed, _c in annotations(imported_db)}
    assert rows[0] == (["EDITORIAL"], 0)
    furniture = {p for p, k in kinds.items() if k in FURNITURE_KINDS}
    pitch = set(range(70, 86))
    assert furniture - {0} <= set(rows) and pitch <= set(rows)
    for pos in (furniture | pitch) - {0}:
        assert rows[pos] == (["BOILERPLATE"], 1), pos
    assert set(rows) == furniture | pitch
    accepted = [e for e in _events(imported_db) if e[1].startswith("accept")]
    assert len(accepted) == len((furniture | pitch) - {0})
    assert {e[2] for e in accepted} == {f"suggestion:importer@{importer.VERSION}"}


async def test_without_the_setting_nothing_is_suggested(imported_db: Path) -> None:
    app = make_app(imported_db, article=LONG)
    async with app.run_test(size=SIZE) as pilot:
        assert "Accept suggestions" not in _footer_keys(app)
        await pilot.press(*["j"] * 14)
        assert "⟨ATTRIBUTED?⟩" not in screen_text(app)
        await pilot.press("y", "B")
    assert annotations(imported_db) == []


async def test_the_split_hides_them_on_its_other_half(imported_db: Path, run_cli: RunCli) -> None:
    for k, v in (
        ("suggestions", "on"),
        ("suggestions_split", "article"),
        ("suggestions_seed", "5"),
    ):
        assert run_cli("project", "set", k, v).exit_code == 0
    app = make_app(imported_db, article=LONG)  # seed 5 hides them on this article
    async with app.run_test(size=SIZE) as pilot:
        assert "Accept suggestions" not in _footer_keys(app)
        await pilot.press(*["j"] * 14)
        assert "⟨ATTRIBUTED?⟩" not in screen_text(app)
        await pilot.press("y", "B")
        assert annotations(imported_db) == []
    assert run_cli("project", "set", "suggestions_seed", "0").exit_code == 0
    app = make_app(imported_db, "bob", article=LONG)  # seed 0 shows them (to someone new)
    async with app.run_test(size=SIZE) as pilot:
        assert "Accept suggestions" in _footer_keys(app)
        await pilot.press(*["j"] * 14)
        assert "⟨ATTRIBUTED?⟩" in screen_text(app)
    # whoever first saw the article without them keeps to that (the anchoring condition)
    app = make_app(imported_db, article=LONG)
    async with app.run_test(size=SIZE) as pilot:
        assert "Accept suggestions" not in _footer_keys(app)


async def test_one_undo_takes_the_whole_boilerplate_acceptance_back(
    imported_db: Path, run_cli: RunCli
) -> None:
    assert run_cli("project", "set", "suggestions", "on").exit_code == 0
    app = make_app(imported_db, article=LONG)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a", "1", "enter")  # the annotator's own work, before
        await pilot.press("B")
        assert len(annotations(imported_db)) > 20
        await pilot.press("z")
        assert annotations(imported_db) == [
            (0, ["ATTRIBUTED"], {"source_type": "named_person"}, 1, None)
        ]
        await pilot.press("z")  # the next undo is the annotator's own confirm
        assert annotations(imported_db) == [
            (0, ["ATTRIBUTED"], {"source_type": "named_person"}, 0, None)
        ]
    undone = [e for e in _events(imported_db) if e[1].startswith("undo: accept")]
    assert undone and all(origin == "typed" for _p, _a, origin in undone)


async def test_narrow_the_legend_line_says_where_a_suggestion_comes_from(
    imported_db: Path, run_cli: RunCli
) -> None:
    # below 100 columns there is no side panel, so its Suggested block is hidden: the
    # legend's second line gives its source, version, score and cue instead (audit2 F13)
    from annotator.tui.widgets.legend import LegendLine

    assert run_cli("project", "set", "suggestions", "on").exit_code == 0
    listed = [
        json.loads(line)
        for line in run_cli(
            "suggestions", "list", "--format", "json", "--article", LONG
        ).output.splitlines()
    ]
    at: dict[int, dict[str, dict[str, object]]] = {}
    for x in listed:
        at.setdefault(int(x["position"]), {})[str(x["label"])] = x
    assert 10 not in at and set(at[14]) == {"ATTRIBUTED", "QUOTE"} and set(at[15]) == {"HEDGED"}
    app = make_app(imported_db, article=LONG)
    async with app.run_test(size=(80, 24)) as pilot:
        line = app.screen.query_one(LegendLine)

        async def second_line() -> str:
            await pilot.pause()
            return str(line.render()).splitlines()[1]

        await pilot.press(*["j"] * 10)
        assert (await second_line()).startswith("ATTRIBUTED: ")  # none: the definition
        await pilot.press(*["j"] * 4)  # “There is evidence ...,” Austin said
        shown = await second_line()
        said = at[14]["ATTRIBUTED"]
        assert shown.startswith(f"{said['source']}@{said['version']} ⟨QUOTE?⟩ "), shown
        # two cues on 80 columns: the words that fired, the quotation cut to leave room
        assert f"⟨ATTRIBUTED?⟩ named_person {said['score']:.2f}: said" in shown, shown
        assert str(said["cue"]).endswith(": said") and len(shown) <= 80
        await pilot.press("y")  # accepted: no longer suggestions, the source types instead
        shown = await second_line()
        assert "@" not in shown and "?⟩" not in shown and "named_person" in shown, shown
        await pilot.press("j")  # one suggestion: its cue whole, its group's name included
        hedged = at[15]["HEDGED"]
        assert await second_line() == (
            f"{hedged['source']}@{hedged['version']} ⟨HEDGED?⟩ {hedged['score']:.2f}: "
            f"{hedged['cue']}"
        )


async def test_narrow_an_outside_source_name_is_shown_as_written(
    imported_db: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    # an outside source's name is the team's own text (import refuses control characters):
    # markup in it is shown as written, never run
    from annotator.tui.widgets.legend import LegendLine

    assert run_cli("project", "set", "suggestions", "on").exit_code == 0
    hostile = "[b]rob[/b][link=x]y[/link]"
    line = {"article": LONG, "position": 10, "label": "LOADED", "score": 0.5, "source": hostile}
    f = tmp_path / "p.jsonl"
    f.write_text(json.dumps(line) + "\n", encoding="utf-8")
    result = run_cli("import-suggestions", str(f))
    assert result.exit_code == 0, result.output
    app = make_app(imported_db, article=LONG)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*["j"] * 10)
        await pilot.pause()
        shown = str(app.screen.query_one(LegendLine).render()).splitlines()[1]
    assert shown.startswith(f"{hostile}@") and "⟨LOADED?⟩ 0.50" in shown, shown


def test_narrow_line_fits_any_number_of_suggestions_and_cueless_ones() -> None:
    from annotator.guidelines import load_guidelines
    from annotator.labeling import SentenceState
    from annotator.models.suggestions import Suggestion
    from annotator.tui.widgets.legend import render_legend_line

    schema = load_guidelines().schema
    quote = "quotation_marks: “" + "word " * 40 + "”"
    many = (
        Suggestion(1, "QUOTE", "cues", "v1", 0.85, quote),
        Suggestion(
            1, "ATTRIBUTED", "cues", "v1", 0.7, "reporting_verbs: said", source_type="vague"
        ),
        Suggestion(1, "HEDGED", "cues", "v1", 0.7, "hedges: could"),
        Suggestion(1, "LOADED", "model", "m3", 0.62),  # a model has no cue
    )
    for width in (40, 60, 80, 99):
        second = str(render_legend_line(schema, SentenceState(), (), width, 0, None, many))
        second = second.split("\n")[1]
        assert len(second) <= width and second.startswith("cues@v1 ⟨QUOTE?⟩ 0.85: “"), second
    # room enough: every cue whole, with its group's name; a cueless one ends at its score
    line = str(render_legend_line(schema, SentenceState(), (), 120, 0, None, many[1:]))
    assert line.split("\n")[1] == (
        "cues@v1 ⟨ATTRIBUTED?⟩ vague 0.70: reporting_verbs: said  ⟨HEDGED?⟩ 0.70: hedges: could"
        "  model@m3 ⟨LOADED?⟩ 0.62"
    )
    # short of it: the words that fired
    line = str(render_legend_line(schema, SentenceState(), (), 90, 0, None, many[1:]))
    assert line.split("\n")[1] == (
        "cues@v1 ⟨ATTRIBUTED?⟩ vague 0.70: said  ⟨HEDGED?⟩ 0.70: could  model@m3 ⟨LOADED?⟩ 0.62"
    )


def test_narrow_a_long_source_name_is_cut_before_any_label_or_score() -> None:
    """audit15a F13: an outside source named with 100 characters took the whole line at 80
    columns: no label, score, cue, nor the source-type guess `y` would write."""
    from textual.content import Content

    from annotator.guidelines import load_guidelines
    from annotator.labeling import SentenceState
    from annotator.models.suggestions import Suggestion
    from annotator.tui.widgets.legend import render_legend_line

    schema = load_guidelines().schema
    cues = Suggestion(
        1, "ATTRIBUTED", "cues", "a682f35d", 0.7, "said", source_type="named_organisation"
    )
    for name, version in (("W" * 100, "ＷＷ" * 50), ("界" * 100, "v")):
        shown = (Suggestion(1, "LOADED", name, version, 0.9), cues)
        line = str(render_legend_line(schema, SentenceState(), (), 80, 0, None, shown))
        second = line.split("\n")[1]
        assert second.startswith(name[:1]) and "⟨LOADED?⟩ 0.90  cues@" in second, second
        assert "…" in second.split(" ⟨LOADED?⟩")[0], second  # the long name, cut
        assert second.endswith("⟨ATTRIBUTED?⟩ named_organisation 0.70: said"), second
        # two lines of at most 80 cells, wide characters counted as two
        assert all(Content(row).cell_length <= 80 for row in line.split("\n")), line
    # three sources on 80 columns: the long names cut to their first letters, labels first
    three = (
        Suggestion(1, "LOADED", "W" * 100, "v", 0.9),
        Suggestion(1, "EDITORIAL", "界" * 100, "v", 0.9),
        Suggestion(1, "HEDGED", "cues", "v1", 0.7, "may"),
    )
    second = str(render_legend_line(schema, SentenceState(), (), 80, 0, None, three))
    second = second.split("\n")[1]
    for part in ("⟨LOADED?⟩ 0.90", "⟨EDITORIAL?⟩ 0.90", "⟨HEDGED?⟩ 0.70"):
        assert part in second, second


def test_narrow_two_sources_of_one_team_stay_apart_when_cut() -> None:
    """audit15c F4: cut at their end, production and staging (or v1 and v2 of one model)
    both read `new…`: a long name is cut in its middle, its end (the version) kept."""
    from annotator.guidelines import load_guidelines
    from annotator.labeling import SentenceState
    from annotator.models.suggestions import Suggestion
    from annotator.tui.widgets.legend import render_legend_line

    schema = load_guidelines().schema
    team = "newsroom-credibility-classifier"
    shown = (
        Suggestion(1, "LOADED", f"{team}-production", "2026-11", 0.9),
        Suggestion(1, "EDITORIAL", f"{team}-staging", "2026-12", 0.8),
        Suggestion(1, "ATTRIBUTED", "cues", "a682f35d", 0.7, "said", source_type="vague"),
    )
    for width in (80, 60):
        line = str(render_legend_line(schema, SentenceState(), (), width, 0, None, shown))
        second = line.split("\n")[1]
        names = [part.split(" ⟨")[0].split("  ")[-1] for part in second.split("?⟩")[:2]]
        assert len(set(names)) == 2 and all("…" in n for n in names), (width, second)
        assert names[0].endswith("1") and names[1].endswith("2"), (width, second)
