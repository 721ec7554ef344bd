"""The cue lexicon's fast path (one prefilter per sentence, rules read as tuples, rows as
plain tuples) and the refresh's one range read per batch give exactly what the plain route
gives: every rule in order, its own cheap test, its search, one Suggestion per (sentence,
label); the sentences of each article read by its id. Checked on every sentence of the
shared corpus and on hostile sentences, under the bundled lexicon and odd ones."""

from __future__ import annotations

import csv
import json
import re
import sqlite3
from collections.abc import Iterable
from pathlib import Path

import pytest

from annotator.models.suggestions import CUES, CueLexicon, Suggestion
from annotator.store import suggestions
from annotator.store.database import open_store
from annotator.store.imports import import_files
from annotator.store.suggestions import refresh_project
from annotator.suggest.cues import (
    CompiledLexicon,
    compile_lexicon,
    guess_source_type,
    suggest,
    suggest_rows,
)
from annotator.suggest.lexicon import load_cues, parse_cues
from benchmarks.corpus import articles
from tests.conftest import SHARED, signals_only_lexicon

_WORDS = re.compile(r"\w+")


def _plain(sentences: Iterable[tuple[int, str]], compiled: CompiledLexicon) -> list[Suggestion]:
    """The route before the fast path: every rule in its order, its own cheap test (its
    first words among the sentence's words, or one of its marks), then its search."""
    lex = compiled.lexicon
    out: list[Suggestion] = []
    for sid, text in sentences:
        seen: set[str] = set()
        for rule, pattern in zip(lex.rules, compiled.patterns, strict=True):
            if rule.label in seen:
                continue
            if rule.first_words:
                if set(_WORDS.findall(text.lower())).isdisjoint(rule.first_words):
                    continue
            elif rule.marks and not any(m in text for m in rule.marks):
                continue
            m = pattern.search(text)
            if m is None:
                continue
            seen.add(rule.label)
            st = guess_source_type(text, m.start(), m.end(), lex) if rule.attribution else None
            cue = f"{rule.name}: {m.group(0)}"
            out.append(
                Suggestion(sid, rule.label, CUES, lex.version, rule.score, cue, *m.span(), st)
            )
    return out


HOSTILE = [
    "",
    " ",
    "\n",
    '""',
    "“”",
    "“a”",
    "“unterminated quote, he said",
    "„German quote“ said Merkel.",
    "«Bonjour», a dit Macron, said the Élysée.",
    '"Two" "quotes" in "one" sentence, officials said.',
    "SAID",
    "Said.",
    "’said’ and 'said' and said_ and _said and 1said and said1",
    "he-said-she-said",
    "according\nto Reuters",
    "according  to\tthe AGENCY, it may rain",
    "According to",
    "could not confirm",
    "could\u00a0not confirm",
    "ſaid the long s, and the Kelvin sign \u212a said",
    "İSTANBUL SAID THE GOVERNOR",
    "ΣΑΪΝ said the Greek officials",
    "The minister said\x00 with a NUL, and \x1b[31m an escape",
    "\u202eevil said\u202c reversed",
    "emoji 🙂 said 🙂 “🙂🙂” may",
    "may " * 3000,
    "“" * 500 + "said",
    "citing sources, the report may have claimed that “x y” was likely",
    "He said",
    "Kirby said",
    "said Kirby, the spokesman",
    "South Korea's National Intelligence Service said",
    "U.S. Defense Secretary Lloyd Austin said that it might",
]


def _custom_lexicons(tmp_path: Path) -> list[CueLexicon]:
    """The bundled lexicon, a project's own, one with a rule that has no cheap test (a
    phrase ending in "*"), one label twice, a first word that is not one \\w word, and quote
    rules alone."""
    odd = parse_cues(
        """
[lexicon]
version = "odd"

[[cues]]
name = "claims"
label = "HEDGED"
score = 0.6
phrases = ["claim*", "may"]

[[cues]]
name = "hedges_again"
label = "HEDGED"
score = 0.9
phrases = ["might", "could not confirm"]

[[cues]]
name = "dotted"
label = "ATTRIBUTED"
score = 0.7
attribution = true
phrases = ["u.s. officials", "said-so", "said"]

[[cues]]
name = "quotes"
label = "QUOTE"
score = 0.8
quotes = [["“", "”"], ["'", "'"]]
""",
        "odd.toml",
    )
    quotes_only = parse_cues(
        '[lexicon]\nversion = "q"\n[[cues]]\nname = "q"\nlabel = "QUOTE"\n'
        'quotes = [["«", "»"], ["\\"", "\\""]]\n',
        "quotes.toml",
    )
    return [
        load_cues(),
        load_cues(signals_only_lexicon(tmp_path / "g")),
        odd,
        quotes_only,
    ]


def _corpus_sentences(tmp_path: Path) -> list[tuple[int, str]]:
    """Every sentence the real importer makes of the shared corpus's text files, and the
    news sentences of BABE."""
    if not SHARED.is_dir():
        pytest.skip(f"no shared data at {SHARED}")
    db = tmp_path / "corpus.sqlite"
    with open_store(db) as store:
        for _ in import_files(store, sorted((SHARED / "news_corpus" / "txt").glob("*.txt"))):
            pass
        out = [(int(i), str(t)) for i, t in store.all("SELECT id, text FROM sentences")]
    with (SHARED / "babe_mbic" / "babe_sg2_final_labels.csv").open(encoding="utf-8") as f:
        out += [(-n, r["text"]) for n, r in enumerate(csv.DictReader(f), 1)]
    return out


