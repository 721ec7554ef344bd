"""What an annotator's session says about whole articles and outlets: the article form
(fields, comment, outlet) and the outlet's fields, and, in a blind project, the record that
others' labels were shown. A part of `AnnotationSession` (session.py), sharing its
attributes.
"""

from __future__ import annotations

from typing import Any

from annotator.models.articles import Article
from annotator.safetext import typed
from annotator.schema import LabelSchema
from annotator.session_moves import Outcome
from annotator.store import articles as arts
from annotator.store import blind, fields
from annotator.store.database import Store

# what the screen says to someone taken off a closed team whose screen is still open
OFF_TEAM = (
    "you are no longer on the team, and the team is closed: nothing is saved (a manager "
    "adds you back with `annotator team add NAME`)"
)


class Forms:
    """The article form and blind records: attributes set by AnnotationSession.__init__."""

    store: Store
    schema: LabelSchema
    annotator_id: int
    session_id: str
    blind_project: bool
    article: Article
    article_fields: dict[str, Any]
    article_comment: str | None
    off_team: bool
    guidelines_changed: str | None

    def refused_off_team(self) -> Outcome | None:
        """Nothing is written by someone taken off a closed team, nor under guidelines the
        project has replaced since the screen opened (AnnotationSession.sync)."""
        if self.guidelines_changed is not None:
            return Outcome(
                f"the project's guidelines changed since this screen opened (now "
                f"{self.guidelines_changed}): nothing is saved; quit and open it again"
            )
        if not self.off_team:
            return None
        return Outcome(OFF_TEAM)

    def saw_others(self, article_ids: list[int] | None, via: str) -> None:
        """Record that this annotator is being shown others' labels (of these articles, or
        of all), in a blind project; elsewhere nothing is recorded. Raises StoreError when
        it cannot be written: the caller must then not show them."""
        if self.blind_project:
            blind.record(
                self.store,
                self.annotator_id,
                article_ids=article_ids,
                via=via,
                schema_hash=self.schema.hash,
                session=self.session_id,
            )

    def set_article_field(self, name: str, value: Any) -> Outcome:
        if refused := self.refused_off_team():
            return refused
        spec = self.schema.article_field(name)
        if not spec.accepts(value):
            return Outcome(f"{spec.title}: {value!r} is not one of its values")
        fields.set_article_field(
            self.store,
            annotator_id=self.annotator_id,
            article_id=self.article.id,
            field=name,
            value=value,
            schema_hash=self.schema.hash,
            session=self.session_id,
        )
        self.article_fields = fields.article_fields(self.store, self.article.id, self.annotator_id)
        return Outcome(saved=True)

    def set_article_comment(self, text: str | None) -> Outcome:
        """The annotator's comment on the whole article (several lines; empty removes it)."""
        if refused := self.refused_off_team():
            return refused
        comment = typed(text or "").strip() or None
        fields.set_article_comment(
            self.store,
            annotator_id=self.annotator_id,
            article_id=self.article.id,
            comment=comment,
            schema_hash=self.schema.hash,
            session=self.session_id,
        )
        self.article_comment = comment
        return Outcome(saved=True)

    def set_article_outlet(self, name: str | None) -> Outcome:
        """Name this article's outlet (created if new): its outlet fields become reachable."""
        if refused := self.refused_off_team():
            return refused
        outlet = (name or "").strip() or None
        fields.set_article_outlet(
            self.store,
            annotator_id=self.annotator_id,
            article_id=self.article.id,
            name=outlet,
            schema_hash=self.schema.hash,
            session=self.session_id,
        )
        self.article = arts.get_article(self.store, self.article.id) or self.article
        return Outcome(saved=True)

    def set_outlet_field(self, name: str, value: Any) -> Outcome:
        if refused := self.refused_off_team():
            return refused
        if self.article.outlet_id is None:
            return Outcome("this article has no outlet")
        spec = self.schema.outlet_field(name)
        if not spec.accepts(value):
            return Outcome(f"{spec.title}: {value!r} is not one of its values")
        fields.set_outlet_field(
            self.store,
            annotator_id=self.annotator_id,
            outlet_id=self.article.outlet_id,
            field=name,
            value=value,
            schema_hash=self.schema.hash,
            session=self.session_id,
        )
        return Outcome(saved=True)

    def outlet_fields(self) -> dict[str, tuple[Any, str, str]]:
        if self.article.outlet_id is None:
            return {}
        return fields.outlet_fields(self.store, self.article.outlet_id)
