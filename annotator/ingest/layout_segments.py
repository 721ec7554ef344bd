"""The segments of one paragraph (block): each line is a table row, a heading, an image,
a caption and its credit, furniture, a byline, a list item, a headline on its own line, or
prose; prose lines are gathered into runs that the assembler splits into sentences."""

from __future__ import annotations

from annotator.ingest import furniture as fx
from annotator.ingest.cards import card_links
from annotator.ingest.image_lines import (
    LINKED_IMAGE_LINE,
    REF_IMAGE_LINE,
    decorated_point,
    image_caption,
    img_tag,
)
from annotator.ingest.layout_assembly import Assembler
from annotator.ingest.layout_inline import IMAGE_LINE, Link
from annotator.ingest.layout_kinds import (
    AUTHOR_PAGE,
    TABLE_ROW,
    TABLE_RULE,
    caption_credit,
    complete_line,
    dash_points,
    line_boundary,
    link_only,
    long_headline,
    next_line,
    one_sentence,
    paren_credit,
    special_kind,
    standalone,
)
from annotator.ingest.layout_lines import Block, Line, is_furniture, looks_like_heading, words
from annotator.ingest.page_sections import ends_related
from annotator.ingest.sentences import split_sentences
from annotator.ingest.static_site import figure_caption

# the lines at the top of an article where a lede may have lost its drop capital
LEDE_LINES = 12


def may_end_in_credit(vis: str) -> bool:
    """Can caption_credit find a credit closing the line? Not when the line ends a sentence
    or a clause: a credit has no final punctuation, and the piece caption_credit takes for
    one (the last sentence, or what follows a "Credit..." glued to a full stop) ends where
    the line does. Most prose lines are spared the search (the same answers:
    tests/test_layout_shortcuts.py)."""
    return not vis.rstrip().endswith((".", "!", "?", ":", ","))


