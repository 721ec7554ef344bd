"""What `annotator merge` did (or, with --dry-run, would do): plain values for the CLI."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class MergeConflict:
    """One thing changed in both copies since they parted: the later change won."""

    what: str  # "sentence", "article field", "gold sentence", ...
    article: str  # the article's external id in this database
    # a sentence: its id as exports write it ("ARTICLE:7", position from 0); else
    # "field stance", "outlet", "outlet NAME: FIELD"
    where: str
    who: str  # the annotator (or adjudicator) whose changes met: the copy's latest
    here_at: str  # the latest change in this database
    there_at: str  # the latest change in the other copy
    winner: str  # "here" or "there"
    # who made this database's latest change, when it was someone else (gold: two
    # adjudicators; audit14 F4: the summary named only the copy's)
    here_who: str = ""


@dataclass
class MergeReport:
    other: str
    dry_run: bool = False
    articles_matched: int = 0
    articles_added: list[str] = field(default_factory=list)
    # an article of the other copy whose external id names a different text here
    articles_skipped: list[str] = field(default_factory=list)
    annotators_added: list[str] = field(default_factory=list)
    members_added: list[str] = field(default_factory=list)
    # on the copy's team, but taken off the team here after that: not put back
    members_kept_off: list[str] = field(default_factory=list)
    # a member whose role differs between the copies (this database's role is kept)
    roles_differ: list[str] = field(default_factory=list)
    events_added: int = 0
    events_known: int = 0
    # events on sentences of a matched article that this database does not segment the
    # same way (another annotator version): kept out, counted
    events_unmatched: int = 0
    states_taken: dict[str, int] = field(default_factory=dict)
    assignments_added: int = 0
    # articles whose with/without-suggestions condition came from the copy
    conditions_added: int = 0
    schemas_added: int = 0
    conflicts: list[MergeConflict] = field(default_factory=list)
    # suggestions (importer kinds, cue lexicons) computed for the articles the copy added,
    # as an import does, so a split project's "with suggestions" half really has them
    suggested: int = 0

    @property
    def changed(self) -> bool:
        return bool(
            self.articles_added
            or self.annotators_added
            or self.members_added
            or self.events_added
            or self.assignments_added
            or self.conditions_added
            or self.schemas_added
            or any(self.states_taken.values())
        )
