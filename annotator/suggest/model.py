"""A model trained on the project's own labels: one linear scorer per label over word
unigrams, word bigrams and character trigrams, numpy alone (issue 16).

Why this shape. Each label's weights are smoothed log-count ratios (the naive Bayes
features of Wang & Manning's NBSVM), fitted in one counting pass, and a one-dimensional
logistic calibration (Platt) turns a sentence's score into a probability, fitted on
cross-validated scores. Counting needs no iterations, so retraining on 100,000 sentences
takes seconds, and the only dependency is numpy, which we already have (scikit-learn's
logistic regression would add ~40 MB for a small gain at the start of a project).

Featurisation is what costs in Python, so it works per distinct word: a word's trigrams
are hashed once for the whole corpus, and a sentence is its word ids and bigram hashes.
A sentence's score is the sum of its words' scores (each word: its unigram weight plus its
trigrams' weights) and its bigrams' weights: `np.add.reduceat` over flat arrays.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from annotator.models.suggestions import MODEL_MIN_POSITIVE

VERSION_PREFIX = "nb1"
BUCKETS = 1 << 20  # hashed bigrams and trigrams
MIN_POSITIVE = MODEL_MIN_POSITIVE
"""A label needs this many positive (and negative) examples before the model suggests it."""
FOLDS = 5
MIN_PRECISION = 0.5
"""A label whose cross-validated precision is below this is not suggested: a suggestion that
is wrong more often than right only anchors annotators to its mistakes."""
ALPHA = 0.1  # additive smoothing of the counts (1.0 halved recall on 300 sentences)
_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*|[“”\"«»]", re.UNICODE)

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def _h(text: str) -> int:
    return zlib.crc32(text.encode("utf-8")) & (BUCKETS - 1)


@dataclass
class Vocabulary:
    """Word ids, and each word's trigram buckets, grown as sentences are featurised."""

    ids: dict[str, int] = field(default_factory=dict)
    gram_word: list[int] = field(default_factory=list)  # parallel: which word
    gram_bucket: list[int] = field(default_factory=list)  # parallel: which trigram bucket

    def word(self, w: str) -> int:
        i = self.ids.get(w)
        if i is None:
            i = self.ids[w] = len(self.ids)
            padded = f"<{w}>"
            for k in range(len(padded) - 2):
                self.gram_word.append(i)
                self.gram_bucket.append(_h(padded[k : k + 3]))
        return i


@dataclass
class Features:
    """Sentences as flat arrays: `words[word_start[i]:word_start[i+1]]` are sentence i's
    word ids, likewise its bigram buckets."""

    words: IntArray
    word_start: IntArray
    bigrams: IntArray
    bigram_start: IntArray

    def __len__(self) -> int:
        return len(self.word_start) - 1

    def rows(self, index: IntArray) -> Features:
        """The sentences at `index` (in increasing order), vectorised."""
        keep = np.zeros(len(self), bool)
        keep[index] = True
        wl, bl = np.diff(self.word_start), np.diff(self.bigram_start)
        return Features(
            self.words[np.repeat(keep, wl)],
            _starts(wl[keep]),
            self.bigrams[np.repeat(keep, bl)],
            _starts(bl[keep]),
        )


def _starts(lengths: IntArray) -> IntArray:
    out = np.zeros(len(lengths) + 1, np.int64)
    np.cumsum(lengths, out=out[1:])
    return out


def text_key(text: str) -> str:
    """The text as the model sees it: its tokens, lower-cased, one space apart. Texts with
    one key are one text to the model (case, spacing and the punctuation it drops make no
    feature), so the folds keep them together and a prediction on either gets their
    held-out answer: a syndicated copy, a page imported twice, "Said  he" and "said he"."""
    return " ".join(_TOKEN.findall(text.lower()))


