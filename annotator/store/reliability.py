"""What agreement is computed from, read straight into arrays.

A label's presence comes back from SQLite as a 0/1 column (`instr` on the stored JSON list,
where names are quoted), in chunks that go into numpy: a million confirmed annotations cost
tens of MB and a couple of seconds, with no Python object per annotation.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.lib.recfunctions import structured_to_unstructured

from annotator.models.matrices import MISSING, AgreementData, FieldValue, LabelMatrix, Ratings
from annotator.schema import LabelSchema
from annotator.store import blind
from annotator.store.coders import roles
from annotator.store.database import Store
from annotator.store.schema_history import presence_cells


@dataclass(frozen=True)
class Scope:
    """Which annotations agreement is computed over, beyond the annotators."""

    article_id: int | None = None
    calibration: bool = False  # only the calibration articles (assignments.calibration)
    schema_hash: str | None = None  # only annotations last written under this schema
    blind_only: bool = False  # only blind work (see annotator/store/blind.py)


def _filters(
    annotator_ids: Sequence[int] | None, scope: Scope | int | None, prefix: str
) -> tuple[str, list[object]]:
    if not isinstance(scope, Scope):
        scope = Scope(article_id=scope)
    clauses: list[str] = []
    params: list[object] = []
    if annotator_ids is not None:
        clauses.append(f"{prefix}.annotator_id IN ({','.join('?' * len(annotator_ids))})")
        params.extend(annotator_ids)
    if scope.article_id is not None:
        clauses.append(f"{prefix}.article_id = ?")
        params.append(scope.article_id)
    if scope.calibration:
        clauses.append(
            f"{prefix}.article_id IN (SELECT article_id FROM assignments WHERE calibration = 1)"
        )
    if scope.schema_hash is not None:
        # the schema of the event that last wrote the annotation: one key lookup per row
        clauses.append(f"(SELECT schema_hash FROM events e WHERE e.id = {prefix}.event_id) = ?")
        params.append(scope.schema_hash)
    return "".join(f" AND {c}" for c in clauses), params


def known_annotators(store: Store) -> list[str]:
    return [str(r[0]) for r in store.all("SELECT name FROM annotators ORDER BY name")]


def _coders(
    store: Store, annotators: Sequence[str] | None, scope: Scope
) -> tuple[list[tuple[int, str]], bool]:
    """(id, name) of the annotators to compare: the chosen ones, else everyone who has
    confirmed a sentence or judged an article within `scope` (one article, the calibration
    set, one schema version), except adjudicators and managers (issue 14: staff are not
    annotators; someone who tried the screen is not a coder); and whether the reads must
    filter on annotators (someone with work is left out). Only those with work in the
    scope: `--article X` headed its table with all four of a project's annotators for an
    article only alice had annotated (audit12 F17)."""
    rows = [(int(r[0]), str(r[1])) for r in store.all("SELECT id, name FROM annotators")]
    if annotators:
        by_name = {n: i for i, n in rows}
        return [(by_name[n], n) for n in annotators if n in by_name], True
    in_a, params_a = _filters(None, scope, "a")
    in_f, params_f = _filters(None, scope, "f")
    active = {
        int(r[0])
        for r in store.all(
            f"SELECT DISTINCT a.annotator_id FROM annotations a WHERE a.confirmed = 1{in_a} "
            f"UNION SELECT DISTINCT f.annotator_id FROM article_annotations f WHERE 1 = 1{in_f}",
            [*params_a, *params_f],
        )
    }
    staff = active & set(roles(store))
    active -= staff
    return sorted(((i, n) for i, n in rows if i in active), key=lambda x: x[1]), bool(staff)


def agreement_data(
    store: Store,
    schema: LabelSchema,
    *,
    annotators: Sequence[str] | None = None,
    article_id: int | None = None,
    scope: Scope | None = None,
) -> AgreementData:
    """The arrays agreement reads. `scope` narrows the annotations (calibration articles,
    one schema version, blind work only); `article_id` is `Scope(article_id=...)`."""
    scope = scope or Scope(article_id=article_id)
    coders, filtered = _coders(store, annotators, scope)
    ids = [i for i, _n in coders]
    coder_index = np.full(max(ids, default=0) + 1, -1, dtype=np.int16)
    for k, i in enumerate(ids):
        coder_index[i] = k
    labels = schema.label_names  # UPPER_SNAKE by validation: safe inside a SQL literal
    # filter on annotators only when asked: the filter makes SQLite read through another
    # index and sort a million rows, which the primary key order otherwise gives for free
    chosen = ids if filtered else None
    where, params = _filters(chosen, scope, "a")
    # a label the annotation's schema lacked (added since) is -1 there, not 0: that
    # confirmation never rated it (audit12 F6). CROSS JOIN (the event, when read):
    # annotations stay the outer loop, read in the primary-key order the ORDER BY wants
    presence, cell_params, joined = presence_cells(store, labels)
    n_rows = int(
        store.scalar(f"SELECT count(*) FROM annotations a WHERE a.confirmed = 1{where}", params)
        or 0
    )
    # the cursor's tuples go straight into one structured array: no list per chunk
    label_fields = [f"l{i}" for i in range(len(labels))]
    row_type = np.dtype(
        [("sentence", "i8"), ("article", "i8"), ("annotator", "i8")]
        + [(f, "i1") for f in label_fields]
    )
    rows = np.fromiter(
        store.conn.execute(
            f"SELECT a.sentence_id, a.article_id, a.annotator_id, {presence} "
            f"FROM annotations a{joined} WHERE a.confirmed = 1{where} ORDER BY a.sentence_id",
            [*cell_params, *params],
        ),
        dtype=row_type,
        count=n_rows,
    )
    excluded: dict[str, int] = {}
    unblind: tuple[set[tuple[int, int]], set[tuple[int, int, str]]] = (set(), set())
    if scope.blind_only:
        unblind = blind.not_blind(store, chosen)
        keep = _keep(rows["sentence"], rows["annotator"], unblind[0])
        excluded["annotations"] = int((~keep).sum())
        excluded["of_annotations"] = len(rows)
        rows = rows[keep]
    # per label added since some confirmations: how many of those in scope predate it
    unrated = {
        labels[i]: n
        for i, f in enumerate(label_fields)
        if cell_params and (n := int((rows[f] == MISSING).sum()))
    }
    units, unit_of_row = np.unique(rows["sentence"], return_inverse=True)
    present = np.full((len(units), len(ids), len(labels)), MISSING, dtype=np.int8)
    present[unit_of_row, coder_index[rows["annotator"]]] = structured_to_unstructured(
        rows[label_fields], dtype=np.int8
    )
    articles = np.zeros(len(units), dtype=np.int64)
    articles[unit_of_row] = rows["article"]
    del rows
    matrix = LabelMatrix(
        present, tuple(labels), tuple(n for _i, n in coders), tuple(int(u) for u in units)
    )
    names = tuple(n for _i, n in coders)
    values = field_values(store, chosen, scope)
    if scope.blind_only:
        name_id = {n: i for i, n in coders}
        kept = [
            v
            for v in values
            if (v.article_id, name_id.get(v.annotator, 0), v.field) not in unblind[1]
        ]
        excluded["article_fields"] = len(values) - len(kept)
        excluded["of_article_fields"] = len(values)
        values = kept
    return AgreementData(
        matrix,
        articles,
        _sentence_fields(store, schema, coder_index, chosen, names, scope, unblind[0]),
        values,
        excluded,
        unrated,
    )


def _keep(sentences: np.ndarray, annotators: np.ndarray, drop: set[tuple[int, int]]) -> np.ndarray:
    """A mask over rows: False where (sentence, annotator) is in `drop`."""
    if not drop:
        return np.ones(len(sentences), dtype=bool)
    # one integer per pair, so numpy does the membership test
    width = int(max(int(annotators.max(initial=0)), max(a for _s, a in drop))) + 1
    pair = sentences * width + annotators
    gone = np.fromiter((s * width + a for s, a in drop), dtype=np.int64, count=len(drop))
    return ~np.isin(pair, gone)


def _sentence_fields(
    store: Store,
    schema: LabelSchema,
    coder_index: np.ndarray,
    ids: list[int] | None,
    names: tuple[str, ...],
    scope: Scope,
    drop: set[tuple[int, int]],
) -> dict[str, Ratings]:
    """Per sentence field, a ratings matrix over the sentences where an annotator set it
    (with its owning label: the source type only exists on ATTRIBUTED sentences)."""
    out: dict[str, Ratings] = {}
    where, params = _filters(ids, scope, "a")
    for sf in schema.sentence_fields:
        categories = [str(c.value) for c in sf.values]
        code = {v: i for i, v in enumerate(categories)}
        rows = store.all(
            "SELECT a.sentence_id, a.annotator_id, json_extract(a.fields, ?) FROM annotations a "
            f"WHERE a.confirmed = 1 AND instr(a.labels, ?) > 0{where} "
            "AND json_extract(a.fields, ?) IS NOT NULL ORDER BY a.sentence_id",
            [f'$."{sf.name}"', f'"{sf.label}"', *params, f'$."{sf.name}"'],
        )
        if drop:
            rows = [r for r in rows if (int(r[0]), int(r[1])) not in drop]
        units = sorted({int(r[0]) for r in rows})
        index = {u: i for i, u in enumerate(units)}
        codes = np.full((len(units), len(names)), MISSING, dtype=np.int32)
        for sentence, annotator, value in rows:
            if value in code:
                codes[index[int(sentence)], coder_index[annotator]] = code[value]
        out[sf.name] = Ratings(codes, tuple(categories), names, tuple(units))
    return out


def field_values(
    store: Store, ids: Sequence[int] | None, scope: Scope | int | None
) -> list[FieldValue]:
    where, params = _filters(ids, scope, "f")
    return [
        FieldValue(int(r[0]), str(r[1]), str(r[2]), json.loads(r[3]))
        for r in store.all(
            "SELECT f.article_id, n.name, f.field, f.value FROM article_annotations f "
            f"JOIN annotators n ON n.id = f.annotator_id WHERE 1 = 1{where}",
            params,
        )
    ]


def sentence_context(store: Store, sentence_ids: Sequence[int]) -> dict[int, dict[str, object]]:
    """Text and place of some sentences, for the disagreement list."""
    out: dict[int, dict[str, object]] = {}
    ids = list(sentence_ids)
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        for r in store.all(
            "SELECT s.id, s.text, s.position, s.kind, a.id, a.external_id, a.title "
            f"FROM sentences s JOIN articles a ON a.id = s.article_id "
            f"WHERE s.id IN ({','.join('?' * len(chunk))})",
            chunk,
        ):
            out[int(r[0])] = {
                "text": r[1],
                "position": r[2],
                "kind": r[3],
                "article_id": r[4],
                "article": r[5],
                "title": r[6],
            }
    return out


@dataclass(frozen=True)
class SchemaVersion:
    """A schema some confirmed annotations were last written under."""

    hash: str
    name: str
    version: str
    added_at: str
    annotations: int  # confirmed annotations last written under it


def schema_versions(store: Store, *, calibration: bool = False) -> list[SchemaVersion]:
    """The schema versions of the confirmed annotations, in the order they were adopted."""
    where, params = _filters(None, Scope(calibration=calibration), "a")
    return [
        SchemaVersion(str(h), str(n or ""), str(v or ""), str(at or ""), int(c))
        for h, n, v, at, c in store.all(
            "SELECT e.schema_hash, s.name, s.version, s.added_at, count(*) "
            "FROM annotations a JOIN events e ON e.id = a.event_id "
            "LEFT JOIN schemas s ON s.hash = e.schema_hash "
            f"WHERE a.confirmed = 1{where} GROUP BY e.schema_hash "
            "ORDER BY s.added_at IS NULL, s.added_at, min(e.at)",
            params,
        )
    ]


def calibration_articles(store: Store) -> int:
    return int(
        store.scalar("SELECT count(DISTINCT article_id) FROM assignments WHERE calibration = 1")
        or 0
    )
