"""The names the exports write beside a schema's fields and labels: a field or label of
that name would be a second column of the same name (the schema refuses them). Plain
data, read without pydantic."""

from __future__ import annotations

# Columns and keys the exports write beside the fields' values (audit9b F15: an article
# field `title` took the place of every article's title in the hf articles configuration,
# and the csv got two `title` columns; a sentence field `text` would replace doccano's text).
SENTENCE_COLUMNS = frozenset(
    (
        "id", "article_id", "article_title", "outlet", "position", "paragraph", "kind",
        "start", "end", "text", "links", "words", "flesch_reading_ease",
        "flesch_kincaid_grade", "labels", "label", "annotator", "annotators", "n_annotators",
        "comment", "confirmed_at", "updated_at", "origins", "votes", "view", "article",
        "annotations", "gold", "majority", "gold_method", "adjudicator", "agrees_with",
        "note", "decided_at", "method", "meta", "cats", "gold_note",
    )
)  # fmt: skip
ARTICLE_COLUMNS = frozenset(
    (
        "id", "title", "outlet", "outlet_domain", "author", "published", "url", "byline",
        "sentences", "words", "flesch_reading_ease", "flesch_kincaid_grade", "language",
        "source", "meta", "annotations", "annotated_at", "gold", "gold_provenance",
        "outlet_fields", "who", "article_id",
    )
)  # fmt: skip


# column names refused for fields since round 13 (audit12 F20): a stored schema may use them
ADDED_IN_ROUND_13 = frozenset({"gold_note", "article_id"})
