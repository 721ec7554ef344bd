"""The side panel: label legend with counts, the definition under the label cursor, the
source type keys, this sentence's comment and the article-level judgements."""

from __future__ import annotations

import textwrap
from collections import Counter
from typing import Any

from textual.content import Content
from textual.widgets import Static

from annotator.labeling import SentenceState
from annotator.models.suggestions import Suggestion
from annotator.schema import LabelSchema
from annotator.tui.text import chip, literal
from annotator.tui.widgets.rows import suggested_chip
from annotator.tui.widgets.steady import SteadyStatic


def definition_heights(schema: LabelSchema, styles: object, width: int) -> list[int]:
    """The wrapped height of each label's definition at this width (compute once per width:
    wrapping eight paragraphs on every key would cost more than the layout it saves)."""
    if width <= 0:
        return [0] * len(schema.labels)
    return [
        literal(lab.description).get_height(styles, width)  # type: ignore[arg-type]
        for lab in schema.labels
    ]


def render_legend(
    schema: LabelSchema,
    counts: Counter[str] | None,
    cursor: int,
    state: SentenceState,
    padding: int = 0,
    links: tuple[tuple[str, str], ...] = (),
    link_lines: int = 0,
) -> Content:
    parts: list[Content | str | tuple[str, str]] = [
        ("Labels", "bold"),
        "  ",
        ("tab moves ▸  ? guideline", "$text-muted"),
    ]
    width = max(len(lab.name) for lab in schema.labels)
    for i, lab in enumerate(schema.labels):
        on = lab.name in state.labels
        pointer = "▸" if i == cursor else " "
        count = "…" if counts is None else str(counts.get(lab.name, 0))
        parts.append("\n")
        parts.append((f"{pointer} ", "bold $accent"))
        parts.append((f"{lab.key} ", "bold"))
        parts.append(
            chip(lab.name.ljust(width), schema.color(lab.name))
            if on
            else literal(f" {lab.name.ljust(width)} ", "$text")
        )
        parts.append((f" {count:>5}", "$text-muted"))
    lab = schema.labels[cursor]
    parts += [
        "\n\n",
        literal(lab.title or lab.name, "bold"),
        "\n",
        literal(lab.description, "$text-muted"),
    ]
    if padding:
        parts.append("\n" * padding)
    for sf in schema.sentence_fields:
        active = sf.label in state.labels
        parts += [
            "\n\n",
            literal(sf.title, "bold" if active else "$text-muted"),
            (f"  (after {schema.label(sf.label).key})", "$text-muted"),
        ]
        current = state.field(sf.name)
        for c in sf.values:
            mark = "●" if current == str(c.value) else "○"
            style = "" if active else "$text-muted"
            parts += ["\n", (f"{mark} {c.key} ", style), literal(c.title, style)]
    parts += render_links(links, link_lines)
    return Content.assemble(*parts)


def render_links(
    links: tuple[tuple[str, str], ...], reserve: int
) -> list[Content | str | tuple[str, str]]:
    """The links of the sentence under the cursor: (link text, url), the url in full, in
    `reserve` lines (the most links a sentence of this article has), so that moving never
    changes the panel's height (which would cost a layout of the screen)."""
    parts: list[Content | str | tuple[str, str]] = []
    if reserve:
        parts += ["\n\n", ("Links here", "bold")]
        if not links:
            parts += ["\n", ("none", "$text-muted")]
    for text, url in links:
        parts += ["\n", literal(text, "underline")]
        if url != text:  # a bare link is its own url: once is enough
            parts += [(" → ", "$text-muted"), literal(url or "(no url)")]
    parts.append("\n" * max(0, reserve - max(1, len(links))))
    return parts


