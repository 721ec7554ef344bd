"""The article header and the progress line."""

from __future__ import annotations

from dataclasses import dataclass

from textual.content import Content
from textual.widgets import Static

from annotator.models.articles import Article
from annotator.tui.text import literal
from annotator.tui.widgets.steady import SteadyStatic

BYLINE_FIRST = 24  # one line: the title keeps at least this much before the byline is cut
AUTHOR_LEAST = 12  # ...and the author list at least this much before the date goes


def render_header(
    article: Article, first_sentence: str | None = None, one_line: bool = False, width: int = 0
) -> Content:
    """Title, then outlet, author, date and readability; `one_line` (a narrow terminal,
    where every row counts): both on one line, `width` columns. There the title is cut
    first, so that who wrote it and when stays in view (attribution turns on it); the
    stylesheet's ellipsis cuts what is left."""
    meta = [x for x in (article.outlet, article.author, article.published) if x]
    # English is the default and goes unsaid; another language explains the missing
    # readability grade (the formulas fit English only) and warns that the splitter's rules
    # are English ones
    language = article.language if article.language and article.language != "en" else ""
    said = f"language {language}" if language else ""
    author = literal(article.author) if article.author else None
    if one_line and width and author is not None:
        # a byline of three names pushed the date off the line (audit9a F8): the author
        # list is cut ("Veronika Kyrylenko, Jonathan H…") so that the date stays whole
        needed = sum(literal(m).cell_length + 3 for m in meta) + len(said) + 5
        over = needed - (width - BYLINE_FIRST - 1)
        if over > 0:
            keep = max(AUTHOR_LEAST, author.cell_length - over)
            if keep < author.cell_length:
                author = author.truncate(keep - 1).rstrip() + Content("…")
    if article.title:
        parts: list[Content | str | tuple[str, str]] = [literal(article.title, "bold")]
    else:
        # scraped text often has no headline: say so, and show how the article opens
        opening = (first_sentence or "")[:90] + ("…" if len(first_sentence or "") > 90 else "")
        parts = [
            ("untitled ", "italic $text-muted"),
            literal(article.external_id, "bold"),
            ("  ", ""),
            literal(opening, "italic $text-muted"),
        ]
    line2: list[Content | str | tuple[str, str]] = []
    for i, m in enumerate(meta):
        if i:
            line2.append((" · ", "$text-muted"))
        line2.append(author if m is article.author and author is not None else literal(m))
    if article.flesch_kincaid_grade is not None:
        if line2:
            line2.append((" · ", "$text-muted"))
        line2.append((f"grade {article.flesch_kincaid_grade:.1f}", "$text-muted"))
        if article.flesch_reading_ease is not None:
            line2.append((f" (reading ease {article.flesch_reading_ease:.0f})", "$text-muted"))
    if said:
        # last on a wide header; first on a narrow line, where the end is what the ellipsis
        # cuts (audit5 F4)
        sep: list[Content | str | tuple[str, str]] = [(" · ", "$text-muted")] if line2 else []
        if one_line:
            line2 = [(said, "$text-muted"), *sep, *line2]
        else:
            line2 = [*line2, *sep, (said, "$text-muted")]
    if not one_line:
        if line2:
            parts += ["\n", *line2]
        return Content.assemble(*parts)
    title = Content.assemble(*parts)
    title = Content(" ").join(title.split("\n"))
    if not line2:
        return title
    byline = Content.assemble(("  · ", "$text-muted"), *line2)
    # room for who and when; the readability grade after them may fall off the end (and
    # with no byline, nothing is worth cutting the title for)
    shown = [author if m is article.author and author is not None else literal(m) for m in meta]
    room = width - sum(m.cell_length + 3 for m in shown) - (len(said) + 3 if said else 0) - 2
    if (meta or said) and width and title.cell_length > room:
        # the title gives way to the byline, down to its first words
        keep = max(BYLINE_FIRST, room) - 1
        title = title.truncate(keep).rstrip() + Content("…")
    return Content.assemble(title, byline)


@dataclass(frozen=True)
class Progress:
    sentence: int
    sentences: int
    article: int
    articles: int
    article_confirmed: int
    corpus_percent: float
    annotator: str
    blind: bool  # others' labels are not shown
    # the project's `blind` setting: only there does not showing them make the work blind
    blind_project: bool = True
    read_only: bool = False  # the database cannot be written: said first, on every refresh
    # with assignments, `article`/`articles` are the place in the annotator's queue and its
    # length (0: this article is not in it), and `corpus_percent` the queue's share confirmed
    queue: bool = False
    # the article form: fields set of all (narrow, the side panel that lists them is hidden)
    form: tuple[int, int] = (0, 0)


def render_progress(p: Progress, narrow: bool = False) -> Content:
    """The progress line; narrow, in short words, so that "blind" never falls off the end.

    "blind" only in a blind project (it read as "this project is blind" where it is not);
    elsewhere not showing others' labels is the usual case, and goes unsaid."""
    mode = ("blind" if p.blind_project else "") if p.blind else "showing others"
    # the database cannot be written: said first (and only then, so the line is unchanged)
    flag: list[tuple[str, str]] = []
    if p.read_only:
        flag = [("READ-ONLY " if narrow else "READ-ONLY: nothing is saved  ", "bold $text-error")]
    place = f"{p.article or '–'}/{p.articles}"
    if narrow:
        return Content.assemble(
            *flag,
            f"{p.sentence}/{p.sentences}",
            (" queue " if p.queue else " art ", "$text-muted"),
            place,
            (" here ", "$text-muted"),
            f"{p.article_confirmed}/{p.sentences}",
            (" form ", "$text-muted"),
            f"{p.form[0]}/{p.form[1]}",
            (" done " if p.queue else " corpus ", "$text-muted"),
            f"{p.corpus_percent:.1f}% ",
            (f"{mode} " if mode else "", "bold"),
            literal(p.annotator, "bold"),
        )
    return Content.assemble(
        *flag,
        ("Sentence ", "$text-muted"),
        f"{p.sentence}/{p.sentences}",
        ("  queue " if p.queue else "  Article ", "$text-muted"),
        place,
        ("  confirmed here ", "$text-muted"),
        f"{p.article_confirmed}/{p.sentences}",
        ("  queue done " if p.queue else "  corpus ", "$text-muted"),
        f"{p.corpus_percent:.1f}%",
        ("  annotator ", "$text-muted"),
        literal(p.annotator, "bold"),
        ("  " + mode if mode else "", "$text-muted"),
    )


class ArticleHeader(Static):
    def show(self, article: Article, first_sentence: str | None = None, width: int = 0) -> None:
        """`width`: the screen's, which the header spans (its own is not laid out yet on
        a resize)."""
        narrow = self.screen.has_class("-narrow")
        self.update(render_header(article, first_sentence, narrow, max(0, width - 2)))


class ProgressLine(SteadyStatic):
    def show_progress(self, progress: Progress) -> None:
        self.remove_class("-error")
        self.show(render_progress(progress, self.screen.has_class("-narrow")))

    def error(self, message: str) -> None:
        self.add_class("-error")
        self.show(literal(message, "bold"))
