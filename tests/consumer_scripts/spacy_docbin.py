"""Run by tests/test_consumer_spacy.py with spaCy's own Python (.venv-spacy): turn each
`--format spacy-jsonl` file into a DocBin with the README's lines, save it, load it back
(DocBin().from_disk, get_docs), initialise a textcat_multilabel pipe from the loaded docs,
and print per file as JSON: docs, positive count per label, the pipe's labels, meta keys.

usage: spacy_docbin.py WORKDIR FILE [FILE ...]
"""

import json
import sys
from pathlib import Path

import spacy
import srsly
from spacy.tokens import DocBin
from spacy.training import Example

work = Path(sys.argv[1])
nlp = spacy.blank("en")
out = {}
for i, path in enumerate(sys.argv[2:]):
    # the README's lines, as a spaCy user would run them
    db = DocBin(store_user_data=True)
    for rec in srsly.read_jsonl(path):
        doc = nlp.make_doc(rec["text"])
        doc.cats = rec["cats"]
        doc.user_data["meta"] = rec["meta"]
        db.add(doc)
    target = work / f"{i}.spacy"
    db.to_disk(target)

    docs = list(DocBin().from_disk(target).get_docs(nlp.vocab))
    positives: dict[str, int] = {}
    for doc in docs:
        for label, score in doc.cats.items():
            positives.setdefault(label, 0)
            positives[label] += int(score == 1.0)
    labels: list[str] = []
    if docs:
        trainer = spacy.blank("en")
        textcat = trainer.add_pipe("textcat_multilabel")
        examples = [Example(trainer.make_doc(d.text), d) for d in docs]
        trainer.initialize(lambda examples=examples: examples)
        labels = sorted(textcat.labels)
    out[path] = {
        "docs": len(docs),
        "positives": positives,
        "textcat_labels": labels,
        "meta_keys": sorted({k for d in docs for k in d.user_data.get("meta", {})}),
        "ids": [d.user_data["meta"]["id"] for d in docs],
    }
print(json.dumps(out))
