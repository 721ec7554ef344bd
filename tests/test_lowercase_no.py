"""A lowercase "no." is the word, not the abbreviation "No." (number): before a capitalised
word it ends the sentence. It was read as "No. 3" is, so a capitalised word after it that is
not a usual English sentence opener ran the sentences together: "the answer was no. Officials
said", and in Spanish, Italian and Portuguese news, where a sentence ending with "no." is
common, "dijeron que no. Llegó ..." (found while checking the README's languages table)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import RunCli, write


@pytest.mark.parametrize(
    "sentences",
    [
        [
            "The answer was no.",
            "Officials said so on Tuesday.",
            "It was ticket no. 5 on No. 3 Road.",
        ],
        ["El ministro dijo que no.", "Llegó el 12 de marzo a Madrid, según el diario."],
        ["Il sindaco ha detto di no.", "Roma ha votato il bilancio martedì."],
    ],
)
def test_a_lowercase_no_ends_a_sentence(
    run_cli: RunCli, tmp_path: Path, sentences: list[str]
) -> None:
    r = run_cli("segment", str(write(tmp_path / "no.txt", "Title\n\n" + " ".join(sentences))))
    assert r.exit_code == 0, r.output
    rows = [ln.split(None, 3) for ln in r.output.splitlines() if ln and not ln.startswith("#")]
    assert [row[3] for row in rows if row[1] == "body"] == sentences
