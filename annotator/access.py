"""Who may open what when the project is served to browsers (`annotator serve`).

The server asks two things, both answered from the database and never from the browser:
whose token this is (name and team role, read at every check, so revoking a link or
changing a role holds from the next request), and which screens that role may open. The
rules live here, beside the other session-layer code, so the server (tui/serve.py) and the
served process (cli/serve.py) read one table.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from annotator.store import team, tokens
from annotator.store.database import Store, open_store
from annotator.store.tokens import Holder

__all__ = ["SCREENS", "Gate", "Holder", "Rights", "rights"]


SCREENS = ("annotate", "adjudicate", "agreement", "status")


@dataclass(frozen=True)
class Rights:
    """What a served session may open: `screens`, the first being where the link lands
    (the others at URL/adjudicate, URL/agreement, URL/status). Export is never served: it
    writes files on the server, the manager's business at the server's own command line."""

    screens: tuple[str, ...]

    @property
    def default(self) -> str:
        return self.screens[0]

    @property
    def agreement(self) -> bool:
        """May see everyone's labels (the agreement screen, also from the annotation one)."""
        return "agreement" in self.screens


def rights(role: str, *, blind: bool) -> Rights:
    if role == "adjudicator":
        return Rights(("adjudicate", "agreement"))
    if role == "manager":  # the status screen: everyone's progress, names and gold agreement
        return Rights(("annotate", "adjudicate", "agreement", "status"))
    # an annotator sees others' labels only where the project is not blind
    return Rights(("annotate",) if blind else ("annotate", "agreement"))


class Gate:
    """The server's one connection to the database: token checks and the blind setting."""

    def __init__(self, db_path: Path) -> None:
        self.store: Store = open_store(db_path, create=False)
        # the server only reads; a check must never wait long behind an import's write
        self.store.set_patience(0.5)

    @property
    def path(self) -> Path:
        return self.store.path

    def holder(self, token: str | None) -> Holder | None:
        return tokens.holder(self.store, token) if token else None

    def expired_at(self, token: str | None) -> str | None:
        return tokens.expired_at(self.store, token) if token else None

    def blind(self) -> bool:
        return team.setting(self.store, "blind") == "true"

    def rights(self, holder: Holder) -> Rights:
        return rights(holder.role, blind=self.blind())

    def close(self) -> None:
        self.store.close()
