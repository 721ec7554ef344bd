"""What a static site's markdown holds besides prose: fenced code blocks and the template
tags of Hugo and Jekyll on lines of their own.

A fenced code block (``` or ~~~, three or more, with or without a language; Jekyll's
`{% highlight python %}` ... `{% endhighlight %}`, Hugo's `{{< highlight go >}}` ...
`{{< /highlight >}}`) is not prose: its lines are neither sentences nor headings, and a line
of code that repeats ("}") is not a running header. It is one segment of kind `code`, its
fences markup left outside it, as a table's rule is. Only a fence that closes is one
(CommonMark runs an unclosed fence to the end of the document; a stray "```" in a news text
would swallow the article).

A shortcode or a tag on its own line (`{{< notice >}}`, `{{% /notice %}}`, `{% include
foo.html %}`, `{% raw %}`) is the template's machinery: furniture. A figure shortcode that
gives a caption (`{{< figure src="x.jpg" caption="..." >}}`) is a picture and its caption:
media, the caption its text and the picture's address its link, as `![caption](src)` is.
"""

from __future__ import annotations

from annotator.ingest.lazy_re import rx

# a fence opening a line: three or more backticks or tildes, an info string (a backtick
# fence's holds no backtick)
_FENCE = r"[ \t]{0,3}(?:(`{3,})[^`\n]*|(~{3,})[^\n]*)$"
# Jekyll's `{% highlight go %}` ... `{% endhighlight %}` and Hugo's `{{< highlight go >}}` ...
# `{{< /highlight >}}`: a code block as fences are
_HIGHLIGHT = (
    r"[ \t]{0,3}(?:\{%-?\s*highlight\s[^\n]*%\}|\{\{[<%]\s*highlight\s[^\n]*[>%]\}\})[ \t]*$"
)
_END_HIGHLIGHT = (
    r"[ \t]{0,3}(?:\{%-?\s*endhighlight\s*-?%\}|\{\{[<%]\s*/highlight\s*[>%]\}\})[ \t]*$"
)
_ANY_HIGHLIGHT = r"\{(?:%-?|\{[<%])\s*highlight\s"

# a shortcode or a template tag, alone on its line
SHORTCODE = r"\{\{[<%][^\n]*[>%]\}\}|\{%[^\n]*%\}|\{\{[^\n{}]*\}\}"
# the figure shortcodes: Hugo's, and Jekyll's usual include
_FIGURE = r"(?i)\{\{[<%]\s*figure\s|\{%-?\s*include\s+figure(?:\.html)?\s"
_ATTRIBUTE = r"""(?i)\b([a-z_]+)\s*=\s*(?:"([^"\n]*)"|'([^'\n]*)')"""
_SOURCES = ("src", "image", "image_path", "url")


def code_regions(text: str, start: int) -> list[tuple[int, int]]:
    """The fenced code blocks of text[start:], each (where its opening fence starts, where its
    closing fence ends); only closed fences. Asked only of a text that holds a fence's
    characters (`may_hold_code`)."""
    out: list[tuple[int, int]] = []
    pos = start
    n = len(text)
    opened: tuple[int, str, int] | None = None  # where, the fence character, its length
    highlight = False
    while pos <= n:
        stop = text.find("\n", pos)
        if stop < 0:
            stop = n
        c = text[pos : pos + 4].lstrip(" \t")[:1]
        if opened is None:
            if c in "`~":
                m = rx(_FENCE).match(text, pos, stop)
                if m:
                    fence = m.group(1) or m.group(2)
                    opened, highlight = (pos, fence[0], len(fence)), False
            elif c == "{" and rx(_HIGHLIGHT).match(text, pos, stop):
                opened, highlight = (pos, "{", 0), True
        elif highlight:
            if c == "{" and rx(_END_HIGHLIGHT).match(text, pos, stop):
                out.append((opened[0], stop))
                opened = None
        elif c == opened[1]:
            line = text[pos:stop].strip()
            # a closing fence: as long as the opening one at least, nothing after it
            if len(line) >= opened[2] and not line.strip(opened[1]):
                out.append((opened[0], stop))
                opened = None
        pos = stop + 1
    return out


def may_hold_code(text: str, start: int) -> bool:
    """Can text[start:] hold a fenced code block? (A look for a character the fence needs
    first: most texts have none of "`", "~", "{", and one character is found fastest.)"""
    return (
        ("`" in text and text.find("```", start) >= 0)
        or ("~" in text and text.find("~~~", start) >= 0)
        or ("{" in text and rx(_ANY_HIGHLIGHT).search(text, start) is not None)
    )


def code_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The code inside the block text[start:end]: between its fence lines (the assembler
    trims the segment's blank ends)."""
    first = text.find("\n", start, end)
    last = text.rfind("\n", start, end)
    if first < 0 or last <= first:
        return end, end
    return first + 1, last


def is_shortcode(raw: str) -> bool:
    """Is the line a shortcode or a template tag and nothing else? (Asked of a line opening
    with "{".)"""
    return rx(SHORTCODE).fullmatch(raw) is not None


def figure_caption(raw: str) -> tuple[int, int, str | None] | None:
    """A figure shortcode's caption, (start, end) in the line, and the picture's address;
    None when the line is not one or gives no caption."""
    if not rx(_FIGURE).match(raw):
        return None
    caption: tuple[int, int] | None = None
    src: str | None = None
    for m in rx(_ATTRIBUTE).finditer(raw):
        name = m.group(1).lower()
        value = 2 if m.group(2) is not None else 3
        if name == "caption" and m.end(value) > m.start(value):
            caption = m.span(value)
        elif name in _SOURCES and src is None:
            src = m.group(value)
    if caption is None:
        return None
    return caption[0], caption[1], src
