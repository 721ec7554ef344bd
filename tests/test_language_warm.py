"""language.warm_in_background: the model loads in a thread while the importer builds the
syllable table, before it forks its workers (store/import_workers.py)."""

from __future__ import annotations

import sys
import threading

import pytest

from annotator.ingest import language


def test_the_model_is_loaded_and_the_thread_gone_once_joined() -> None:
    language._identifier.cache_clear()
    loading = language.warm_in_background()
    loading.join()
    assert language._identifier.cache_info().currsize == 1
    assert not any(t.name == "language-warm" for t in threading.enumerate())
    assert language.detect("Ceci est un article en français sur la politique de la ville.") == (
        "fr"
    )


def test_a_model_that_cannot_load_is_said_by_join_not_by_the_thread(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    language._identifier.cache_clear()
    for name in [m for m in sys.modules if m == "py3langid" or m.startswith("py3langid.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "py3langid", None)  # the package missing
    try:
        loading = language.warm_in_background()
        with pytest.raises(ImportError):
            loading.join()
        assert "Traceback" not in capsys.readouterr().err  # the thread printed nothing
    finally:
        monkeypatch.undo()
        language._identifier.cache_clear()
    language.warm()
