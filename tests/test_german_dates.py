"""German dates are not sentence ends (audit11 F7): "am 12. März" was cut after "12.", since a
number, a full stop and a capitalised word end an English sentence. German writes the day as an
ordinal with a full stop and capitalises the month. The months English does not write are never
a boundary after a day; "April", "August", "September", "November" are joined in German articles
only, where English keeps its sentence end ("... rose to 12. August was the worst month"); so
are an article and an ordinal with the noun after them ("im 19. Jahrhundert", "zum 3. Mal")."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from annotator.ingest.sentences import split_sentences
from tests.conftest import RunCli, write

# the audit's de2.txt
DE2 = (
    "Die Wahl findet am 12. März statt. Der Kandidat wurde am 3. Oktober 1990 in Berlin "
    "geboren. Das Gesetz tritt zum 1. Januar in Kraft, teilte das Ministerium mit. Die Polizei "
    "meldete 14 Verletzte.\n"
)
DE2_SENTENCES = [
    "Die Wahl findet am 12. März statt.",
    "Der Kandidat wurde am 3. Oktober 1990 in Berlin geboren.",
    "Das Gesetz tritt zum 1. Januar in Kraft, teilte das Ministerium mit.",
    "Die Polizei meldete 14 Verletzte.",
]
# months English writes too, in a German article
DE_SHARED = (
    "Die Mauer fiel am 9. November 1989, teilte das Museum am Montag mit. Der Vertrag gilt "
    "vom 1. April bis zum 31. August, sagte der Sprecher der Stadt. Die Ausstellung ist seit "
    "dem 12. Sept. geöffnet, und der Eintritt ist frei für alle Besucher der Stadt.\n"
)
DE_SHARED_SENTENCES = [
    "Die Mauer fiel am 9. November 1989, teilte das Museum am Montag mit.",
    "Der Vertrag gilt vom 1. April bis zum 31. August, sagte der Sprecher der Stadt.",
    "Die Ausstellung ist seit dem 12. Sept. geöffnet, und der Eintritt ist frei für alle "
    "Besucher der Stadt.",
]
# an English article: a sentence ending with a number, the next opening with a month
EN = (
    "The death toll in the flooded districts rose to 12. August was the worst month of the "
    "year for the city, officials said on Tuesday. The count of the injured reached 31. "
    "November, they said, would bring the first repairs to the bridges.\n"
)
EN_SENTENCES = [
    "The death toll in the flooded districts rose to 12.",
    "August was the worst month of the year for the city, officials said on Tuesday.",
    "The count of the injured reached 31.",
    "November, they said, would bring the first repairs to the bridges.",
]


def _segments(run_cli: RunCli, path: Path) -> list[str]:
    r = run_cli("segment", str(path))
    assert r.exit_code == 0, r.output
    # "   0 body            0-34     Die Wahl ..."
    return [ln.split(None, 3)[3] for ln in r.output.splitlines() if ln and not ln.startswith("#")]


def _stored(run_cli: RunCli, db_path: Path, path: Path) -> tuple[str | None, list[str]]:
    r = run_cli("import", str(path))
    assert r.exit_code == 0, r.output
    with sqlite3.connect(db_path) as con:
        (lang,) = con.execute("SELECT language FROM articles").fetchone()
        texts = [t for (t,) in con.execute("SELECT text FROM sentences ORDER BY position")]
    return lang, texts


def test_a_german_date_is_not_a_sentence_end(run_cli: RunCli, tmp_path: Path) -> None:
    f = write(tmp_path / "de2.txt", DE2)
    assert _segments(run_cli, f) == DE2_SENTENCES


def test_a_german_article_cut_at_its_dates_is_still_detected_as_german(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    # cut at every date, no sentence had the 40 characters the language sample takes: the
    # article was stored with no language and no warning
    lang, texts = _stored(run_cli, db_path, write(tmp_path / "de2.txt", DE2))
    assert (lang, texts) == ("de", DE2_SENTENCES)


def test_months_english_writes_too_are_joined_in_a_german_article(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    f = write(tmp_path / "de.txt", DE_SHARED)
    assert _segments(run_cli, f) == DE_SHARED_SENTENCES
    assert _stored(run_cli, db_path, f) == ("de", DE_SHARED_SENTENCES)


def test_an_english_sentence_opening_with_a_month_after_a_number_stays_apart(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    f = write(tmp_path / "en.txt", EN)
    assert _segments(run_cli, f) == EN_SENTENCES
    assert _stored(run_cli, db_path, f) == ("en", EN_SENTENCES)


def test_only_a_day_before_a_month_keeps_the_sentence() -> None:
    # 32 is no day, "1990." ends a sentence, a German sentence may open with "Mai" after one
    # that ends with a word
    text = "Es waren 32. Mai kam später. Das war 1990. Mai kam. Er kam im Mai. Mai war kalt."
    got = [text[s:e] for s, e in split_sentences(text)]
    assert got == [
        "Es waren 32.",
        "Mai kam später.",
        "Das war 1990.",
        "Mai kam.",
        "Er kam im Mai.",
        "Mai war kalt.",
    ]


# ordinals before their noun, in a German article; a date whose month is left out, and a
# number after a preposition, still end their sentences
DE_ORDINALS = [
    "Er war im 19. Jahrhundert Bürgermeister der Stadt, teilte das Archiv mit.",
    "Der 1. FC Köln gewann zum 3. Mal in Folge.",
    "Der 2. Weltkrieg endete 1945 in Europa.",
    "Die Partei kam beim 2. Wahlgang auf Platz 2.",
    "Die Sitzung ist am 14.",
    "Danach wird abgestimmt.",
    "Die Zahl der Verletzten stieg auf 14.",
    "Die Polizei sperrte die Straße.",
    "Es geschah zum 3.",
    "Die Feuerwehr kam spät.",
]


def test_a_german_ordinal_keeps_its_noun(run_cli: RunCli, db_path: Path, tmp_path: Path) -> None:
    f = write(tmp_path / "de4.txt", " ".join(DE_ORDINALS) + "\n")
    assert _segments(run_cli, f) == DE_ORDINALS
    assert _stored(run_cli, db_path, f) == ("de", DE_ORDINALS)


def test_an_english_article_is_not_read_by_the_german_rules(
    run_cli: RunCli, tmp_path: Path
) -> None:
    text = (
        "The budget was cut in the 19. Century-old bridges will close, the city said on "
        "Tuesday. The mayor said that the cuts would hurt the 12. Many of them are old.\n"
    )
    assert _segments(run_cli, write(tmp_path / "en2.txt", text)) == [
        "The budget was cut in the 19.",
        "Century-old bridges will close, the city said on Tuesday.",
        "The mayor said that the cuts would hurt the 12.",
        "Many of them are old.",
    ]


# German abbreviations before a number or a noun (round 13's Known limits: "Nr. 5", "5 Mio.
# Euro" and "am Di. 12. Mai" were cut after the abbreviation)
DE_ABBREVIATIONS = [
    "Die Stadt hat am Di. 12. Mai beschlossen, 5 Mio. Euro auszugeben.",
    "Das Haus Nr. 5 wird abgerissen, sagte der Bürgermeister.",
    "Insgesamt kostet das Projekt 2 Mrd. Euro und 300 Tsd. Euro pro Jahr.",
    "Der Umsatz stieg um 2 Mio.",
    "Die Stadt plant neue Projekte, sagte der Sprecher nach § 5 Abs. 2 des Gesetzes.",
]


def test_a_german_abbreviation_is_not_a_sentence_end(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    f = write(tmp_path / "de5.txt", " ".join(DE_ABBREVIATIONS) + "\n")
    assert _segments(run_cli, f) == DE_ABBREVIATIONS
    assert _stored(run_cli, db_path, f) == ("de", DE_ABBREVIATIONS)


def test_english_sentences_ending_in_the_same_letters_still_end() -> None:
    # the German words are matched as written, capitalised: English "so." and "do." end
    text = "He said he would do so. Then he left. They asked what to do. Nobody knew."
    got = [text[s:e] for s, e in split_sentences(text)]
    assert got == [
        "He said he would do so.",
        "Then he left.",
        "They asked what to do.",
        "Nobody knew.",
    ]
