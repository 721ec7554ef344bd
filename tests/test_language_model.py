"""The language model from the user's cache folder (ingest/language_model.py, audit5 F0c).

What the cache relies on in py3langid is pinned here against the installed version: the
identifier built from the cache scores every text exactly as py3langid's own loader's does,
so no detected language changes. Then the attacks: a cache file that is corrupt, truncated,
of another model, or well-formed with indexes out of range is ignored and written again;
something at the cache's path that is not a regular file is left alone."""

from __future__ import annotations

import importlib.metadata
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from py3langid.langid import MODEL_FILE, LanguageIdentifier
from py3langid.modelio import load_model

from annotator.ingest import language_model as lm
from tests.conftest import ROOT, SHARED, write

CORPUS = SHARED / "news_corpus"

# texts in many scripts and languages, beside the corpus's
TEXTS = [
    "Le ministre a déclaré que les négociations avec les syndicats se poursuivraient.",
    "Der Minister sagte, die Gespräche mit den Gewerkschaften würden fortgesetzt.",
    "El ministro dijo que las conversaciones con los sindicatos continuarían mañana.",
    "Министр заявил, что переговоры с профсоюзами продолжатся на следующей неделе.",
    "Міністр заявив, що переговори з профспілками триватимуть наступного тижня.",
    "部长表示，与工会的谈判将于下周继续进行。官员们说，这是可能的。",
    "大臣は、労働組合との交渉は来週も続くと述べた。当局者はその可能性が高いと述べた。",
    "장관은 노조와의 협상이 다음 주에도 계속될 것이라고 말했다.",
    "وقال الوزير إن المحادثات مع النقابات ستستمر الأسبوع المقبل.",
    "השר אמר כי השיחות עם האיגודים יימשכו בשבוע הבא.",
    "Ο υπουργός δήλωσε ότι οι συνομιλίες με τα συνδικάτα θα συνεχιστούν.",
    "รัฐมนตรีกล่าวว่าการเจรจากับสหภาพแรงงานจะดำเนินต่อไปในสัปดาห์หน้า",
    "मंत्री ने कहा कि यूनियनों के साथ बातचीत अगले सप्ताह भी जारी रहेगी।",
    "The minister said the talks with the unions would go on next week.",
    "12345 67890 !!! ??? ...",
    "",
    "x",
]


def corpus_samples() -> list[str]:
    out = list(TEXTS)
    if CORPUS.is_dir():
        for folder in ("txt", "md", "crude"):
            for p in sorted((CORPUS / folder).iterdir()):
                text = p.read_text(encoding="utf-8")
                out += [text[:3000], text[:300]]
    return out


@pytest.fixture(scope="module")
def arrays() -> tuple[Any, ...]:
    """The model's arrays as py3langid's loader gives them (0.4 s: once)."""
    return tuple(load_model(lm._model_file()))


@pytest.fixture(scope="module")
def packaged() -> Any:
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


@pytest.fixture
def cached(tmp_path: Path, arrays: tuple[Any, ...]) -> Path:
    """A sound cache file in tmp_path/cache, as a first run writes it."""
    path = lm.cache_file(tmp_path / "cache", lm.model_key())
    lm.write(path, lm.model_key(), arrays)
    return path


def test_the_cached_model_scores_every_text_as_py3langids_own_loader(
    cached: Path, packaged: Any
) -> None:
    ours = lm.identifier(cached.parent)
    assert ours.nb_classes == packaged.nb_classes
    assert np.array_equal(ours.nb_ptc, packaged.nb_ptc)
    assert np.array_equal(ours.nb_pc, packaged.nb_pc)
    assert np.array_equal(np.asarray(ours.tk_nextmove), np.asarray(packaged.tk_nextmove))
    assert list(ours.tk_output) == list(packaged.tk_output)
    assert list(ours.tk_row) == list(packaged.tk_row)
    for text in corpus_samples():
        assert np.array_equal(ours._decide(text), packaged._decide(text)), text[:60]
        assert ours.classify(text) == packaged.classify(text)


def test_the_first_run_writes_the_cache_and_the_next_one_reads_it(
    tmp_path: Path, packaged: Any
) -> None:
    folder = tmp_path / "new" / "annotator"  # made when missing
    first = lm.identifier(folder)
    (path,) = folder.iterdir()
    assert path == lm.cache_file(folder, lm.model_key())
    assert path.name.startswith(f"langid-{importlib.metadata.version('py3langid')}-")
    stamp = path.stat()
    second = lm.identifier(folder)
    # read, not written again: the same file, untouched
    assert (path.stat().st_ino, path.stat().st_mtime_ns) == (stamp.st_ino, stamp.st_mtime_ns)
    assert lm.read(path, lm.model_key()) is not None
    text = "Le ministre a déclaré que les négociations se poursuivraient la semaine prochaine."
    assert first.classify(text) == second.classify(text) == packaged.classify(text)
    assert [p.name for p in folder.iterdir()] == [path.name]  # no temporary file left


