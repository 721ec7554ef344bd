"""Retraining the suggestion model (issue 16) on 100,000 confirmed sentences: target < 30 s,
in a process of its own (the annotation screen starts it; keys never wait for it).

Run from the project root:  .venv/bin/python benchmarks/suggest_train.py [--quick|--smoke]

On a working copy of benchmarks/bigdb.py's database (1M sentences, 3M events; --quick: 100k
sentences; --smoke: 5k), it measures, as `annotator.suggesting.retrain` runs them:
(a) reading the training examples (gold, else the majority of confirmed annotations);
(b) training on the first 100,000 of them: featurising, 5-fold cross-validation, the final
    fit per label (numpy alone);
(c) rescoring after the first training (every suggested label changed): the sentences
    after each annotator's cursor first, then the rest of the corpus, skipping sentences
    every annotator confirmed, 16 sentences per transaction with a 0.5 ms pause after
    each (suggestion_model.WRITE_SENTENCES, WRITE_PAUSE_S: the keys' turn);
(d) the whole retrain as the screen's worker starts it (`annotator.suggesting.retrain`, in
    a process of its own) on the same examples: no label's model changed, so nothing is
    rescored: reading and training, what every retrain costs before its rescoring;
and prints the cross-validated precision and recall per label. The bigdb annotators' labels
are simulated (random per sentence, not tied to the text), so the figures for (b)'s quality
mean nothing here; tests/test_suggestion_model.py checks quality on learnable data.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotator import suggesting
from annotator.store import suggestion_model
from annotator.store.database import open_store
from annotator.store.schemas import use_guidelines
from annotator.store.suggestions import SHOWN_SCORE
from annotator.suggest import model
from benchmarks import bigdb

TARGET_S = 30.0
EXAMPLES = 100_000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--smoke", action="store_true")
    args = ap.parse_args()
    sentences, events = (
        (5_000, 15_000)
        if args.smoke
        else (100_000, 300_000)
        if args.quick
        else (1_000_000, 3_000_000)
    )
    cached = bigdb.ensure(sentences, events)
    with tempfile.TemporaryDirectory(dir=bigdb.DATA) as tmp:
        path = bigdb.working_copy(cached, Path(tmp))
        with open_store(path) as store:
            g, _ = use_guidelines(store)
            labels = g.schema.label_names
            t0, c0 = time.perf_counter(), time.process_time()
            examples = suggestion_model.training_examples(store, labels)
            read_s, read_cpu = time.perf_counter() - t0, time.process_time() - c0
            texts = examples.texts
            n = min(EXAMPLES, len(texts))
            print(
                f"(a) read {len(texts):,} training examples in {read_s:.2f} s, {read_cpu:.2f} s CPU"
            )
            t0, c0 = time.perf_counter(), time.process_time()
            trained = model.train(
                texts[:n], examples.label_sets[:n], labels, unrated=examples.unrated[:n]
            )
            train_s, train_cpu = time.perf_counter() - t0, time.process_time() - c0
            verdict = "ok" if train_s < TARGET_S or n < EXAMPLES else "MISS"
            print(
                f"(b) trained on {n:,} examples, {model.FOLDS}-fold cross-validated: "
                f"{train_s:.2f} s, {train_cpu:.2f} s CPU (target < {TARGET_S:.0f} s for "
                f"{EXAMPLES:,}: {verdict}; load average {os.getloadavg()[0]:.1f})"
            )
            for r in trained.report:
                if r.precision is not None and r.recall is not None:
                    gate = "" if r.trained else "  (not suggested: precision < 0.5)"
                    print(
                        f"      {r.label:<12} {r.positives:>7,} positives  precision "
                        f"{r.precision:.2f}  recall {r.recall:.2f}{gate}"
                    )
                else:
                    print(f"      {r.label:<12} {r.positives:>7,} positives  (too few)")
            corpus = int(store.scalar("SELECT count(*) FROM sentences") or 0)
            t0, c0 = time.perf_counter(), time.process_time()
            done = suggestion_model.write_model(
                store,
                trained.version,
                # as suggesting.retrain reports it: the next retrain compares fingerprints
                {"examples": n, "fingerprints": model.fingerprints(trained)},
                lambda xs, labels: model.predict(trained, xs, SHOWN_SCORE, labels),
                changed=list(trained.labels),
            )
            write_s, write_cpu = time.perf_counter() - t0, time.process_time() - c0
            print(
                f"(c) rescored {done.scored:,} of {corpus:,} sentences ({done.skipped:,} "
                f"confirmed by every annotator, skipped) for {len(trained.labels)} labels, "
                f"wrote {done.written:,} suggestions: {write_s:.2f} s, {write_cpu:.2f} s CPU "
                f"({done.scored / max(write_s, 1e-9):,.0f} sentences/s; load average "
                f"{os.getloadavg()[0]:.1f})"
            )
            total = read_s + train_s + write_s
            print(f"first retrain end to end (a+b+c): {total:.2f} s")
        newest = "SELECT count(*), max(created_at) FROM suggestions WHERE source = 'model'"
        with open_store(path) as store:
            before = store.one(newest)
        t0 = time.perf_counter()
        child = suggesting.start_retraining(path)
        child.wait()
        again_s = time.perf_counter() - t0
        with open_store(path) as store:
            untouched = store.one(newest) == before
        print(
            f"(d) the retrain as the screen starts it, in its own process, on the same "
            f"examples (no label's model changed: nothing rescored): {again_s:.2f} s "
            f"(target < {TARGET_S:.0f} s: {'ok' if again_s < TARGET_S else 'MISS'}; model "
            f"suggestions {'untouched' if untouched else 'REWRITTEN'}; load average "
            f"{os.getloadavg()[0]:.1f})"
        )
    if args.smoke:
        print("(smoke run: the figures mean nothing)")


if __name__ == "__main__":
    main()
