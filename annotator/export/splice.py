"""The jsonl record, the one definition: each line is spliced from the JSON bytes the database
keeps (migration 0003: the sentence, each confirmed annotation, the gold decision) and the
article's metadata. The hot loop of the default export, shared by the exporting process and
its helper (export/parallel.py); the other formats read the same groups decoded
(export/records.py).

A line is the sentence's own members, then `"article"`, then the view's:
- gold: `"annotations"` (every confirmed annotation, by annotator name), `"gold"` (the gold
  decision or null), `"view":"gold"`, `"labels"` (the gold's labels, null: no gold yet);
- majority: `"annotations"`, `"majority"` (labels, fields, votes, annotators: records.py),
  `"view":"majority"`, `"labels"` (the majority's);
- raw: one line per confirmed annotation: `"view":"raw"`, then the annotation's members
  (`"annotator"`, `"labels"`, ...).
So `labels` is "the labels of this record" in every view, and `view` says whose they are.
Every annotation (in `annotations`, or a raw line) ends with `"origins"`: where each of its
`labels` came from, in the same order (records.origins_of: `typed`, or
`suggestion:SOURCE@VERSION`); the stored annotation JSON does not have it, so it is spliced
in here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import BinaryIO

from annotator.export.records import dumps, majority_of, origins_of, unrated_votes, without
from annotator.schema import LabelSchema
from annotator.store import answers, exporting, origins
from annotator.store.database import Store

BATCH = 2000  # lines per write: fewer, larger writes
# the member exporting.groups adds to an annotation confirmed under a schema that lacked
# some labels (SQLite's json_set writes it compact, last); label names hold no `]`
_UNRATED = re.compile(rb',"unrated":\[[^\]]*\]')
LABELS_AT = b'"labels":['


def _with_origins(
    anns: bytes, accepted: dict[str, dict[str, str]] | None, typed: dict[bytes, bytes]
) -> list[bytes]:
    """The sentence's annotation objects (joined by newlines) each with its `"origins"`
    member last. `typed`: the ending (member and closing brace) of an annotation whose
    labels were all typed, by the bytes of its labels list."""
    out = []
    find = LABELS_AT
    for a in anns.split(b"\n"):
        # the first `"labels":[` is the member (an unescaped quote cannot be inside a
        # string), and label names are UPPER_SNAKE_CASE: the list ends at the next `]`
        i = a.find(find) + 10
        listed = a[i : a.find(b"]", i)]
        end = typed.get(listed)
        if end is None:
            names = json.loads(b"[" + listed + b"]")
            end = typed[listed] = b',"origins":' + dumps(origins_of(names, None)).encode() + b"}"
        if accepted is not None:
            rec = json.loads(a)
            known = accepted.get(rec["annotator"])
            if known is not None:
                end = b',"origins":' + dumps(origins_of(rec["labels"], known)).encode() + b"}"
        out.append(a[:-1] + end)
    return out


def _leave_out(
    anns: bytes, gold: bytes | None, drop: frozenset[str], owners: Mapping[str, str]
) -> tuple[bytes, bytes | None]:
    """The sentence's annotations (joined by newlines) and gold without the labels in
    `drop` and the field values whose label is gone (records.without): the slow path, taken
    only in a project that dropped a label in use."""
    kept = [
        dumps(k).encode()
        for a in anns.split(b"\n")
        if a and (k := without(json.loads(a), drop, owners)) is not None
    ]
    g = without(json.loads(gold), drop, owners, answer=False) if gold is not None else None
    return b"\n".join(kept), (dumps(g).encode() if g is not None else None)


def write_lines(
    store: Store,
    view: str,
    out: BinaryIO,
    *,
    everything: bool,
    arts: dict[int, bytes],
    schema: LabelSchema | None = None,
    lo: int | None = None,
    hi: int | None = None,
    progress: Callable[[int], None] = lambda n: None,
    drop: frozenset[str] | None = None,
    staff: frozenset[str] | None = None,
    unrated: dict[str, list[str]] | None = None,
) -> int:
    """Write the records of sentences [lo, hi) for `view`; returns how many. The majority
    view needs the `schema`; it leaves out the `staff`'s confirmations (None: read them
    here). `progress` gets the number of sentences read so far, every 5,000. `unrated`
    (exporting.labels_unrated; None: read here) lets the majority count only the voters
    who rated a label added since some of them confirmed (audit12 F6); the lines' own
    annotations are written as stored, whatever the view."""
    n = 0
    batch: list[bytes] = []
    join = b"".join
    raw, gold_view = view == "raw", view == "gold"
    # the members the gold and majority lines have after their annotations
    member = b'],"gold":' if gold_view else b'],"majority":'
    said = f',"view":"{view}","labels":'.encode()
    if raw or gold_view:
        unrated = {}  # nothing counts votes there
    elif unrated is None:
        assert schema is not None
        unrated = exporting.labels_unrated(store, list(schema.label_names))
    rows = exporting.groups(
        store, everything=everything, joiner=b"\n", lo=lo, hi=hi, unrated=unrated
    )
    accepted = origins.accepted(store, lo, hi)
    # labels the adopted guidelines no longer have: left out as every format leaves them
    # (None: read them here, as the helper process does)
    if drop is None:
        drop = frozenset(exporting.labels_outside(store))
    # each sentence field's label in the adopted schema, read without parsing it (the
    # helper process has no schema): a value whose label is gone is left out with it
    how = answers.reading(store) if drop else None
    owners = how.owners if how is not None else {}
    if staff is None and not raw and not gold_view:
        staff = exporting.staff_names(store)
    typed: dict[bytes, bytes] = {}
    # runs once per exported sentence: local names only
    for i, (sid, aid, sjson, anns, gold) in enumerate(rows):
        if not i % 5000:
            progress(i)
        lacking = None
        if unrated and anns:
            # who never rated which label, counted before a drop leaves anyone out; the
            # member itself is no part of the line
            lacking = unrated_votes(
                json.loads(b"[" + anns.replace(b"\n", b",") + b"]"), staff or ()
            )
            anns = _UNRATED.sub(b"", anns)
        original = anns
        if drop:
            anns, gold = _leave_out(anns, gold, drop, owners)
            if not anns and gold is None and not everything:
                continue  # gold only, every label on it dropped, as records.stream does
        each = _with_origins(anns, accepted.get(sid), typed) if anns else []
        if raw:
            if each:
                head = sjson[:-1] + b',"article":' + arts[aid] + b',"view":"raw",'
                lines = [head + a[1:] + b"\n" for a in each]
                batch.extend(lines)
                n += len(lines)
        else:
            anns = b",".join(each)
            if gold_view:
                value = gold or b"null"
                # the stored gold starts `{"labels":[...]` and label names are
                # UPPER_SNAKE_CASE, so the list ends at the first `]`
                labels = gold[10 : gold.index(b"]") + 1] if gold else b"null"
            else:
                assert schema is not None
                voting = json.loads(b"[" + anns + b"]")
                voters = 0
                if staff or drop:  # who votes: records.Record.voters and .voting
                    confirmed = (
                        json.loads(b"[" + original.replace(b"\n", b",") + b"]") if drop else voting
                    )
                    voters = sum(a["annotator"] not in (staff or ()) for a in confirmed)
                    voting = [a for a in voting if a["annotator"] not in (staff or ())]
                m = majority_of(voting, schema, voters, lacking)
                value, labels = dumps(m).encode(), dumps(m["labels"]).encode()
            batch.append(
                join(
                    (
                        sjson[:-1],
                        b',"article":',
                        arts[aid],
                        b',"annotations":[',
                        anns,
                        member,
                        value,
                        said,
                        labels,
                        b"}\n",
                    )
                )
            )
            n += 1
        if len(batch) >= BATCH:
            out.write(join(batch))
            batch.clear()
    out.write(join(batch))
    return n
