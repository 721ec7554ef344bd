"""Exports NLP tools read: JSON Lines, CSV, a Hugging Face dataset folder, Prodigy, Label Studio
and doccano. Pure composition over rows from annotator.store.exporting; no SQL here."""