def featurise(texts: Sequence[str], vocab: Vocabulary, keys: list[str] | None = None) -> Features:
    """With `keys`, each text's text_key is appended to it (from the same tokens: one pass)."""
    words: list[int] = []
    word_start = [0]
    word = vocab.word
    known = vocab.ids
    findall = _TOKEN.findall
    for text in texts:
        tokens = findall(text.lower())
        words.extend([known[t] if t in known else word(t) for t in tokens])
        word_start.append(len(words))
        if keys is not None:
            keys.append(" ".join(tokens))
    ids = np.asarray(words, np.int64)
    starts = np.asarray(word_start, np.int64)
    # bigrams from consecutive word ids within a sentence, hashed in numpy
    lengths = np.diff(starts)
    inside = np.ones(max(len(ids) - 1, 0), bool)
    ends = starts[1:-1][lengths[:-1] > 0] - 1  # the last word of each sentence but the last
    inside[ends[ends < len(inside)]] = False
    pairs = ((ids[:-1] * 1_000_003 + ids[1:]) & (BUCKETS - 1))[inside]
    bigram_lengths = np.maximum(lengths - 1, 0)
    return Features(ids, starts, pairs.astype(np.int64), _starts(bigram_lengths))


@dataclass
class LabelModel:
    label: str
    word_weights: FloatArray  # per vocabulary word: unigram + its trigrams
    bigram_weights: FloatArray
    bias: float
    a: float = 1.0  # Platt calibration: p = 1 / (1 + exp(-(a * score + b)))
    b: float = 0.0


def _sums(values: FloatArray, starts: IntArray) -> FloatArray:
    """Sum of each sentence's slice of `values` (0 for an empty one)."""
    out = np.zeros(len(starts) - 1)
    if len(values) == 0:
        return out
    nonempty = starts[:-1] < starts[1:]
    sums = np.add.reduceat(values, starts[:-1][nonempty])
    out[nonempty] = sums
    return out


def _fit_label(
    label: str,
    feats: Features,
    y: npt.NDArray[np.bool_],
    vocab: Vocabulary,
    rated: npt.NDArray[np.bool_] | None = None,
) -> LabelModel:
    """`rated` (None: all): the examples that say something of the label; the others
    count as neither positive nor negative."""
    n_words = len(vocab.ids)
    gw = np.asarray(vocab.gram_word, np.int64)
    gb = np.asarray(vocab.gram_bucket, np.int64)
    row_of_word = np.repeat(np.arange(len(feats)), np.diff(feats.word_start))
    row_of_bigram = np.repeat(np.arange(len(feats)), np.diff(feats.bigram_start))
    pos = y.astype(np.float64)
    neg = 1.0 - pos
    if rated is not None:
        neg *= rated
    ratios = []
    for weights in (pos, neg):
        wc = np.bincount(feats.words, weights=weights[row_of_word], minlength=n_words)
        # a word's trigrams are counted as often as the word occurs in the class
        tc = np.bincount(gb, weights=wc[gw], minlength=BUCKETS)
        bc = np.bincount(feats.bigrams, weights=weights[row_of_bigram], minlength=BUCKETS)
        ratios.append((wc + ALPHA, tc + ALPHA, bc + ALPHA))
    (pw, pt, pb), (nw, nt, nb) = ratios
    rw = np.log(pw / pw.sum()) - np.log(nw / nw.sum())
    rt = np.log(pt / pt.sum()) - np.log(nt / nt.sum())
    rb = np.log(pb / pb.sum()) - np.log(nb / nb.sum())
    word_weights = rw + np.bincount(gw, weights=rt[gb], minlength=n_words)
    bias = float(np.log(max(pos.sum(), 1) / max(neg.sum(), 1)))
    return LabelModel(label, word_weights, rb, bias)


def scores(model: LabelModel, feats: Features) -> FloatArray:
    ww = model.word_weights
    # words the model never saw (a vocabulary grown after training) weigh nothing
    known = feats.words < len(ww)
    values = np.where(known, ww[np.minimum(feats.words, len(ww) - 1)], 0.0)
    return (
        _sums(values, feats.word_start)
        + _sums(model.bigram_weights[feats.bigrams], feats.bigram_start)
        + model.bias
    )


