"""Label Studio: tasks its import accepts, the labelling config they need, the users.

Label Studio's import resolves `completed_by` as an object with the user's `email`
(label_studio/tasks/serializers.py, `_insert_valid_completed_by`, 1.2x); a bare integer
must be the id of an existing member, so invented ids were refused (HTTP 400) or, worse,
credited annotations to whoever had that id. Each annotator therefore gets an e-mail
address: the name itself when it is one, else the name (percent-quoted) at
`annotator.invalid` (a reserved domain: no mail goes anywhere). Gold comes as an annotation
with `ground_truth: true` by the adjudicator, or by `unanimous@gold.annotator.invalid`
for unanimous gold and `majority@gold.annotator.invalid` for the majority view: accounts of
their own, so that no annotator's counts include them. `email_of` and `name_of` are the two
directions of that mapping; readers.py reads a Label Studio export back with `name_of`.
"""

from __future__ import annotations

from typing import IO, Any
from urllib.parse import quote, unquote
from xml.sax.saxutils import quoteattr

from annotator.export.records import ExportRefused, Job, answers, dumps, stream
from annotator.schema import LabelSchema

DOMAIN = "annotator.invalid"
GOLD_DOMAIN = "gold." + DOMAIN


def email_of(name: str) -> str:
    if "@" in name and "." in name.rsplit("@", 1)[1]:
        return name
    return f"{quote(name, safe='')}@{DOMAIN}"


def gold_email(method: str) -> str:
    return f"{quote(method, safe='')}@{GOLD_DOMAIN}"


def name_of(email: str) -> tuple[str, str | None]:
    """(annotator name, None) for an annotator's address; (method, "gold") for the
    accounts gold and majority are credited to."""
    local, _, domain = email.rpartition("@")
    if domain.lower() == GOLD_DOMAIN:
        return unquote(local), "gold"
    if domain.lower() == DOMAIN:
        return unquote(local), None
    return email, None


def _result(labels: list[str], fields: dict[str, str]) -> list[dict[str, Any]]:
    out = [
        {
            "id": "labels",
            "from_name": "labels",
            "to_name": "text",
            "type": "choices",
            "value": {"choices": labels},
        }
    ]
    out += [
        {"id": k, "from_name": k, "to_name": "text", "type": "choices", "value": {"choices": [v]}}
        for k, v in fields.items()
    ]
    return out


def write_label_studio(job: Job, out: IO[str]) -> int:
    """A JSON list of tasks, one annotations[] entry per annotator; gold (or the majority)
    as a ground-truth annotation. No ids: Label Studio numbers what it imports."""
    schema, view = job.schema, job.view
    out.write("[\n")
    n = 0
    for rec in stream(job):
        s = rec.sentence
        anns = []
        for a in rec.annotations:
            anns.append(
                {
                    "completed_by": {"email": email_of(a["annotator"])},
                    "result": _result(a["labels"], a["fields"]),
                    "created_at": a["confirmed_at"],
                    "updated_at": a["updated_at"],
                    "ground_truth": False,
                    "was_cancelled": False,
                }
            )
        # the gold or the majority as ground truth, beside every annotator's own
        for ans in answers(rec, view, schema) if view != "raw" else []:
            c = ans.source
            who = (
                email_of(c["adjudicator"])
                if c.get("adjudicator")
                else gold_email(c.get("method", view))
            )
            anns.append(
                {
                    "completed_by": {"email": who},
                    "result": _result(ans.labels, ans.fields),
                    "created_at": c.get("decided_at"),
                    "ground_truth": True,
                    "was_cancelled": False,
                }
            )
        task = {
            "data": {
                "text": s["text"],
                "article_id": s["article_id"],
                "position": s["position"],
                "kind": s["kind"],
                "start": s["start"],
                "end": s["end"],
            },
            "annotations": anns,
        }
        # comments and where labels came from have no place in an annotation's import
        # format: they go in the task's meta, by annotator, so they are not lost (origins:
        # label -> `typed` or `suggestion:SOURCE@VERSION`)
        comments = {a["annotator"]: a["comment"] for a in rec.annotations if a["comment"]}
        meta: dict[str, object] = {"comments": comments} if comments else {}
        if rec.annotations:
            meta["origins"] = {
                a["annotator"]: dict(zip(a["labels"], a["origins"], strict=True))
                for a in rec.annotations
            }
            # Label Studio stamps the moment of its import on every annotation and returns
            # that, not the times above (audit15b F5): ours ride in the meta, which it keeps
            meta["times"] = {
                a["annotator"]: {"confirmed_at": a["confirmed_at"], "updated_at": a["updated_at"]}
                for a in rec.annotations
            }
            # an annotation whose every label the adopted guidelines dropped: `choices: []`
            # here is "none of these labels applies", not the NONE an empty choice means
            # elsewhere (audit15b F1: the round trip made it NONE and flipped majorities)
            emptied = [a["annotator"] for a in rec.annotations if not a["labels"]]
            if emptied:
                meta["no_label"] = emptied
        if rec.gold is not None and view == "gold":
            meta["gold_decided_at"] = rec.gold.get("decided_at")
            if rec.gold.get("note"):
                # the adjudicator's note, which no annotation field holds: an import of this
                # file gave the gold back without it (audit10 F2)
                meta["gold_note"] = rec.gold["note"]
        if meta:
            task["meta"] = meta
        out.write(("," if n else "") + dumps(task) + "\n")
        n += 1
    out.write("]\n")
    return n


