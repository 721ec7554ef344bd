"""A static site's markdown (Hugo, Jekyll): fenced code blocks are one segment of kind `code`,
never sentences, headings or repeated furniture; a shortcode or template tag on its own line
is furniture, except a figure shortcode with a caption, which is media with its caption (as
`![caption](src)` is). Before, a code block was read as sentences and list items and a
shortcode line as a heading."""

from __future__ import annotations

from annotator.ingest.layout import KINDS, Layout, layout
from annotator.suggest import importer
from tests.test_line_ends import assert_visible_maps_back

HUGO_POST = """\
# Monitoring a Raspberry Pi with Prometheus

The exporter runs on any machine with Python 3.11. Install it with pip:

```bash
pip install prometheus-exporter
exporter --port 9100
```

Then point Prometheus at it.

{{< figure src="/images/dashboard.png" caption="The Grafana dashboard after a day of data" >}}

{{% notice warning %}}
Do not expose port 9100 to the internet.
{{% /notice %}}

~~~
scrape_configs:
  - job_name: pi
    static_configs:
      - targets: ['pi.local:9100']
~~~

{{< highlight go "linenos=table" >}}
func main() {
    log.Fatal(http.ListenAndServe(":9100", nil))
}
{{< /highlight >}}

That is all it takes. The next post covers alerting.
"""

JEKYLL_POST = """\
Last week I moved the blog from WordPress to Jekyll.
{% include toc.html %}

## The build

The site builds in under a second on a laptop:

{% highlight ruby %}
Jekyll::Hooks.register :posts, :pre_render do |post|
  post.data["reading_time"] = post.content.split.size / 200
end
{% endhighlight %}

{% raw %}
Liquid would otherwise read the braces in the next example.
{% endraw %}

```
{
  "name": "blog",
  "private": true
}
```

```js
const x = {
  a: 1
}
```

{% include figure.html image="/assets/lighthouse.png" caption="Lighthouse before and after" %}
{{< figure src="/images/logo.png" alt="Logo" >}}

The move took a weekend.
"""


def _segments(lay: Layout) -> list[tuple[str, str]]:
    return [(s.kind, lay.text[s.start : s.end]) for s in lay.segments]


def test_fenced_code_blocks_are_one_code_segment_each() -> None:
    lay = layout(HUGO_POST)
    segs = _segments(lay)
    code = [t for k, t in segs if k == "code"]
    assert code == [
        "pip install prometheus-exporter\nexporter --port 9100",
        "scrape_configs:\n  - job_name: pi\n    static_configs:\n"
        "      - targets: ['pi.local:9100']",
        'func main() {\n    log.Fatal(http.ListenAndServe(":9100", nil))\n}',
    ]
    # no line of code, no fence is a sentence, a heading or a list item
    for kind, text in segs:
        if kind != "code":
            assert "```" not in text and "~~~" not in text and "job_name" not in text, text
            assert "ListenAndServe" not in text, text
    # the prose around them is untouched, and not glued to the fences
    assert ("body", "Install it with pip:") in segs
    assert ("body", "Then point Prometheus at it.") in segs
    assert ("body", "That is all it takes.") in segs
    assert_visible_maps_back(lay, HUGO_POST)
    # the code is the source's, byte for byte
    for seg in lay.segments:
        if seg.kind == "code":
            a = lay.offset_map.to_original(seg.start)
            assert HUGO_POST[a : a + seg.end - seg.start] == lay.text[seg.start : seg.end]


def test_shortcodes_are_furniture_and_a_figure_is_its_caption() -> None:
    lay = layout(HUGO_POST)
    segs = _segments(lay)
    assert ("furniture", "{{% notice warning %}}") in segs
    assert ("furniture", "{{% /notice %}}") in segs
    # the notice's own text is a sentence of the post
    assert ("body", "Do not expose port 9100 to the internet.") in segs
    (figure,) = [s for s in lay.segments if s.kind == "media"]
    assert lay.text[figure.start : figure.end] == "The Grafana dashboard after a day of data"
    assert [lk.url for lk in figure.links] == ["/images/dashboard.png"]
    assert not any("{{" in t for k, t in segs if k not in ("furniture",))


def test_jekyll_tags_highlight_and_repeated_code_lines() -> None:
    lay = layout(JEKYLL_POST)
    segs = _segments(lay)
    assert ("furniture", "{% include toc.html %}") in segs
    assert ("furniture", "{% raw %}") in segs
    assert ("furniture", "{% endraw %}") in segs
    # a tag right under a sentence is not glued to it
    assert ("body", "Last week I moved the blog from WordPress to Jekyll.") in segs
    code = [t for k, t in segs if k == "code"]
    assert len(code) == 3
    assert code[0].startswith("Jekyll::Hooks.register") and code[0].endswith("end")
    # "}" closes two blocks: a line of code that repeats is not a running header, and the
    # code stays whole
    assert code[1] == '{\n  "name": "blog",\n  "private": true\n}'
    assert code[2] == "const x = {\n  a: 1\n}"
    assert lay.removed_furniture == 0
    media = [
        (t, [lk.url for lk in s.links])
        for s, (k, t) in zip(lay.segments, segs, strict=True)
        if k == "media"
    ]
    assert media == [("Lighthouse before and after", ["/assets/lighthouse.png"])]
    # a figure without a caption is the template's machinery
    assert ("furniture", '{{< figure src="/images/logo.png" alt="Logo" >}}') in segs
    assert ("body", "The move took a weekend.") in segs
    assert_visible_maps_back(lay, JEKYLL_POST)


def test_an_unclosed_fence_is_text() -> None:
    """A stray fence that never closes does not swallow the article (CommonMark would run it
    to the end)."""
    text = "The minister said:\n\n```\n\nThe budget passes on Tuesday. Nobody expects a revolt.\n"
    segs = _segments(layout(text))
    assert ("body", "The budget passes on Tuesday.") in segs
    assert not any(k == "code" for k, _t in segs)


def test_code_is_a_kind_the_importer_suggests_as_a_table() -> None:
    assert KINDS[-1] == "code"  # new kinds go at the end (the hf export's class index)
    seg = importer.Segment(1, "code", "pip install x")
    (suggestion,) = importer.suggest([seg])
    assert suggestion.score == importer.TABLE_SCORE
    assert suggestion.cue == "kind: code"