def _label_row(
    schema: LabelSchema, state: SentenceState, cursor: int, width: int
) -> list[Content | str | tuple[str, str]]:
    """Every label key on one line that never wraps. Where each key is its label's first
    letter (the default schema), the name's first letter is marked as the key, as menus
    mark theirs: at 80 columns every name stands whole ("HEDGED", not "HEDG"). Otherwise
    "k NAME". Names that still do not fit are cut to the same length (the label under the
    cursor stays whole)."""
    named = all(lab.key.lower() == lab.name[:1].lower() for lab in schema.labels)

    def short(name: str, cut: int | None) -> str:
        # a name one letter longer than the cut stays whole: "NON" saves nothing
        return name if cut is None or len(name) <= cut + 1 else name[:cut]

    def names(cut: int | None) -> list[str]:
        return [
            lab.name if i == cursor else short(lab.name, cut) for i, lab in enumerate(schema.labels)
        ]

    def length(cut: int | None) -> int:
        # keyed: ▸ + key + " NAME " + a space between labels; named: a marker + NAME + a
        # space; with room for the longest name whole wherever the cursor is: the line must
        # not change its cut as the cursor moves
        full = [len(lab.name) for lab in schema.labels]
        shown = [len(short(lab.name, cut)) for lab in schema.labels]
        if named:
            return sum(n + 2 for n in shown) + (0 if cut is None else max(full) - min(shown))
        return sum(n + 4 for n in shown) + (max(full) - min(shown) + 1) - 1

    cut: int | None = None
    for smaller in (6, 5, 4, 3, 2, 1):
        if not width or length(cut) <= width:
            break
        cut = smaller
    shown = names(cut)
    if named:
        return _named_row(schema, state, cursor, shown)
    parts: list[Content | str | tuple[str, str]] = []
    for i, (lab, name) in enumerate(zip(schema.labels, shown, strict=True)):
        # the label cursor (tab moves it, ? shows its guideline) is visible here too
        if i:
            parts.append(" ")
        parts.append(("▸" if i == cursor else "", "bold $accent"))
        parts.append((f"{lab.key}", "bold"))
        if lab.name in state.labels:
            parts.append(chip(name, schema.color(lab.name)))
        else:
            parts.append(literal(f" {name} ", "$text-muted"))
    return parts


def _named_row(
    schema: LabelSchema, state: SentenceState, cursor: int, names: list[str]
) -> list[Content | str | tuple[str, str]]:
    """The names as shown, each key letter bold and underlined (▸ before the label
    cursor's); a label that is on is a chip, as under the sentence."""
    parts: list[Content | str | tuple[str, str]] = []
    for i, (lab, name) in enumerate(zip(schema.labels, names, strict=True)):
        parts.append(("▸" if i == cursor else " ", "bold $accent"))
        on = lab.name in state.labels
        base = f"#101010 on {schema.color(lab.name)}" if on else "$text-muted"
        parts.append(literal(name[:1], f"{base} bold underline"))
        parts.append(literal(name[1:], base))
        parts.append(" ")
    return parts


NOTE_STYLE = {"information": "bold", "warning": "bold $warning", "error": "bold $error"}


