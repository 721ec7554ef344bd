"""Accepting suggested labels on the annotation screen, without any UI.

A suggestion is never the annotator's label until they accept it: these are the only two
ways it becomes one, each an event whose `origin` names the suggestion's source and version.
Enter (confirm) never looks at suggestions: it confirms what the annotator set.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import subprocess
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from annotator import labeling
from annotator.labeling import LabelingError, SentenceState
from annotator.models.errors import DatabaseBusy, StoreError
from annotator.models.suggestions import IMPORTER, MODEL_MIN_POSITIVE, Suggestion
from annotator.schema import LabelSchema
from annotator.session import AnnotationSession, Outcome
from annotator.store import suggestion_accept, suggestion_model, suggestion_reading
from annotator.store import suggestions as suggestion_store
from annotator.store.database import Store, open_store
from annotator.store.schemas import active_guidelines
from annotator.suggest.importer import BOILERPLATE


def best_per_label(suggestions: Iterable[Suggestion]) -> list[Suggestion]:
    """One suggestion per label, the best-scoring (the store gives them best first)."""
    seen: dict[str, Suggestion] = {}
    for s in suggestions:
        seen.setdefault(s.label, s)
    return list(seen.values())


def _add(st: SentenceState, s: Suggestion, schema: LabelSchema) -> SentenceState:
    if s.label not in st.labels:
        st = labeling.toggle(st, s.label, schema)
    if s.source_type is None:
        return st
    for sf in schema.sentence_fields:
        if sf.label == s.label and st.field(sf.name) is None and sf.choice(s.source_type):
            st = labeling.set_field(st, sf.name, s.source_type, schema)
    return st


Change = tuple[int, int, str, str, suggestion_accept.Transform]


def _adding(
    group: list[Suggestion], schema: LabelSchema, confirm: bool = False
) -> Callable[[SentenceState], SentenceState]:
    def transform(st: SentenceState) -> SentenceState:
        for s in group:
            st = _add(st, s, schema)
        return labeling.confirm(st, schema) if confirm else st

    return transform


def _pending(st: SentenceState, s: Suggestion, schema: LabelSchema) -> bool:
    """Accepting s would add something, and take away none of the annotator's labels (a
    suggested NONE on a sentence they labelled is not theirs to lose)."""
    after = _add(st, s, schema)
    return after != st and set(st.labels) <= set(after.labels)


def accept_current(session: AnnotationSession) -> Outcome:
    """Add the current sentence's suggested labels (and a guessed source type where none is
    set) to the annotator's own, without confirming: Enter still does that."""
    if not session.suggesting:
        return Outcome("no suggestions are shown for this article")
    cur = session.current
    schema = session.schema
    todo = [
        s
        for s in best_per_label(session.suggested.get(cur.id, ()))
        if _pending(session.current_state, s, schema)
    ]
    # An exclusive label (NONE) clears every other label when set: accepted beside other
    # suggestions, it would keep only whichever came last (which hung on the sources'
    # names), and the event would name labels it did not store. The others are accepted;
    # the exclusive one is left for the annotator to decide.
    exclusive = {lab.name for lab in schema.labels if lab.exclusive}
    left = sorted({s.label for s in todo if s.label in exclusive}) if len(todo) > 1 else []
    todo = [s for s in todo if s.label not in left]
    if not todo:
        mine = [lab for lab in session.current_state.labels if lab in exclusive]
        shown = [s for s in session.suggested.get(cur.id, ()) if s.label not in mine]
        if mine and any(s.label not in session.current_state.labels for s in shown):
            # the chips are there, but the annotator's own NONE excludes them: say so
            return Outcome(f"your {mine[0]} excludes these suggestions (toggle it off first)")
        return Outcome("no suggestion to accept on this sentence")
    order = [lab.name for lab in schema.labels]
    todo.sort(key=lambda s: order.index(s.label) if s.label in order else len(order))
    by_origin: dict[str, list[Suggestion]] = {}
    for s in todo:
        by_origin.setdefault(s.origin, []).append(s)
    changes: list[Change] = []
    for origin, group in by_origin.items():
        action = "accept " + ", ".join(s.label for s in group)
        changes.append((cur.id, cur.article_id, action, origin, _adding(group, schema)))
    done = _accept(session, changes, None)
    if left and not done.message:
        return Outcome(
            f"{', '.join(left)} not accepted: it excludes the other suggested labels",
            saved=done.saved,
        )
    return done