def block_segments(asm: Assembler, block: Block, single: bool) -> None:
    run_start: int | None = None  # cleaned offset where the current prose run began
    run_links: list[Link] = []

    def close_run() -> None:
        nonlocal run_start, run_links
        if run_start is not None:
            asm.add_run(run_start, asm.b.length, run_links)
        run_start, run_links = None, []

    previous: Line | bool | None = None
    last_prose = ""  # the previous line, when it went into the current prose run
    items = block.items
    for idx, item in enumerate(items):
        if isinstance(item, bool):
            # rejoining across removed furniture: one space where the page broke
            assert isinstance(previous, Line)
            after = next_line(items, idx)
            if isinstance(after, Line) and (
                complete_line(previous.visible, after.visible)
                # a counter alone ("0" comments under a teaser) is not the rest of a sentence
                or after.visible.isdigit()
            ):
                # ... unless the line before is complete without its full stop and the next
                # opens a new one (a related box's teasers between repeated section labels,
                # "... as cases continue to drop" / "From Cali to Cork: ..."): a line break
                continue
            asm.b.insert(" ", previous.end)
            previous = item
            last_prose = ""  # rejoined across removed furniture: a join, decided
            continue
        ln = item
        # before the article's first sentence, a lede may have lost its drop capital (looked
        # for near the top only: each look scans the article, and a text without a full stop
        # would be scanned once per line)
        lede = (
            asm.source
            if asm.prose_ends == 0 and asm.line_index.get(id(ln), LEDE_LINES) < LEDE_LINES
            else None
        )
        if isinstance(previous, Line):
            asm.b.insert("\n", previous.end)
        previous = ln
        vis = ln.visible
        raw = asm.source[ln.start : ln.end]
        c0 = raw[:1]
        image = (
            (IMAGE_LINE.match(raw) or REF_IMAGE_LINE.match(raw))
            if c0 == "!"
            else LINKED_IMAGE_LINE.match(raw)
            if c0 == "[" and raw.startswith("[![")
            else None
        )
        tag = img_tag(raw) if c0 == "<" else None
        # a static site's figure shortcode and its caption (static_site.py)
        figure = figure_caption(raw) if c0 == "{" else None
        kind = "media" if image or tag or figure else special_kind(vis)
        if kind is None and raw.startswith("![") and image_caption(raw, vis, next_line(items, idx)):
            kind = "media"  # "![](...jpg) Brian Manning -": a photograph and its caption
        # (an image line opens with "!": most lines do not)
        point = decorated_point(raw) if kind is None and raw[:1] == "!" else None
        if point is not None:
            # "![](.../flecha.jpg) The Ávoris airline will ...": an arrow as a bullet
            close_run()
            s, e, links = asm.copy_inline(ln.start + point, ln.end)
            asm.add(s, e, "list_item", links)
            last_prose = ""
            continue
        # (each pattern only where the line's first character can open it)
        c = raw[:1]
        heading = fx.MARKDOWN_HEADING.match(raw) if c == "#" else None
        bullet = fx.LIST_ITEM.match(raw) if fx.may_open_list_item(c) else None
        trailing = None if kind or heading or bullet else fx.trailing_media(raw)
        table = TABLE_ROW.match(raw) if c == "|" else None
        if asm.related and not (image or table):
            # the entries of a related-stories box: headlines, teasers, dates
            if ends_related(vis) or asm.prose_resumes(ln):
                asm.related = False
            else:
                close_run()
                s, e, links = asm.copy_line(ln)
                strip = bullet.end() if bullet else heading.end() if heading else 0
                asm.add(s + strip, e, "furniture", links)
                last_prose = ""
                # the related box may run into the comment section ("Related" ... "3 thoughts
                # on ..."): what follows its heading is readers', not the article's
                if kind == "furniture" and asm.open_comments(vis, ln.start, s):
                    asm.related = False
                continue
        if not ln.plain and not kind and not table and (card := card_links(raw)):
            # a teaser card (a label, a picture, a headline glued as links): each link one
            # furniture segment, a line break between ("Cork Loves" / "Gillian returned ...")
            close_run()
            put = False
            for a, b in card:
                if put:
                    asm.b.insert("\n", ln.start + a)
                s, e, links = asm.copy_inline(ln.start + a, ln.start + b)
                put = e > s
                if put:
                    asm.add(s, e, "furniture", links)
            last_prose = ""
            continue
        if table:
            # a table row is a segment of its own kind, never prose; the rule is markup
            close_run()
            if not TABLE_RULE.match(raw):
                s, e, links = asm.copy_line(ln)
                asm.add(s, e, "table", links)
            else:
                asm.b.copy(ln.start, ln.end)
        elif heading:
            close_run()
            s, e, links = asm.copy_inline(ln.start + heading.end(), ln.end)
            # a heading holding an image is a teaser card ("# See wild horses![Limited -
            # ...](...jpg)"), not a section of the article
            furniture = is_furniture(vis[heading.end() :]) or "![" in raw
            if not furniture and _sentences(vis[heading.end() :]):
                # a standfirst set as a heading ("## The Amazon has been burning for weeks
                # ... deforestation. The intense smoke was detected ..."): a heading has one
                # sentence at most; these are body sentences
                asm.add_run(s, e, links)
                asm.prose_ends += 1
                last_prose = ""
                continue
            asm.add(s, e, "furniture" if furniture else "heading", links)
            if furniture:
                asm.related = asm.related or asm.opens_related(vis[heading.end() :])
                # "## Comments" opens the comment section as "Comments" does
                asm.open_comments(vis[heading.end() :], ln.start, s)
        elif image:
            # the image's alt text is its caption; the syntax and the URL are not text (a
            # reference-style picture's address is defined elsewhere: its text alone)
            close_run()
            s, e = asm.b.copy(ln.start + image.start(1), ln.start + image.end(1))
            url = image.group(2) if image.re is not REF_IMAGE_LINE else None
            asm.add(s, e, "media", [Link(s, e, url)] if e > s and url else [])
        elif tag:
            close_run()
            s, e = asm.b.copy(ln.start + tag[0], ln.start + tag[1])
            asm.add(s, e, "media", [Link(s, e, tag[2])] if e > s and tag[2] else [])
        elif figure:
            close_run()
            s, e = asm.b.copy(ln.start + figure[0], ln.start + figure[1])
            asm.add(s, e, "media", [Link(s, e, figure[2])] if e > s and figure[2] else [])
        elif (
            kind in (None, "credit")
            and not (heading or bullet or trailing)
            and may_end_in_credit(vis)
            and (cc := caption_credit(vis)) is not None
            and (
                single
                or standalone(run_start is None, last_prose, vis, next_line(items, idx), lede)
            )
        ):
            # a caption that ends with its credit ("... 拍照留念。新华社记者 才扬 摄",
            # "... area. Photos: Donavan McIntosh/Tribune Staff"): two segments
            close_run()
            s, e, links = asm.copy_line(ln)
            if e - s == len(vis):  # the cleaned line is its visible text, offsets and all
                asm.add(s, s + cc[0], "media", links)
                asm.add(s + cc[1], e, "credit", links)
            else:
                asm.add(s, e, "media", links)
        elif kind:
            close_run()
            s, e, links = asm.copy_line(ln)
            asm.add(s + (bullet.end() if bullet else 0), e, kind, links)
            if kind == "furniture":
                asm.related = asm.opens_related(vis)
                asm.open_comments(vis, ln.start, s)
        elif c in "—–" and dash_points(items, idx):
            # a list whose points open with a dash: one list item a line, the dash kept (as
            # an item's number is)
            close_run()
            s, e, links = asm.copy_line(ln)
            asm.add(s, e, "list_item", links)
        elif bullet and (
            is_furniture(vis[len(bullet.group()) :])
            or link_only(raw[bullet.end() :])
            or not any(c.isalnum() for c in vis[len(bullet.group()) :])  # "*   *": icons
            or raw.startswith("![", bullet.end())  # "- ![Limited - ...](...jpg) Visit ...": a card
            # a share button: an empty link whose URL does not parse ("* [](mailto:?&subject=
            # ...%0ARead More:%0Ahttps...)": a space in it), so its syntax shows
            or raw.startswith("[](", bullet.end())
        ):
            # a navigation list ("- Facebook", "- Skip to content"), or an item that is one
            # link to another story ("- [Six Sixers takeaways after six games](/sixers-...)")
            close_run()
            s, e, links = asm.copy_line(ln)
            asm.add(s + bullet.end(), e, "furniture", links)
            asm.related = asm.related or asm.opens_related(vis[len(bullet.group()) :])
        elif bullet:
            close_run()
            s, e, links = asm.copy_line(ln)
            # the line's cleaned text is its visible text (links reduced the same way)
            spans = split_sentences(vis) if len(vis) == e - s else []
            # fragments ("Coming Soon! Ad FREE") stay one item: split when at least two
            # pieces are sentence-sized
            if sum(words(vis[a:b]) >= 3 for a, b in spans) < 2:
                asm.add(s + bullet.end(), e, "list_item", links)
            else:
                # an item of several sentences (or an inline list "1) ... 2) ..."): one
                # segment each, of kind list item. A bullet opening the line is markup, as
                # on a one-sentence item; an inline list keeps its markers ("• 9. The first
                # item • 10. The second item", as the Golden Rules expect), and so does a
                # number ("1.) The first item")
                asm.prose_ends += 1  # an item of sentences: the article has begun
                inline = vis.count(raw[0]) > 1 and raw[0] in "•‣⁃◦▪"
                first = s + (bullet.end() if raw[0] in "-*+•‣⁃◦▪" and not inline else 0)
                for i, (a, b) in enumerate(spans):
                    asm.add(first if i == 0 else s + a, s + b, "list_item", links)
        elif (
            not trailing
            and (
                looks_like_heading(vis)
                # the Daily Mail's 30-word headline, the body's first line
                or (asm.line_index.get(id(ln)) == 0 and long_headline(vis))
            )
            and one_sentence(vis)
            and not fx.trailing_media(vis)  # a post's text and its link: "... nose. pic.twitter"
            and (
                single
                or (
                    standalone(run_start is None, last_prose, vis, next_line(items, idx), lede)
                    and not _inline_break(asm.source, vis, next_line(items, idx))
                )
            )
        ):
            # a line on its own (a paragraph of one line, or a line that neither continues
            # the one before nor runs on into the next): a headline; when it is only a link
            # to another story, a teaser
            close_run()
            s, e, links = asm.copy_line(ln)
            if link_only(raw):
                # a link to the author's page is the byline ("[Clint Chan Tack](/reporter/...)")
                asm.add(s, e, "byline" if AUTHOR_PAGE.search(raw) else "furniture", links)
            elif asm.title_allowed() and words(vis) >= 3:
                asm.add(s, e, "title", links)
                asm.found_title = vis
            else:
                asm.add(s, e, "heading", links)
        else:
            prose_end = ln.start + trailing.start() if trailing else ln.end
            if run_start is not None and (
                (
                    line_boundary(last_prose, vis, lede)
                    and not _inline_break(asm.source, last_prose, ln)
                )
                # "... on Monday." / "by" / "Madeleine Gregory": the byline a scraper broke
                # after the standfirst (the splitter keeps ". by" together)
                or (vis.strip().lower() == "by" and fx.ends_sentence(last_prose))
            ):
                close_run()
            if run_start is None:
                run_start = asm.b.length
            if trailing:
                _s, _e, links = asm.copy_inline(ln.start, prose_end)
            else:
                _s, _e, links = asm.copy_line(ln)
            run_links.extend(links)
            if trailing:
                close_run()
                media_start = ln.start + trailing.start(1)
                asm.b.copy(prose_end, media_start)
                ms, me, mlinks = asm.copy_inline(media_start, ln.end)
                asm.add(ms, me, "media", mlinks)
            elif vis.endswith(":"):
                close_run()  # "So, a nothingburger:" stands alone
            last_prose = vis
            asm.prose_ends += fx.ends_sentence(vis)
            continue
        last_prose = ""
    close_run()


def _inline_break(source: str, vis: str, after: Line | bool | None) -> bool:
    """Did a crude scraper break this sentence at an inline link? bs4 puts a link's text on a
    line of its own with the space before it: "The sweltering weather has smothered" /
    " California, while wildfire season " / "has started earlier than usual." A line opening
    with one space, under a line ending in a lowercase word, goes on with it (a heading's
    next paragraph opens at the margin, or indented by tabs); a credit does not ("A garda
    watches over an empty-looking Cork city" / " (Image: @GardaTraffic)")."""
    if not isinstance(after, Line) or after.start < 2 or not vis:
        return False
    nxt = after.visible
    return (
        source[after.start - 1] == " "
        and source[after.start - 2] == "\n"
        and vis.rsplit(None, 1)[-1][:1].islower()
        and not fx.ends_sentence(nxt)
        and special_kind(nxt) is None
        and not paren_credit(nxt)
        and not fx.is_credit(nxt)
    )


def _sentences(vis: str) -> bool:
    """Is a heading's text two sentences or more, the last one closed (a standfirst)?"""
    return (
        fx.ends_sentence(vis)
        and vis.rstrip()[-1:] != ":"
        and ". " in vis
        and len(split_sentences(vis)) >= 2
    )
