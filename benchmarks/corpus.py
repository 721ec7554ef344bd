"""Generated news-like articles for benchmarks (seeded, so every run sees the same data).

Each article looks like scraped news: a byline, a headline, paragraphs with attribution,
quotes, hedges, abbreviations and numbers, a repeated byline at a "page break" in the middle
of a sentence, an embedded post with its signature line, markdown links and a subscription
list at the end.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

_PEOPLE = [
    "Lloyd Austin",
    "John Kirby",
    "Mike Turner",
    "Volodymyr Zelensky",
    "Dmitry Peskov",
    "Sen. Maria Lopez",
    "Gov. Tom Reed",
    "Dr. Anna Weiss",
    "Col. James T. Parker",
    "Rep. Sarah Kim (D-Calif.)",
    "Mr. Ahmed Nasser",
    "Prof. Li Wei",
]
_ORGS = [
    "the U.S. Department of Defense",
    "KCNA",
    "the U.N. Security Council",
    "NATO",
    "Reuters",
    "the Associated Press",
    "the Kremlin",
    "Acme Corp.",
    "the E.U. Commission",
]
_VERBS = [
    "said",
    "told reporters",
    "confirmed",
    "stated",
    "added",
    "warned",
    "claimed",
    "acknowledged",
    "noted in a statement",
]
_HEDGES = ["could", "may", "might", "appears to", "is likely to", "would"]
_CLAIMS = [
    "signal a dangerous escalation in the conflict",
    "reshape the security balance in the region",
    "raise serious concerns among allies",
    "cost as much as $1.5 billion by Jan. 2025",
    "affect roughly 3.5% of the 10,000 troops deployed",
    "complicate talks scheduled for 9 a.m. on Oct. 14",
    "undermine the agreement signed in the U.K. last year",
]
_OPINION = [
    "So, a nothingburger:",
    "In this high-stakes environment, caution is essential.",
    "Undoubtedly, this is a reckless gamble.",
    "Who could have predicted that?",
]


def _sentence(rng: random.Random) -> str:
    k = rng.random()
    who = rng.choice(_PEOPLE)
    org = rng.choice(_ORGS)
    claim = rng.choice(_CLAIMS)
    if k < 0.25:
        return f"“The move {rng.choice(_HEDGES)} {claim},” {who} {rng.choice(_VERBS)}."
    if k < 0.45:
        return f"According to {org}, the plan {rng.choice(_HEDGES)} {claim}."
    if k < 0.6:
        return (
            f"{who} {rng.choice(_VERBS)} that officials at {org} were reviewing the "
            f"figures ... and that a decision {rng.choice(_HEDGES)} {claim}."
        )
    if k < 0.7:
        return f"The report, published Sept. 3 by [{org}](https://example.org/r), runs 45 pages."
    if k < 0.8:
        return rng.choice(_OPINION)
    return (
        f"On Wednesday, {who} met representatives of {org} in Brussels, where "
        f"roughly {rng.randint(2, 900):,} delegates gathered."
    )


def article(rng: random.Random, index: int, paragraphs: int = 12) -> str:
    author = rng.choice(["Jane Doe", "Veronika Kyrylenko", "A. B. Smith"])
    byline = f"Written by [{author}](#) on October {rng.randint(1, 28)}, 2024"
    lines = [byline, "", f"Officials Weigh Response {index} as Tensions Rise", ""]
    for p in range(paragraphs):
        para = " ".join(_sentence(rng) for _ in range(rng.randint(2, 5)))
        if p == paragraphs // 2:
            # a page break in the middle of a sentence, with the byline repeated
            cut = para.rfind(" ", 0, len(para) // 2)
            lines += [para[:cut], "", "", byline, "", para[cut + 1 :], ""]
            continue
        lines += [para, ""]
        if p == 3:
            lines += [
                "Officials say more troops are coming <https://t.co/abc123 pic.twitter.com/xyz789>",
                "",
                "— Example News (@example) [October 23, 2024](#)",
                "",
            ]
    lines += [
        "Subscribe to the Example Times",
        "",
        "- 24 Issues Per Year",
        "- Digital Edition Access",
        "- Cancel anytime.",
        "",
    ]
    return "\n".join(lines)


def articles(n: int, seed: int = 7) -> Iterator[tuple[str, str]]:
    rng = random.Random(seed)
    for i in range(n):
        yield f"article_{i:05d}", article(rng, i)