def furniture(session: AnnotationSession) -> list[int]:
    """The sentences of the open article the importer suggests as BOILERPLATE."""
    return [
        sid
        for sid, sugs in session.suggested.items()
        if any(s.source == IMPORTER and s.label == BOILERPLATE for s in sugs)
    ]


def accept_boilerplate(session: AnnotationSession) -> Outcome:
    """BOILERPLATE, confirmed, for every furniture segment of the article the annotator has
    not touched (no label, not confirmed): one key instead of two per segment."""
    if not session.suggesting:
        return Outcome("no suggestions are shown for this article")
    schema = session.schema
    changes: list[Change] = []
    for sid in sorted(furniture(session)):
        st = session.state_of(sid)
        if st.labels or st.confirmed:
            continue  # the annotator decided, or started to: theirs stays
        s = next(x for x in session.suggested[sid] if x.source == IMPORTER)
        changes.append((sid, session.article.id, "", s.origin, _adding([s], schema, True)))
    if not changes:
        return Outcome("no furniture left to accept in this article")
    # numbered, so that one undo key takes the whole acceptance back (session.undo)
    changes = [
        (sid, aid, f"accept {BOILERPLATE}, confirm ({i} of {len(changes)})", origin, tr)
        for i, (sid, aid, _a, origin, tr) in enumerate(changes, 1)
    ]
    return _accept(session, changes, "BOILERPLATE accepted and confirmed")


def _accept(
    session: AnnotationSession,
    changes: list[Change],
    said: str | None,
) -> Outcome:
    try:
        done = suggestion_accept.accept(
            session.store,
            annotator_id=session.annotator_id,
            changes=changes,
            schema_hash=session.schema.hash,
            session=session.session_id,
            seen=session.unrecorded,
            cursor=session.current.id,
        )
    except LabelingError as e:
        return Outcome(str(e))
    except DatabaseBusy:
        session.busy = True
        raise
    session.busy = False
    session.unrecorded = None
    saved = False
    for a in done:
        if a.event_ids:
            saved = True
            session.take_committed(a.sentence_id, a.before, a.state, a.event_ids[-1])
    if said is not None:
        n = sum(1 for a in done if a.event_ids)
        return Outcome(f"{said} for {n} segment{'s' * (n != 1)}", saved=saved)
    return Outcome(saved=saved)


# --- the model, retrained in the background ------------------------------------------------

RETRAIN_EVERY = 200
"""Retrain once this many more sentences are confirmed (or adjudicated) than last time."""


def retrain_due(store: Store) -> bool:
    report = suggestion_model.model_report(store)
    last = int(str(report.get("confirmed", 0) or 0))
    now = suggestion_model.confirmed_examples(store)
    if now < 2 * MODEL_MIN_POSITIVE or suggestion_model.rescoring_now(report):
        return False
    # a retrain ended halfway (the screen closed) is redone at the next start
    return bool(suggestion_model.unfinished(report)) or now - last >= (RETRAIN_EVERY if last else 1)


def retrain(path: Path) -> dict[str, object]:
    """Train on the project's confirmed annotations and gold, on a connection of its own,
    and replace the model's suggestions. Returns the report (cross-validated precision and
    recall per label) that `annotator suggestions train` prints."""
    # imported here: the model needs numpy, which the app process (that only asks whether
    # a retrain is due, and runs this in a child) need not load
    from annotator.suggest import model

    with open_store(path, create=False) as store:
        g = active_guidelines(store)
        labels = g.schema.label_names if g is not None else []
        confirmed = suggestion_model.confirmed_examples(store)
        examples = suggestion_model.training_examples(store, labels)
        trained = model.train(examples.texts, examples.label_sets, labels, unrated=examples.unrated)
        prior = suggestion_model.model_report(store)
        before = prior.get("fingerprints")
        old = dict(before) if isinstance(before, dict) else {}
        # labels an interrupted retrain left half rescored count as changed (or dropped)
        redo = set(suggestion_model.unfinished(prior))
        new = model.fingerprints(trained)
        report: dict[str, object] = {
            "confirmed": confirmed,
            "examples": trained.examples,
            "version": trained.version,
            "fingerprints": new,
            "labels": [
                {
                    "label": r.label,
                    "positives": r.positives,
                    "trained": r.trained,
                    "precision": r.precision,
                    "recall": r.recall,
                }
                for r in trained.report
            ],
        }
        done = suggestion_model.write_model(
            store,
            trained.version,
            report,
            lambda xs, labels: model.predict(trained, xs, suggestion_store.SHOWN_SCORE, labels),
            changed=[
                lab for lab in labels if lab in new and (old.get(lab) != new[lab] or lab in redo)
            ],
            dropped=[lab for lab in labels if (lab in old or lab in redo) and lab not in new],
        )
        report["rescored"] = {
            "sentences": done.scored,
            "skipped_confirmed_by_everyone": done.skipped,
            "written": done.written,
            "deleted": done.deleted,
        }
    return report


