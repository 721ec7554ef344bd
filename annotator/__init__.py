"""annotator: sentence-level annotation of news articles for credibility and bias cues."""

__version__ = "0.1.0"
