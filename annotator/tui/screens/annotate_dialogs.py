"""The dialogs the annotation screen opens: a sentence's comment, the guidelines, the
article form (fields, comment, outlet), the article picker, the agreement screen.

Apart from annotate.py because each is a dialog's wiring (what it is given, what its answer
does), not a key on the sentence; every answer still goes through `_edit` like a key.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from annotator.models.errors import StoreError
from annotator.schema import FieldSpec
from annotator.session import AnnotationSession
from annotator.tui.dialogs.article_form import ArticleForm, FormField
from annotator.tui.dialogs.picker import ArticlePicker, PickerEntry
from annotator.tui.dialogs.text_prompt import TextPrompt
from annotator.tui.screens.annotate_display import AnnotateDisplay

if TYPE_CHECKING:
    from annotator.tui.dialogs.guideline import GuidelineModal

# the article comment, in the form beside the schema's fields (a free text; no agreement)
ARTICLE_COMMENT = FieldSpec(
    name="comment",
    title="Comment on the article",
    level="text",
    description="Why a field is empty, doubts, what to ask the team (enter edits; "
    "several lines, ctrl+s saves)",
)

# the article's outlet, settable: scraped articles often have none, and without one the
# outlet's fields cannot be reached
OUTLET_NAME = FieldSpec(
    name="outlet",
    title="Outlet (its name)",
    level="text",
    description="Who published the article; once set, A again shows the outlet's fields",
)


class AnnotateDialogs(AnnotateDisplay):
    """The actions that open a dialog; AnnotateScreen adds the keys on the sentence."""

    def __init__(self, session: AnnotationSession) -> None:
        super().__init__(session)
        self._guideline: GuidelineModal | None = None

    def action_comment(self) -> None:
        s = self.session

        async def done(text: str | None) -> None:
            if text is not None:
                await self._edit(lambda: s.comment(text))

        self.app.push_screen(
            TextPrompt(
                "Comment on this sentence",
                s.current.text,
                s.current_state.comment,
                "why, doubts, what to ask the team",
                multiline=True,
            ),
            done,
        )

    async def action_guideline(self) -> None:
        # imported here: the Markdown widget costs 45 ms at startup, for a dialog on demand
        from annotator.tui.dialogs.guideline import GuidelineModal

        lab = self.schema.labels[self.label_cursor]
        g = self.session.guidelines
        # one modal for the app's life: the full guidelines are rendered on the first `? ?`
        # only (seconds under load), then shown and hidden
        if self._guideline is None:
            self._guideline = GuidelineModal(g.section(lab.name), g.markdown, lab.name)
            self.app.install_screen(self._guideline, name="guidelines")
        else:
            self._guideline.show_label(g.section(lab.name), lab.name)
        await self.app.push_screen("guidelines")

    def action_article_form(self) -> None:
        s = self.session
        fields = [
            FormField("article", f, s.article_fields.get(f.name))
            for f in self.schema.article_fields
        ]
        fields.append(FormField("comment", ARTICLE_COMMENT, s.article_comment))
        fields.append(FormField("outlet_name", OUTLET_NAME, s.article.outlet))
        if s.article.outlet_id is not None:
            known = s.outlet_fields()
            for f in self.schema.outlet_fields:
                value, who, when = known.get(f.name, (None, "", ""))
                note = f"by {who}, {when[:10]}" if who else ""
                fields.append(FormField("outlet", f, value, note))

        def save(scope: str, name: str, value: Any) -> str | None:
            try:
                if scope == "comment":
                    out = s.set_article_comment(value)
                elif scope == "outlet_name":
                    out = s.set_article_outlet(value)
                elif scope == "article":
                    out = s.set_article_field(name, value)
                else:
                    out = s.set_outlet_field(name, value)
            except StoreError as e:
                self._failed(e)
                return f"NOT SAVED: {e}"
            return None if out.saved else out.message

        def closed(_: None) -> None:
            self._note = None  # "its article form needs ..." is stale once the form was open
            self._refresh_side()
            self._refresh_progress()  # narrow, it counts the form's fields
            self._show_header()  # the outlet may have been set

        self.app.push_screen(
            ArticleForm(s.article.display_title, fields, save, s.guidelines), closed
        )

    def action_open_article(self) -> None:
        entries = [
            PickerEntry(a.id, a.display_title, a.outlet, done, a.sentence_count)
            for a, done in self.session.article_list()
        ]
        self._refresh_progress()  # the list re-reads the queue, which may have grown

        async def chosen(article_id: int | None) -> None:
            if article_id is not None and article_id != self.session.article.id:
                await self._edit(lambda: self.session.open_article(article_id))

        picker = ArticlePicker(entries, self.session.article.id, queue=bool(self.session.queue))
        self.app.push_screen(picker, chosen)

    async def open_article(self, article_id: int) -> None:
        """For the command palette."""
        await self._edit(lambda: self.session.open_article(article_id))

    def action_agreement(self) -> None:
        opener = getattr(self.app, "open_agreement", None)
        if opener is not None:
            opener()

    def action_agreement_closed(self) -> None:
        self.action_agreement()  # which says it is not available