def probabilities(model: LabelModel, feats: Features) -> FloatArray:
    z = model.a * scores(model, feats) + model.b
    return 1.0 / (1.0 + np.exp(-np.clip(z, -50, 50)))


def _platt(s: FloatArray, y: npt.NDArray[np.bool_]) -> tuple[float, float]:
    """Fit p = sigmoid(a s + b) by Newton's method (Platt's targets, to avoid overfitting)."""
    n_pos, n_neg = float(y.sum()), float((~y).sum())
    t = np.where(y, (n_pos + 1) / (n_pos + 2), 1 / (n_neg + 2))
    a, b = 1.0, 0.0
    x = np.stack([s, np.ones_like(s)], axis=1)
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-np.clip(a * s + b, -50, 50)))
        g = x.T @ (p - t)
        w = p * (1 - p) + 1e-9
        h = (x * w[:, None]).T @ x + 1e-6 * np.eye(2)
        step = np.linalg.solve(h, g)
        a, b = a - float(step[0]), b - float(step[1])
        if float(np.abs(step).max()) < 1e-7:
            break
    return a, b


@dataclass
class LabelReport:
    label: str
    positives: int
    trained: bool  # suggested: enough examples, and precise enough
    precision: float | None = None
    recall: float | None = None


@dataclass
class TrainedModel:
    vocab: Vocabulary
    labels: dict[str, LabelModel]
    report: list[LabelReport]
    examples: int
    version: str
    # The texts it was trained on (by text_key), and per suggested label each one's
    # probability from the folds that did not see it (the mean over a text's examples, all
    # in one fold). A model suggests on its
    # own training sentences what it learnt from their labels: in a blind project, the
    # colleagues' consensus on the very sentence an annotator judges (audit7 F11: 1.00 on
    # every sentence two others had labelled alike). Those texts get the held-out answer.
    held_out: dict[str, int] = field(default_factory=dict)
    held_out_probability: dict[str, FloatArray] = field(default_factory=dict)