def spoiled(path: Path, how: str) -> None:
    data = bytearray(path.read_bytes())
    if how == "flipped":  # one bit in the transition table
        data[len(data) // 2] ^= 0x10
    elif how == "truncated":
        del data[len(data) - 1000 :]
    elif how == "longer":
        data += b"\0" * 64
    elif how == "empty":
        data = bytearray()
    elif how == "foreign":  # another program's file under our name
        data[:10] = b"PK\x03\x04junk"
    elif how == "crc":
        data[-1] ^= 0xFF
    elif how == "huge shape":  # a header claiming more data than the file has
        at = data.index(b"'shape': (") + len(b"'shape': (")
        data[at : at + 6] = b"999999"
    elif how == "object dtype":
        at = data.index(b"'descr': '<f2'")
        data[at : at + 14] = b"'descr': '|O' "
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    "how",
    ["flipped", "truncated", "longer", "empty", "foreign", "crc", "huge shape", "object dtype"],
)
def test_a_spoiled_cache_file_is_ignored_and_written_again(
    cached: Path, packaged: Any, how: str
) -> None:
    good = cached.read_bytes()
    spoiled(cached, how)
    assert lm.read(cached, lm.model_key()) is None
    ours = lm.identifier(cached.parent)
    assert cached.read_bytes() == good
    text = "Der Minister sagte, die Gespräche mit den Gewerkschaften würden fortgesetzt."
    assert ours.classify(text) == packaged.classify(text)


def test_a_cache_of_another_model_or_version_is_not_read(cached: Path) -> None:
    other = "0.4.0-" + "0" * 32
    assert lm.read(cached, other) is None
    assert lm.cache_file(cached.parent, other) != cached


@pytest.mark.parametrize("what", ["row", "out", "nextmove"])
def test_a_well_formed_cache_with_an_index_out_of_range_is_refused(
    tmp_path: Path, arrays: tuple[Any, ...], what: str
) -> None:
    """A file that passes every format check and its own checksum (written by our writer)
    but whose tables point outside each other: read() refuses it rather than index past
    an array."""
    ptc, pc, classes, nextmove, row, out = arrays
    if what == "nextmove":
        nextmove = np.asarray(nextmove).copy()
        nextmove[7] = len(row)  # a state that does not exist
    elif what == "row":
        row = np.asarray(row).copy()
        row[3] = len(nextmove) // 256
    else:
        out = np.asarray(out).copy()
        out[5] = ptc.shape[0]  # a feature past the table
    key = lm.model_key()
    path = lm.cache_file(tmp_path, key)
    lm.write(path, key, (ptc, pc, classes, nextmove, row, out))
    assert lm.read(path, key) is None


@pytest.mark.parametrize("what", ["folder", "fifo", "symlink"])
def test_what_is_not_a_regular_file_at_the_cache_path_is_left_alone(
    tmp_path: Path, cached: Path, packaged: Any, what: str
) -> None:
    path = cached
    path.unlink()
    if what == "folder":
        path.mkdir()
        write(path / "theirs.txt", "not ours\n")
    elif what == "fifo":
        os.mkfifo(path)  # opening it to read would wait for a writer for ever
    else:
        target = write(tmp_path / "target.bin", b"someone's file")
        path.symlink_to(target)
    ours = lm.identifier(path.parent)
    text = "Министр заявил, что переговоры с профсоюзами продолжатся на следующей неделе."
    assert ours.classify(text) == packaged.classify(text)
    if what == "folder":
        assert (path / "theirs.txt").read_text() == "not ours\n"
    elif what == "fifo":
        assert path.is_fifo()
    else:
        assert path.is_symlink() and (tmp_path / "target.bin").read_bytes() == b"someone's file"
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]  # no temporary left


def test_a_cache_folder_that_cannot_be_made_costs_only_the_time(
    tmp_path: Path, packaged: Any
) -> None:
    blocker = write(tmp_path / "a-file", "in the way\n")
    ours = lm.identifier(blocker / "annotator")  # its parent is a file: mkdir fails
    assert ours.classify("Le ministre a déclaré.") == packaged.classify("Le ministre a déclaré.")
    assert blocker.read_text() == "in the way\n"


def test_the_cache_folder_follows_xdg_cache_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert lm.cache_folder() == tmp_path / "annotator"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")  # the XDG spec: ignored
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert lm.cache_folder() == tmp_path / "home" / ".cache" / "annotator"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert lm.cache_folder() == tmp_path / "home" / ".cache" / "annotator"


def test_a_non_english_import_writes_the_cache_once_and_reads_it_after(tmp_path: Path) -> None:
    """Through the real CLI: the first French import writes the cache into
    $XDG_CACHE_HOME/annotator, the second reads it, and both store "fr"."""
    import sqlite3

    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(tmp_path / "xdg")}
    db = tmp_path / "p.sqlite"
    french = (
        "Le ministre a déclaré mardi que les négociations avec les syndicats se "
        "poursuivraient la semaine prochaine. Les responsables du ministère ont estimé "
        "qu'un accord était probable avant la fin du mois.\n"
    )
    for name in ("un", "deux"):
        art = write(tmp_path / f"{name}.txt", french.replace("mardi", f"mardi ({name})"))
        done = subprocess.run(
            [sys.executable, "-m", "annotator", "--db", str(db), "import", str(art)],
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
        )
        assert done.returncode == 0, done.stderr
        (cache,) = (tmp_path / "xdg" / "annotator").iterdir()
        if name == "un":
            stamp = cache.stat().st_mtime_ns
    assert cache.stat().st_mtime_ns == stamp
    conn = sqlite3.connect(db)
    assert [r[0] for r in conn.execute("SELECT language FROM articles")] == ["fr", "fr"]
    conn.close()