def test_the_fast_path_agrees_with_the_plain_route(tmp_path: Path) -> None:
    sentences = _corpus_sentences(tmp_path)
    assert len(sentences) > 3000
    sentences += [(10_000_000 + n, s) for n, s in enumerate(HOSTILE)]
    for lexicon in _custom_lexicons(tmp_path):
        compiled = compile_lexicon(lexicon)
        want = _plain(sentences, compiled)
        assert want, lexicon.version  # the check compares something
        assert suggest(sentences, compiled) == want, lexicon.version
        rows = suggest_rows(sentences, compiled)
        assert rows == [
            (x.sentence_id, x.label, x.score, x.cue, x.cue_start, x.cue_end, x.source_type)
            for x in want
        ]


def test_the_prefilter_skips_only_sentences_no_rule_can_fire() -> None:
    compiled = compile_lexicon(load_cues())
    # nothing of any rule: skipped, and nothing suggested
    assert suggest([(1, "The weather in the valley was fine on Tuesday.")], compiled) == []
    # one word of one rule is enough to look at every rule of the sentence
    got = suggest([(1, "“It rains,” the minister said, and it may stop.")], compiled)
    assert {x.label for x in got} == {"QUOTE", "ATTRIBUTED", "HEDGED"}


def _dump(db: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            "SELECT id, sentence_id, article_id, label, source, version, score, cue, "
            "cue_start, cue_end, source_type FROM suggestions ORDER BY id"
        ).fetchall()
    finally:
        conn.close()


def test_an_article_whose_sentence_ids_are_not_its_range_is_read_by_its_id(
    tmp_path: Path,
) -> None:
    """The batch reads its sentences by id range, which holds each article's sentences
    (first_sentence_id .. + sentence_count - 1) as the importer writes them; an article
    whose range holds another's sentence is read by its id, as before: no suggestion is
    filed under an article its sentence is not in, and none is lost."""
    texts = [
        "First article. The minister said it may rain. “Quoted words here,” she added.",
        "Second article. Officials said nothing. It could be worse.",
        "Third article. According to Reuters, the talks stalled.",
    ]
    src = tmp_path / "in"
    src.mkdir()
    for n, t in enumerate(texts):
        (src / f"a{n}.txt").write_text(t, encoding="utf-8")
    clean, broken = tmp_path / "clean.sqlite", tmp_path / "broken.sqlite"
    for db in (clean, broken):
        with open_store(db) as store:
            for _ in import_files(store, sorted(src.glob("*.txt"))):
                pass
    with open_store(broken) as store, store.write() as conn:
        (a1, f1, c1), (a2, _f2, _c2) = conn.execute(
            "SELECT id, first_sentence_id, sentence_count FROM articles ORDER BY id LIMIT 2"
        ).fetchall()
        assert c1 >= 2
        # the first article's second sentence now belongs to the second article (the
        # counts stay true: only the ids are not each article's range any more)
        conn.execute(
            "UPDATE sentences SET article_id = ?, position = 1000 WHERE id = ?", [a2, f1 + 1]
        )
        conn.execute("UPDATE articles SET sentence_count = sentence_count - 1 WHERE id = ?", [a1])
        conn.execute("UPDATE articles SET sentence_count = sentence_count + 1 WHERE id = ?", [a2])
    for db in (clean, broken):
        with open_store(db) as store:
            assert refresh_project(store) > 0
    conn = sqlite3.connect(broken)
    try:
        wrong = conn.execute(
            "SELECT count(*) FROM suggestions x JOIN sentences s ON s.id = x.sentence_id "
            "WHERE x.article_id != s.article_id"
        ).fetchone()[0]
    finally:
        conn.close()
    assert wrong == 0
    # the same suggestions otherwise (the moved sentence's are filed under its new article)
    moved = {r[1] for r in _dump(broken) if r[2] == a2} - {r[1] for r in _dump(clean) if r[2] == a2}
    assert moved <= {f1 + 1}
    assert sorted(r[1:2] + r[3:] for r in _dump(broken)) == sorted(
        r[1:2] + r[3:] for r in _dump(clean)
    )
    assert a1 != a2


def test_one_article_per_batch_writes_what_one_big_batch_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The articles left to cover are read once and taken 200 (or as far as a batch goes)
    at a time: batches of one article each write the same rows, in the same order."""
    src = tmp_path / "corpus.jsonl"
    src.write_text(
        "".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in articles(30, seed=7)),
        encoding="utf-8",
    )
    dbs = [tmp_path / "big.sqlite", tmp_path / "small.sqlite"]
    for db in dbs:
        with open_store(db) as store:
            for _ in import_files(store, [src]):
                pass
    with open_store(dbs[0]) as store:
        assert refresh_project(store) > 0
    monkeypatch.setattr(suggestions, "BATCH_SECONDS", 0.0)  # every batch: one article
    monkeypatch.setattr(suggestions, "PAUSE_SECONDS", 0.0)
    with open_store(dbs[1]) as store:
        assert refresh_project(store) > 0
        assert refresh_project(store) == 0  # all covered: nothing left
    assert _dump(dbs[1]) == _dump(dbs[0])
    assert len({r[2] for r in _dump(dbs[0])}) == 30
