"""spaCy: a text classification set as JSON Lines of `{"text", "cats", "meta"}`, the shape
spaCy's textcat examples and `Doc.cats` use (https://spacy.io/api/doc#attributes: `cats`,
a dict of label -> score; https://spacy.io/usage/training#training-data: training data is
a DocBin of Docs). The file needs no spaCy to write; the README shows the few lines that
turn it into a DocBin (`doc = nlp.make_doc(rec["text"]); doc.cats = rec["cats"]`), which
tests/test_consumer_spacy.py runs in spaCy itself.

Every record has every label of the schema in `cats`, 1.0 or 0.0: the set is for
`textcat_multilabel` (a sentence may be QUOTE and ATTRIBUTED at once), and a label missing
from `cats` would be neither a positive nor a negative example. That is what a label added
to the guidelines after the answer was confirmed is, and only it is left out.
"""

from __future__ import annotations

from typing import IO, Any

from annotator.export.records import ExportRefused, Job, answers, dumps, stream
from annotator.schema import LabelSchema

RAW_REFUSED = (
    "a spaCy textcat set has one answer per text, and --view raw has one per annotator: "
    "use --view gold or majority (or --format jsonl --view raw)"
)


def cats(schema: LabelSchema, labels: list[str], unrated: tuple[str, ...] = ()) -> dict[str, float]:
    """1.0 or 0.0 per label; no entry for a label the answer never rated (added to the
    guidelines after it was confirmed: audit12 F6), which textcat_multilabel reads as a
    missing value, neither a positive nor a negative example."""
    return {lab: 1.0 if lab in labels else 0.0 for lab in schema.label_names if lab not in unrated}


def write_spacy_jsonl(job: Job, out: IO[str]) -> int:
    """One record per sentence that has an answer in `view`: gold (a sentence without gold
    is left out: it is not a negative example) or majority (a sentence nobody confirmed is
    left out, and so is one whose annotators gave no label a majority: every cat 0.0 would
    teach that it is none of them, NONE included, which nobody said; doccano's export leaves
    it out too, Prodigy's marks it "ignore")."""
    schema, view = job.schema, job.view
    if view == "raw":
        raise ExportRefused(RAW_REFUSED)
    n = 0
    for rec in stream(job):
        s = rec.sentence
        for ans in answers(rec, view, schema):
            if not ans.labels:
                continue  # no majority label (a gold answer always has one)
            meta: dict[str, Any] = {
                k: s[k] for k in ("id", "article_id", "position", "start", "end")
            }
            meta.update(view=view, **ans.fields)
            if view == "gold":
                meta.update({k: ans.source[k] for k in ("method", "adjudicator", "agrees_with")})
            else:
                meta.update(annotators=ans.source["annotators"])  # voters: staff aside
                if "raters" in ans.source:  # a label added since some voted: its raters
                    meta.update(raters=ans.source["raters"])
            line = {"text": s["text"], "cats": cats(schema, ans.labels, ans.unrated), "meta": meta}
            out.write(dumps(line) + "\n")
            n += 1
    return n
