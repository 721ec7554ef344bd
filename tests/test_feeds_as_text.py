"""An RSS or Atom feed saved as .txt/.md is refused by name with what to do (audit6 F18: it
was imported as one article of markup, two "sentences" of tags); text that only mentions
feeds is an article as before."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.consumers import cli_run

RSS = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<!-- generator -->\n<rss version="2.0"><channel>'
    "<title>Gazette</title><item><title>Item 0</title><description>Text</description></item>"
    "</channel></rss>\n"
)
ATOM = '\ufeff<feed xmlns="http://www.w3.org/2005/Atom"><title>G</title><entry/></feed>\n'
RDF = '<?xml version="1.0"?><rdf:RDF xmlns:rdf="x"><channel/></rdf:RDF>\n'


@pytest.mark.parametrize(
    ("name", "text", "kind"),
    [
        ("rss.txt", RSS, "an RSS feed"),
        ("atom.md", ATOM, "an Atom feed"),
        ("rdf.txt", RDF, "an RSS feed"),
    ],
)
def test_a_feed_saved_as_text_is_refused(tmp_path: Path, name: str, text: str, kind: str) -> None:
    src = tmp_path / name
    src.write_text(text, encoding="utf-8")
    out = cli_run(tmp_path / "f.sqlite", "import", str(src))
    said = " ".join(out.output.split())
    assert out.exit_code == 1 and f"{src}: {kind}, not an article" in said, said


def test_an_article_about_feeds_is_an_article(tmp_path: Path) -> None:
    src = tmp_path / "a.txt"
    src.write_text(
        "Feeds are back\n\nThe <rss> tag opens a feed, the developers said. It is old.\n"
    )
    out = cli_run(tmp_path / "f.sqlite", "import", str(src))
    assert out.exit_code == 0 and "imported 1 article" in out.output, out.output
