"""Dates as scraped pages print them: a date line under a byline, a time alone, a date run
on to a headline, and the ISO date a byline gives (`published`)."""

from __future__ import annotations

import re

# a date alone on its line ("November 08, 2023", "2023-11-03", "Thursday, November 9, 2023
# 4:41AM"): the byline's date line, not a heading
DATE_CORE = (
    r"(?:[A-Za-z]{3,9}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}|"
    r"\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]{3,9}\.?,?\s+\d{4}|\d{4}-\d{2}-\d{2}|"
    r"\d{1,2}[./]\d{1,2}[./]\d{2,4})"
)
DATE_LINE = re.compile(
    r"^(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?"
    + DATE_CORE
    + r"(?:,?\s+(?:at\s+)?\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?(?:\s+[A-Z]{2,4})?)?"
    # and the section label run on to it: "October 22, 2019 report", "May 06, 2022 News"
    + r"(?:\s+[A-Za-z]{2,12})?$",
    re.IGNORECASE,
)

# a time alone, as under a date line: "10:11 pm CST", "4:41AM"
TIME_LINE = re.compile(r"^\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?(?:\s+[A-Z]{2,4})?$", re.IGNORECASE)

DATE_ANY = re.compile(DATE_CORE, re.IGNORECASE)
DATE_AT_END = re.compile(DATE_CORE + "$", re.IGNORECASE)

_MONTHS = {
    m: i
    for i, names in enumerate(
        (
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for m in names
}  # fmt: skip
_MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"
_DATES = (
    re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})\b"),
    re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+(?P<year>\d{{4}})\b"),
    re.compile(r"\b(?P<year>\d{4})-(?P<mnum>\d{2})-(?P<day>\d{2})\b"),
)


def byline_date(line: str) -> str | None:
    """The date in a byline as ISO 8601 ("Written by X on October 24, 2024" -> 2024-10-24)."""
    for rx in _DATES:
        m = rx.search(line)
        if not m:
            continue
        gd = m.groupdict()
        month = int(gd["mnum"]) if gd.get("mnum") else _MONTHS.get(gd["month"].lower())
        day = int(m.group("day"))
        if month and 1 <= month <= 12 and 1 <= day <= 31:
            return f"{int(m.group('year')):04d}-{month:02d}-{day:02d}"
    return None