def render_legend_line(
    schema: LabelSchema,
    state: SentenceState,
    links: tuple[tuple[str, str], ...] = (),
    width: int = 0,
    cursor: int = -1,
    note: tuple[str, str] | None = None,
    suggested: tuple[Suggestion, ...] = (),
) -> Content:
    """The legend for terminals too narrow for the side panel, in two lines that never
    wrap (their height never changes, so a key never costs a layout): the label keys, then
    one line for what matters now, the first that applies: a message (`note`: text and
    severity; toasts would cover the sentences; both lines if it is longer than one), else
    in this order on one line, the source-type keys while their label is on (the guidelines
    ask for one at confirm), the sentence's suggestions not yet accepted (`suggested`: the
    side panel's account of them, which is hidden: source, version, score and the cue that
    fired, so that `y` is never pressed blind), the links of the sentence under the cursor
    (rule 4 turns on where they sit); else the definition of the label under the cursor."""
    parts = _label_row(schema, state, cursor, width)
    if not width:
        return Content.assemble(*parts)
    line: list[Content | str | tuple[str, str]] = []
    if note is not None:
        # a message takes the second line, and the first too if it needs it, unless a label
        # lacks its source type: then it takes the first and the choices stay in view below
        style = NOTE_STYLE.get(note[1], "bold")
        said = " ".join(note[0].split())
        lacking = any(
            sf.label in state.labels and state.field(sf.name) is None
            for sf in schema.sentence_fields
        )
        if not lacking and len(said) <= width:
            return Content.assemble(*parts, "\n", literal(said, style))
        if not lacking:
            wrapped = textwrap.wrap(said, width) or [""]
            second = " ".join(wrapped[1:])
            return Content.assemble(
                _cut(literal(wrapped[0], style), width), "\n", _cut(literal(second, style), width)
            )
        parts = [_cut(literal(said, style), width)]
    for sf in schema.sentence_fields:
        if sf.label not in state.labels:
            continue
        current = state.field(sf.name)
        line.append(literal(sf.title, "bold"))
        # every choice while none is set (the values as the chips name them: the titles are
        # too long for one line); once set, the choice alone, so that the links fit beside it
        for c in sf.values:
            on = current == str(c.value)
            if current is None or on:
                mark = (f" {'●' if on else '○'}{c.key} ", "bold" if on else "")
                line += [mark, literal(str(c.value))]
        if current is not None and len(sf.values) > 1:
            line.append((f" ({sf.values[0].key}-{sf.values[-1].key})", "$text-muted"))
        if links or suggested:
            line.append(("  │ ", "$text-muted"))
    if suggested:
        used = Content.assemble(*line).cell_length
        line += suggestion_parts(suggested, schema, max(0, width - used))
        if links:
            line.append(("  │ ", "$text-muted"))
    for text, url in links:
        line.append(literal(text, "underline"))
        if url != text:  # a bare link is its own url: once is enough
            line += [(" → ", "$text-muted"), literal(url or "(no url)")]
        line.append("  ")
    if not line and 0 <= cursor < len(schema.labels):
        lab = schema.labels[cursor]
        line = [
            literal(f"{lab.name}: ", "bold"),
            literal(" ".join(lab.description.split()), "$text-muted"),
        ]
    return Content.assemble(*parts, "\n", _cut(Content.assemble(*line), width))


def suggestion_parts(
    suggested: tuple[Suggestion, ...], schema: LabelSchema, room: int = 0
) -> list[Content | str | tuple[str, str]]:
    """The suggestions of one sentence on part of one line: each source@version once
    (the sources of one sentence are few, its labels often share one), then each of its
    labels as a suggested chip with the guessed source type, the score and the cue. With
    `room` (the columns left on the line), the cues share what the rest leaves, the longest
    cut first: a quotation's cue is the whole quotation, and would push the next label off
    the line."""
    heads: list[list[Content | str | tuple[str, str]]] = []
    cues: list[Content] = []
    source: tuple[str, str] | None = None
    # where each head holds its source@version (None: the source of the label before)
    names: list[int | None] = []
    for s in suggested:
        head: list[Content | str | tuple[str, str]] = []
        names.append(None)
        if (s.source, s.version) != source:
            source = (s.source, s.version)
            if heads:
                head.append("  ")
            names[-1] = len(head)
            head.append(literal(f"{s.source}@{s.version}", "$text-muted"))
        elif heads:
            head.append(" ")
        kind = f" {s.source_type}" if s.source_type else ""
        head += [" ", suggested_chip(s.label, schema)]
        head.append(literal(f"{kind} {s.score:.2f}{': ' if s.cue else ''}", "$text-muted"))
        heads.append(head)
        cues.append(literal(" ".join(s.cue.split()) if s.cue else "", "$text-muted"))
    if room:

        def fixed() -> int:
            return Content.assemble(*(x for head in heads for x in head)).cell_length

        if fixed() + sum(c.cell_length for c in cues) > room:
            # short of room: the words that fired, without their group's name (the label
            # says as much: "reporting_verbs: said" is ATTRIBUTED's "said")
            cues = [_fired(c) for c in cues]
        # the long names of outside models (ours are short: never cut)
        named = [
            (head, at)
            for head, at in zip(heads, names, strict=True)
            if at is not None and _cells(head[at]) > NAME_KEPT
        ]
        lengths = [_cells(head[at]) for head, at in named]
        if fixed() > room and lengths:
            # cut, the longest first, before any label, score or guess is pushed off the
            # line (audit15a F13: a 100-character source took all of it), by what is left
            # once the rest and the cues, at their shortest, have theirs; the side panel,
            # on a wider terminal, has them whole
            left = room - (fixed() - sum(lengths)) - sum(min(c.cell_length, CUE_MIN) for c in cues)
            share = _fair_share(lengths, left, NAME_LEAST)
            for head, at in named:
                name = head[at]
                if isinstance(name, Content) and name.cell_length > share:
                    head[at] = _middle_cut(name, share)
        cap = _fair_share([c.cell_length for c in cues], room - fixed())
        cues = [c if c.cell_length <= cap else c.truncate(cap - 1) + Content("…") for c in cues]
    return [x for head, cue in zip(heads, cues, strict=True) for x in (*head, cue)]