def accounts_apart(names: list[str]) -> None:
    """Refuse (ExportRefused) when two annotators would be one Label Studio account: the
    address of 'x' is x@annotator.invalid, which is also the address annotator
    'x@annotator.invalid' keeps, and Label Studio compares addresses without case (audit7
    F14: users.json listed one address twice, and the round trip folded one annotator into
    the other)."""
    seen: dict[str, str] = {}
    for name in names:
        key = email_of(name).lower()
        if key in seen:
            raise ExportRefused(
                f"annotators {seen[key]!r} and {name!r} would be one Label Studio account "
                f"({email_of(name)}): rename one before exporting for Label Studio"
            )
        seen[key] = name


def users(store_names: list[str], view: str, methods: list[str]) -> list[dict[str, str]]:
    """The accounts to create before importing: every annotator and adjudicator, and the
    accounts gold or majority is credited to."""
    people = [{"email": email_of(n), "username": n, "first_name": n} for n in store_names]
    pseudo = [{"email": gold_email(m), "username": f"{m} (gold)", "first_name": m} for m in methods]
    return people + (pseudo if view != "raw" else [])


def labelling_config(schema: LabelSchema) -> str:
    """The labelling interface the tasks fit: the text, the labels as a multiple choice
    with their definitions as hints, each sentence field shown when its label is chosen.
    Article-level fields are not per sentence: they have no place in a sentence task."""
    lines = [
        "<View>",
        '  <Header value="$article_id, sentence $position ($kind)"/>',
        '  <Text name="text" value="$text"/>',
        '  <Choices name="labels" toName="text" choice="multiple" showInline="true">',
    ]
    lines += [
        f"    <Choice value={quoteattr(lab.name)} hint={quoteattr(lab.description)}/>"
        for lab in schema.labels
    ]
    lines.append("  </Choices>")
    for sf in schema.sentence_fields:
        lines += [
            f'  <View visibleWhen="choice-selected" whenTagName="labels" '
            f"whenChoiceValue={quoteattr(sf.label)}>",
            f'    <Header value={quoteattr(sf.title)} size="6"/>',
            f'    <Choices name={quoteattr(sf.name)} toName="text" choice="single-radio">',
        ]
        lines += [
            f"      <Choice value={quoteattr(str(c.value))} hint={quoteattr(c.title)}/>"
            for c in sf.values
        ]
        lines += ["    </Choices>", "  </View>"]
    lines.append("</View>")
    return "\n".join(lines) + "\n"