def train(
    texts: Sequence[str],
    label_sets: Sequence[frozenset[str]],
    labels: Sequence[str],
    *,
    unrated: Sequence[frozenset[str]] = (),
    seed: int = 0,
) -> TrainedModel:
    """One model per label with enough examples, with out-of-fold precision and recall
    (FOLDS-fold cross-validation, the calibration fitted on the out-of-fold scores).
    `unrated` (parallel to `texts`, or empty): per example, the labels it says nothing of
    (added to the guidelines after its annotators confirmed it): left out of that label's
    fit, calibration and figures, neither positive nor negative (audit15a F3)."""
    vocab = Vocabulary()
    keys: list[str] = []
    feats = featurise(texts, vocab, keys)
    n = len(texts)
    held_out: dict[str, int] = {}
    text_of = np.fromiter((held_out.setdefault(k, len(held_out)) for k in keys), np.int64, n)
    # Folds by text, not by example (audit15a F7): a text that occurs twice (a syndicated
    # copy, the same labels on both) split across two folds is scored "out of fold" by a
    # model fitted on its twin, which hands back its labels (in a blind project, a
    # colleague's answer at 1.00) and inflates the cross-validated precision that lets a
    # label be suggested. With every text distinct this is the old per-example draw.
    folds = (np.random.default_rng(seed).permutation(len(held_out)) % FOLDS)[text_of]
    models: dict[str, LabelModel] = {}
    report: list[LabelReport] = []
    fold_rows = [(np.flatnonzero(folds != k), np.flatnonzero(folds == k)) for k in range(FOLDS)]
    per_text = np.bincount(text_of, minlength=len(held_out)).astype(np.float64)
    held_out_probability: dict[str, FloatArray] = {}
    fold_feats = [(feats.rows(tr), feats.rows(te)) for tr, te in fold_rows]
    # most projects never added a label: one look, and no mask at all
    some_unrated = any(unrated)
    for label in labels:
        y = np.fromiter((label in s for s in label_sets), bool, n)
        rated = np.fromiter((label not in u for u in unrated), bool, n) if some_unrated else None
        if rated is not None and rated.all():
            rated = None
        npos = int(y.sum())
        nneg = n - npos if rated is None else int((rated & ~y).sum())
        if npos < MIN_POSITIVE or nneg < MIN_POSITIVE:
            report.append(LabelReport(label, npos, False))
            continue
        oof = np.zeros(n)
        for (tr, te), (ftr, fte) in zip(fold_rows, fold_feats, strict=True):
            part = None if rated is None else rated[tr]
            oof[te] = scores(_fit_label(label, ftr, y[tr], vocab, part), fte)
        # calibrated and judged on the examples that say something of the label
        scored, truth = (oof, y) if rated is None else (oof[rated], y[rated])
        a, b = _platt(scored, truth)
        predicted = (a * scored + b) > 0
        tp = int((predicted & truth).sum())
        precision = tp / int(predicted.sum()) if predicted.any() else 0.0
        good = precision >= MIN_PRECISION
        if good:
            model = _fit_label(label, feats, y, vocab, rated)
            model.a, model.b = a, b
            models[label] = model
            p = 1.0 / (1.0 + np.exp(-np.clip(a * oof + b, -50, 50)))
            held_out_probability[label] = (
                np.bincount(text_of, weights=p, minlength=len(held_out)) / per_text
            )
        report.append(LabelReport(label, npos, good, precision, tp / npos))
    version = f"{VERSION_PREFIX}-{n}"
    return TrainedModel(vocab, models, report, n, version, held_out, held_out_probability)


def fingerprints(model: TrainedModel) -> dict[str, str]:
    """A digest per suggested label of everything its predictions depend on (its weights,
    calibration and the vocabulary they index): equal digests, equal suggestions, so a
    retrain rescores only the labels whose digest changed."""
    words = hashlib.blake2b(
        "\0".join(model.vocab.ids).encode("utf-8", "surrogatepass"), digest_size=16
    ).digest()
    out = {}
    for label, m in model.labels.items():
        h = hashlib.blake2b(words, digest_size=16)
        h.update(np.ascontiguousarray(m.word_weights).tobytes())
        h.update(np.ascontiguousarray(m.bigram_weights).tobytes())
        h.update(np.array([m.bias, m.a, m.b]).tobytes())
        h.update("\0".join(model.held_out).encode("utf-8", "surrogatepass"))
        h.update(np.ascontiguousarray(model.held_out_probability[label]).tobytes())
        out[label] = h.hexdigest()
    return out


def predict(
    model: TrainedModel,
    texts: Sequence[str],
    min_probability: float,
    labels: Sequence[str] | None = None,
) -> list[list[tuple[str, float]]]:
    """For each text, the (label, probability) pairs at or above `min_probability`, of
    `labels` only when given."""
    # featurising grows the vocabulary with unseen words: they get no weight (see scores)
    keys: list[str] = []
    feats = featurise(texts, model.vocab, keys)
    out: list[list[tuple[str, float]]] = [[] for _ in texts]
    # a text it was trained on: the folds' answer, which never saw its labels
    held = model.held_out
    seen = [(i, held[k]) for i, k in enumerate(keys) if k in held]
    at = np.array([i for i, _ in seen], np.int64)
    rows = np.array([r for _, r in seen], np.int64)
    for label, m in model.labels.items():
        if labels is not None and label not in labels:
            continue
        p = probabilities(m, feats)
        if seen:
            p[at] = model.held_out_probability[label][rows]
        for i in np.flatnonzero(p >= min_probability):
            out[int(i)].append((label, float(p[i])))
    return out
