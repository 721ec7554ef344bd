"""The sections a page has beside its article, as their headings announce them: a box of
links to other stories ("Related", "More from ...") and the readers' comment section
("Comments", "Leave a Reply", "3 thoughts on “...”"). The layout marks what follows such a
heading as furniture (ingest/layout_segments.py, layout_assembly.py)."""

from __future__ import annotations

import re

from annotator.ingest.sentences import split_sentences

# a furniture line that announces a box of links to other stories
_RELATED = re.compile(
    r"^(?:(?-i:MORE [A-Z0-9 ]+)|(?:related|suggested|recommended|similar|latest|popular|trending|"
    r"most (?:read|popular|viewed|shared))(?: for you)?(?: articles| stories| news| posts| "
    r"videos| reads| content)?\s*:?|you (?:may|might) also like.*|more (?:from|on|in) .{1,40}|"
    r"(?:read|watch) (?:next|more)\s*:?|top stories|more (?:stories|news|videos|headlines)|"
    r"editor['’]s picks|in case you missed it|what to read next)$",
    re.IGNORECASE,
)


# the heading of the comment section ("Comments", "LEAVE A REPLY", "Discussion", "0 comments")
_COMMENTS = re.compile(
    r"^(?:(?:recent |user |reader |readers['’] )?comments?(?: \(\d+\))?|"
    r"discussion|community guidelines|house rules|leave a (?:reply|comment)(?:\s+cancel reply)?|"
    r"join the (?:conversation|discussion)|comments are closed\.?|"
    # WordPress's heading over the readers' comments: "3 thoughts on “Council expands ...”",
    # "12 Responses to ...", "One comment on ..." (audit6 F13)
    r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten) (?:thoughts?|responses?|"
    r"comments?|replies|reactions?) (?:on|to) .{1,200})$",
    re.IGNORECASE,
)


def opens_comments(vis: str, at: int, size: int) -> bool:
    """Does this furniture line open the comment section? Only in the second half of the
    page: a "Comments" counter near the headline of a whole-page dump is not one."""
    return at >= size // 2 and bool(_COMMENTS.match(vis.strip()))


def opens_related(vis: str) -> bool:
    return bool(_RELATED.match(vis.strip()))


def ends_related(vis: str) -> bool:
    """The box of related stories ends where prose resumes: a line of two sentences or more,
    or a long one (a teaser is a headline, a sentence, a date)."""
    return len(vis) > 300 or len(split_sentences(vis)) >= 2
