"""The lines an HTML page's figures put into its extracted text (html_figures finds them).

Each figure is written as the picture it captions, `![caption](picture)`, with its credit on
the next line when there is one: the layout reads the first as media linked to the picture
and the second as a credit. Telling a credit the markup does not mark from the caption uses
the layout's own rules, which is why this is apart from html_figures (see there).
"""

from __future__ import annotations

from collections.abc import Iterable

from annotator.ingest.furniture import is_credit
from annotator.ingest.html_figures import KEY, Figure, visible
from annotator.ingest.layout_kinds import caption_credit, special_kind


def place_figures(text: str, figures: Iterable[Figure]) -> str:
    """`text` with each figure's caption (and credit) inserted after its line; `text` itself
    when none is."""
    lines = text.split("\n")
    shown = [visible(line) for line in lines]
    seen = " ".join(shown)
    inserts: dict[int, list[str]] = {}
    credits = {line.strip() for line in lines}
    for at, marked, marked_credit, src in figures:
        caption, credit = caption_and_credit(marked, marked_credit)
        words = caption or credit
        if not words or (words[:KEY] in seen if len(words) >= 20 else words in shown):
            continue  # no words, or the text has them already (captions_as_images marks them)
        if "[" in caption or "]" in caption:
            continue  # an alt text we cannot write
        if credit and caption and special_kind(credit) != "credit":
            # a credit the layout would not read as one on its own line ("(Matt Stone/Boston
            # Herald)" is a heading there) stays with the caption: media, not a heading
            caption, credit = f"{caption} {credit}", ""
        new = [f"![{caption}]({src})"]
        # a credit once per page: a short line that repeats is page furniture to the layout
        # (a running header), so the BBC's second "Reuters" would take the first with it
        if credit and credit not in credits:
            credits.add(credit)
            new.append(credit)
        inserts.setdefault(at, []).extend(new)
    if not inserts:
        return text
    out: list[str] = list(inserts.get(-1, ()))
    for n, line in enumerate(lines):
        out.append(line)
        out.extend(inserts.get(n, ()))
    return "\n".join(out)


def caption_and_credit(caption: str, credit: str) -> tuple[str, str]:
    """A figure's caption and photo credit: the credit its markup marks, else a last sentence
    of the caption that reads as one ("... in 1960. Photo: Bettmann Archive/Getty")."""
    if caption and not credit:
        if is_credit(caption):  # "Illustration: Sarah Grillo/Axios", all the caption there is
            return "", caption
        cut = caption_credit(caption)
        if cut is not None:
            caption, credit = caption[: cut[0]].strip(), caption[cut[1] :].strip()
    # Politico's "... in September. | Patrick Semansky/AP Photo": the bar is no word
    return caption, credit.lstrip("|/ ")