NAME_KEPT = 13
"""A source@version this short is never cut (ours: `cues@a682f35d`, `model@nb1-173`)."""
NAME_LEAST = 4
"""The fewest columns a long outside name keeps on a line short of room: `rob…`."""


def _cells(part: Content | str | tuple[str, str]) -> int:
    return part.cell_length if isinstance(part, Content) else Content.assemble(part).cell_length


def _middle_cut(name: Content, cells: int) -> Content:
    """`name` in `cells` columns, cut in the middle: its first letters and its end (the
    version, the model's variant), which tell two sources of one team apart (audit15c F4:
    cut at the end, production and staging both read `new…`)."""
    tail_cells = (cells - 1) // 2
    tail_at = len(name.plain)
    while tail_at > 0 and name[tail_at - 1 :].cell_length <= tail_cells:
        tail_at -= 1
    tail = name[tail_at:]
    head = name.truncate(cells - 1 - tail.cell_length)
    return head + Content("…") + tail


def _fired(cue: Content) -> Content:
    """A cue without its group's name: "hedges: could not" -> "could not"."""
    group, sep, words = cue.plain.partition(": ")
    return cue[len(group) + len(sep) :] if sep and words and " " not in group else cue


CUE_MIN = 8
"""The fewest columns a cut cue keeps: enough to recognise it."""


def _fair_share(lengths: list[int], room: int, least: int = CUE_MIN) -> int:
    """The longest a cue (or name) may be so that all fit in `room`: short ones whole, the
    others cut to one length (but never below `least`: then the line's end is cut
    instead)."""
    left = len(lengths)
    for n in sorted(lengths):
        if n * left > room:
            break
        room -= n
        left -= 1
    return max(least, room // left) if left else max(lengths, default=0)


def _cut(row: Content, width: int) -> Content:
    row = row.rstrip()
    return row.truncate(width - 1) + Content("…") if row.cell_length > width else row


def render_article_fields(
    schema: LabelSchema, values: dict[str, Any], comment: str | None = None
) -> Content:
    parts: list[Content | str | tuple[str, str]] = [
        ("Article", "bold"),
        "  ",
        ("A edits", "$text-muted"),
    ]
    for f in schema.article_fields:
        v = values.get(f.name)
        choice = f.choice(v) if v is not None else None
        shown = choice.title if choice else ("—" if v is None else str(v))
        parts += [
            "\n",
            literal(f.title, "$text-muted"),
            ": ",
            literal(shown, "" if v is not None else "$text-muted"),
        ]
    if comment:
        joined = " / ".join(x.strip() for x in comment.splitlines() if x.strip())
        parts += ["\n", literal("Comment", "$text-muted"), ": ", literal(joined, "italic")]
    return Content.assemble(*parts)


class Legend(SteadyStatic):
    pass


class LegendLine(SteadyStatic):
    pass


class ArticleFields(Static):
    pass
