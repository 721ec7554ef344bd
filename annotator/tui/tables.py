"""Rich tables for `annotator agreement` (the CLI imports this only for --format table).

Input is the same plain data the JSON output holds, so the table never shows a number the
JSON does not. Names, titles and sentences from the database are rendered as Text (never
markup) after `printable()`.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from annotator.safetext import printable

BAR_WIDTH = 20


def fmt(c: dict[str, Any] | None) -> Text:
    if not c or c.get("value") is None:
        return Text("undefined", style="dim italic")
    return Text(f"{c['value']:.3f}")


def ci_bar(c: dict[str, Any] | None, width: int = BAR_WIDTH) -> Text:
    """The value and its interval on a 0..1 scale: ──[━━●━━]──."""
    if not c or c.get("value") is None:
        return Text("")
    value = c["value"]
    lo, hi = c.get("ci95") or [value, value]

    def pos(x: float) -> int:
        return max(0, min(width - 1, round(max(0.0, min(1.0, x)) * (width - 1))))

    cells = ["─"] * width
    for i in range(pos(lo), pos(hi) + 1):
        cells[i] = "━"
    cells[pos(value)] = "●"
    color = "green" if value >= 0.8 else "yellow" if value >= 0.667 else "red"
    return Text("".join(cells), style=color)


def text(value: object, style: str = "") -> Text:
    return Text(printable("" if value is None else str(value)), style=style)


# a bootstrap on few units can put a bound where no coefficient can be (Fleiss' kappa at
# -3.69 was seen): shown within [-1, 1], marked, and the caption says why
LOWEST, HIGHEST = -1.0, 1.0
CLAMPED = "*"
NO_CI = "†"


def with_ci(c: dict[str, Any] | None) -> Text:
    value = fmt(c)
    ci = c.get("ci95") if c else None
    if ci:
        lo, hi = max(LOWEST, ci[0]), min(HIGHEST, ci[1])
        mark = CLAMPED if (lo, hi) != (ci[0], ci[1]) else ""
        value.append(f" [{lo:.2f}, {hi:.2f}]{mark}", style="dim")
    elif c and c.get("value") is not None and c.get("reason"):
        value.append(f" {NO_CI}", style="dim")  # a value without interval: the reason below
    return value


def clamped_any(data: dict[str, Any]) -> bool:
    for row in data["labels"] + data["sentence_fields"] + data["article_fields"]:
        for c in row.values():
            ci = c.get("ci95") if isinstance(c, dict) else None
            if ci and (ci[0] < LOWEST or ci[1] > HIGHEST):
                return True
    return False


def who_rated(names: list[str]) -> str:
    """ "3 annotators (alice, bob, carol)", "1 annotator (root)", or, with nobody, what the
    figures wait for (a demo user's first `R` read "0 annotators ()")."""
    if not names:
        return "no confirmed sentences yet (agreement needs two annotators')"
    shown = ", ".join(printable(a) for a in names)
    return f"{len(names)} annotator{'s' * (len(names) != 1)} ({shown})"


def label_table(data: dict[str, Any], bars: bool, wide: bool = True) -> Table:
    resamples = data["bootstrap"]["resamples"]
    t = Table(
        title=f"Agreement per label: {who_rated(data['annotators'])}, "
        f"{data['sentences']} sentences, "
        + (
            f"95% CI from {resamples} bootstrap resamples of "
            + ("whole articles" if data["bootstrap"].get("resampled") == "article" else "sentences")
            if resamples
            else "no intervals"
        ),
        title_justify="left",
    )
    t.add_column(
        "label", no_wrap=True, min_width=max([len(la["label"]) for la in data["labels"]] + [5])
    )
    t.add_column("α [95% CI]", justify="right", no_wrap=True)
    if bars:
        t.add_column("0 ─── α ─── 1", no_wrap=True)
    extra = ("pos", "neg", "prev") if wide else ()
    for col in ("AC1", "Fleiss", "%agr", *extra, "n"):
        t.add_column(col, justify="right", no_wrap=True)
    for la in data["labels"]:
        a = la["krippendorff_alpha"]
        prevalence = la["prevalence"]
        cells = [text(la["label"], "bold"), with_ci(a)]
        if bars:
            cells.append(ci_bar(a))
        cells += [fmt(la["gwet_ac1"]), fmt(la["fleiss_kappa"]), fmt(la["percent_agreement"])]
        if wide:
            cells += [
                fmt(la["positive_specific_agreement"]),
                fmt(la["negative_specific_agreement"]),
                Text("" if prevalence is None else f"{prevalence:.2f}"),
            ]
        cells.append(Text(str(la["pairable_units"])))
        t.add_row(*cells)
    t.caption = (
        "AC1: Gwet; Fleiss: Fleiss' kappa (Gwet's generalisation for missing "
        "ratings); %agr: observed agreement; "
        + (
            "pos/neg: specific agreement on present/absent; prev: share present; "
            if wide
            else "(a wider terminal or --format json adds specific agreement and prevalence); "
        )
        + "n: sentences with 2+ annotators"
    )
    t.caption_justify = "left"
    return t


def field_table(data: dict[str, Any], bars: bool) -> Table:
    t = Table(
        title="Fields: Krippendorff's alpha at the level the schema declares", title_justify="left"
    )
    for col in ("field", "level", "α [95% CI]"):
        t.add_column(
            col, justify="right" if col.startswith("α") else "left", no_wrap=col != "field"
        )
    if bars:
        t.add_column("0 ─── α ─── 1")
    t.add_column("n", justify="right")
    for f in data["sentence_fields"] + data["article_fields"]:
        a = f["krippendorff_alpha"]
        cells = [text(f"{f['title']} ({f['scope']})", "bold"), text(f["level"]), with_ci(a)]
        if bars:
            cells.append(ci_bar(a))
        cells.append(Text(str(f["pairable_units"])))
        t.add_row(*cells)
    return t


def reasons(data: dict[str, Any]) -> list[str]:
    """Why figures are undefined, or defined without an interval: one line per reason,
    naming what it affects (the table marks the latter with a dagger)."""
    grouped: dict[tuple[str, str], list[str]] = {}
    rows = [(la["label"], la) for la in data["labels"]]
    rows += [(f["field"], f) for f in data["sentence_fields"] + data["article_fields"]]
    for name, row in rows:
        for c in row.values():
            if not isinstance(c, dict) or not c.get("reason"):
                continue
            if c.get("value") is None:
                what = "undefined"
            elif c.get("ci95") is None:
                what = f"{NO_CI} no interval"
            else:
                continue
            names = grouped.setdefault((what, c["reason"]), [])
            if name not in names:
                names.append(name)
    return [
        # a reason that says "no interval: ..." itself is not said twice
        f"{what} for {', '.join(names)}: {reason.removeprefix('no interval: ')}"
        for (what, reason), names in grouped.items()
    ]


def short(c: dict[str, Any] | None) -> Text:
    if not c or c.get("value") is None:
        return Text("n/a", style="dim italic")
    return Text(f"{c['value']:.3f}")


def article_tables(data: list[dict[str, Any]], console: Console) -> None:
    """Alpha per article and label. One row per article when the labels fit across the
    terminal; else labels down the side and articles across, numbered, as many per table
    as fit (at 80 columns eleven cut columns were unreadable)."""
    labels = [la["label"] for la in data[0]["labels"]] if data else []
    title = "Krippendorff's alpha per article and label (no intervals: small samples)"
    label_w = max([len(x) for x in labels] + [len("pairable")])
    if console.width >= 44 + 8 * (len(labels) + 2):
        t = Table(title=title, title_justify="left")
        t.add_column("article", overflow="fold", ratio=1)
        t.add_column("pairable", justify="right", no_wrap=True)
        t.add_column("MASI α", justify="right", no_wrap=True)
        for label in labels:
            t.add_column(text(label), justify="right", no_wrap=True)
        for a in data:
            t.add_row(
                text(a["title"] or a["article"]),
                Text(str(a["pairable_units"])),
                short(a["masi_alpha"]),
                *[short(la["krippendorff_alpha"]) for la in a["labels"]],
            )
        console.print(t)
    else:
        per = max(1, (console.width - label_w - 4) // 9)
        for start in range(0, len(data), per):
            chunk = list(enumerate(data))[start : start + per]
            t = Table(title=title if start == 0 else None, title_justify="left")
            t.add_column("", no_wrap=True)
            for i, _a in chunk:
                t.add_column(f"#{i + 1}", justify="right", no_wrap=True)
            t.add_row(text("pairable", "bold"), *[Text(str(a["pairable_units"])) for _, a in chunk])
            t.add_row(text("MASI α", "bold"), *[short(a["masi_alpha"]) for _, a in chunk])
            for k, label in enumerate(labels):
                t.add_row(
                    text(label, "bold"),
                    *[short(a["labels"][k]["krippendorff_alpha"]) for _, a in chunk],
                )
            console.print(t)
        for i, a in enumerate(data):
            console.print(text(f"#{i + 1} {a['article']}: {a['title'] or ''}", "dim"))
    console.print(text("n/a: undefined (--format json gives the reason)", "dim"))


def print_agreement(kind: str, data: Any, console: Console | None = None) -> None:
    console = console or Console(highlight=False)
    bars = console.width >= 110
    if kind == "labels":
        console.print(label_table(data, bars, wide=console.width >= 100))
        console.print(field_table(data, bars))
        masi = data["masi_alpha"]
        console.print(
            Text.assemble(
                ("Whole label sets: ", "bold"), fmt(masi), (f"  ({masi['formula']})", "dim")
            )
        )
        for line in reasons(data)[:30]:
            console.print(text(line, "dim"))
        if clamped_any(data):
            console.print(
                text(
                    f"{CLAMPED} interval shown within [-1, 1]: the bootstrap on few units "
                    "went past what the coefficient can take (--format json has the raw bounds)",
                    "dim",
                )
            )
        # (the small-sample warning is among the notes)
        for note in data["notes"]:
            console.print(text(note, "yellow"))
    elif kind == "pairs":
        names = data["annotators"]
        by_label: dict[str, dict[tuple[str, str], dict[str, Any]]] = {}
        for p in data["pairs"]:
            by_label.setdefault(p["label"], {})[(p["annotator_a"], p["annotator_b"])] = p[
                "cohen_kappa"
            ]
        for label, cells in by_label.items():
            # kappa above the diagonal, and below it how many sentences the pair shares
            # (audit7 F19: with unequal overlaps a kappa means little without its n)
            t = Table(title=f"Cohen's kappa per pair: {printable(label)}", title_justify="left")
            t.add_column("")
            for n in names:
                t.add_column(text(n), justify="right")
            for i, a in enumerate(names):
                row = [text(a, "bold")]
                for j, b in enumerate(names):
                    c = cells.get((a, b)) or cells.get((b, a))
                    if i == j:
                        row.append(Text("—", style="dim"))
                    elif i < j:
                        row.append(fmt(c))
                    else:
                        units = None if c is None else c.get("units")
                        row.append(Text("" if units is None else f"n={units}", style="dim"))
                t.add_row(*row)
            console.print(t)
        if by_label:
            console.print(
                text("above the diagonal kappa; below it n, the sentences both confirmed")
            )
    elif kind == "articles":
        article_tables(data, console)
    elif kind == "disagreements":
        t = Table(
            title="Sentences with the most disagreement", title_justify="left", show_lines=True
        )
        # long ids and values fold inside their cell rather than being cut: at 80 columns
        # the article id and a source type are what tell one dispute from another
        t.add_column("where", overflow="fold", ratio=1)
        t.add_column("sentence", ratio=3)
        t.add_column("disputed", overflow="fold", ratio=1)
        t.add_column("annotators", overflow="fold", ratio=2)
        for d in data:
            who = Text()
            for name, labels in d["annotators"].items():
                fields = d.get("fields", {}).get(name, {})
                marks = [*labels, *(f"{k}={v}" for k, v in sorted(fields.items()))]
                who.append(printable(name), style="bold")
                who.append(": " + (" ".join(marks) or "—") + "\n")
            t.add_row(
                text(f"{d['article']} #{d['number']}"),
                text(d["text"]),
                text(" ".join(d["labels_disputed"]), "yellow"),
                who,
            )
        console.print(t)
    else:
        t = Table(
            title=f"Agreement in {printable(data['file'])}: {data['units']} units, "
            f"{data['annotators']} annotators, {data['pairable_units']} pairable, "
            f"level {data['level']}",
            title_justify="left",
        )
        for col in ("coefficient", "value [95% CI]", "note"):
            t.add_column(col, justify="right" if col.startswith("value") else "left")
        for name, value in data["metrics"].items():
            c = {"value": value, "ci95": data["ci95"].get(name)}
            t.add_row(
                text(name.replace("_", " "), "bold"),
                with_ci(c),
                text(data["notes"].get(name, ""), "dim"),
            )
        console.print(t)
        for note in data["input_notes"]:
            console.print(text(note, "dim"))