RETRAIN_NICE = 10
"""The retrain process's niceness above the screen's: on a machine whose cores are all busy
the key's process is scheduled first, and the model waits (it is never urgent)."""
SINGLE_THREADED = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
"""numpy's maths libraries would otherwise start a thread per core, taking the screen's."""


def _retrain_in_child(path: str) -> None:
    if hasattr(os, "nice"):  # not on Windows
        with contextlib.suppress(OSError):
            os.nice(RETRAIN_NICE)
    with contextlib.suppress(StoreError):  # the database went away: nothing to train on
        retrain(Path(path))


_CHILD = (
    "import sys; from annotator.suggesting import _retrain_in_child; _retrain_in_child(sys.argv[1])"
)


def start_retraining(path: Path, claim: int | None = None) -> subprocess.Popen[bytes]:
    """Retrain in another process: the training's Python work would otherwise share the
    screen's interpreter lock and hold up keys. Its output goes nowhere (the screen owns the
    terminal); the screen's worker thread only waits for it. `claim`: the descriptor of the
    retrain lock (retrain_claim), handed down so the lock is held as long as the child runs,
    even if the screen that started it is killed."""
    return subprocess.Popen(
        [sys.executable, "-c", _CHILD, str(path)],
        env={**os.environ, **dict.fromkeys(SINGLE_THREADED, "1")},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        pass_fds=() if claim is None else (claim,),
    )


def claim_path(path: Path, what: str = "retrain") -> Path:
    # beside the file itself, not the name it was opened by: a symlink to the database
    # must meet the same claim (else two retrains, and a lock file in the link's folder)
    real = Path(os.path.realpath(path))
    return real.with_name(f"{real.name}.{what}-lock")


def retrain_claim(path: Path, *, wait: bool = False) -> int | None:
    """Claim the one retrain a database may run at a time: N open screens (or N served
    sessions) crossing the threshold together would otherwise train the same model N times
    over on two cores and write the same suggestions N times while annotators press keys."""
    return claim(path, "retrain", wait=wait)


def claim(path: Path, what: str, *, wait: bool = False) -> int | None:
    """Claim the one `what` (a retrain, an import of suggestions) a database may run at a
    time: an flock on a file beside the database; the kernel lets it go when the last
    process holding it ends, so a killed screen or child never leaves a stale claim.
    Returns the descriptor to close when done, or None when another holds it (`wait`:
    block); OSError when the file cannot be made."""
    fd = os.open(claim_path(path, what), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    except BaseException:
        os.close(fd)
        raise
    return fd


def reload(session: AnnotationSession) -> None:
    """Read the open article's suggestions again (the model wrote new ones)."""
    if session.suggesting:
        session.suggested = suggestion_reading.for_article(
            session.store, session.article.id, labels=frozenset(session.schema.label_names)
        )


def retrain_if_due(path: Path, cancelled: Callable[[], bool] = lambda: False) -> bool:
    """For the screen's thread worker: when enough new annotations exist, retrain in another
    process and wait for it (the thread only waits: it holds no lock the screen needs), or
    until `cancelled()` (the screen closes: the process is ended, and the next
    start retrains). Returns True when new model suggestions were written."""
    with open_store(path, create=False) as store:
        if not retrain_due(store):
            return False
    try:
        claim = retrain_claim(path)
    except OSError:
        return False  # no file can be made beside the database: it cannot be written either
    if claim is None:
        return False  # another screen retrains this database now
    try:
        with open_store(path, create=False) as store:
            if not retrain_due(store):  # it has just finished: nothing left to do
                return False
        process = start_retraining(path, claim)
        while process.poll() is None:
            if cancelled():
                process.terminate()  # ours; the next start retrains
                process.wait()
                return False
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(0.2)
        return process.returncode == 0
    finally:
        os.close(claim)
