"""Where suggested labels come from (issue 16), as pure functions over sentences: the
importer's kinds, the cue lexicons of the guidelines, a model trained on the project's own
labels, and the seeded split that measures anchoring. No store, no SQL, no terminal: the
store feeds them rows and keeps what they return."""
