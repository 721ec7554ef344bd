"""The errors the store raises and every layer above it catches (the TUI included, which
never imports the store)."""


class StoreError(Exception):
    """The database cannot be used as asked; the message is for the user."""


class WriteFailed(StoreError):
    """A change was NOT saved (busy, read-only, disk full). Say so; never pretend."""


class DatabaseBusy(WriteFailed):
    """Another process held the write lock longer than this store waits: nothing changed."""
