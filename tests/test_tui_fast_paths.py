"""The per-key fast path of the annotation screen: a label key, a move, a confirm repaint
what changed and never ask Textual for a layout pass of the screen (which costs most of a
frame). Timings live in benchmarks/annotate.py; this checks the path is taken, and right."""

from pathlib import Path

import pytest
from textual.widget import Widget

from annotator.tui.widgets.article_view import ArticleView
from tests.test_tui_annotate import LONG, annotations, make_app


@pytest.mark.parametrize("size", [(120, 40), (72, 24)], ids=["wide", "narrow"])
async def test_keys_repaint_without_layout(
    imported_db: Path, size: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(imported_db, "alice", article=LONG)
    async with app.run_test(size=size) as pilot:
        await app.workers.wait_for_complete()
        # settled: on a loaded machine the footer's recompose after the first bindings update
        # (the screen's mount) could land after the recording began, counted against "j"
        for _ in range(3):
            await pilot.pause()
        asked: list[str] = []
        refresh = Widget.refresh

        def recording(self: Widget, *regions: object, layout: bool = False, **kw: object):
            if layout:
                asked.append(f"{type(self).__name__}#{self.id}@{key}")
            return refresh(self, *regions, layout=layout, **kw)  # type: ignore[arg-type]

        monkeypatch.setattr(Widget, "refresh", recording)
        key = ""
        for key in ["j", "j", "h", "e", "h", "k", "enter", "b", "z"]:
            await pilot.press(key)
        await pilot.pause()
        assert asked == []
        view = app.screen.query_one(ArticleView)
        # and what the keys did is both saved and drawn
        saved = {
            pos: (labels, confirmed) for pos, labels, _, confirmed, _ in annotations(imported_db)
        }
        assert saved[1] == (["NONE"], 1)  # Enter on an empty sentence: nothing applies
        assert saved[2] == (["EDITORIAL"], 0)  # h on, e on, h off; b then undone
        assert "NONE" in view.plain(1) and "EDITORIAL" in view.plain(2)
        assert "HEDGED" not in view.plain(2) and "BOILERPLATE" not in view.plain(2)
        assert view.cursor == 2
