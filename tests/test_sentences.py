"""The sentence splitter: Golden Rules, news prose, the sample articles, and span invariants."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import annotator.ingest.sentences as sentences_module
from annotator.ingest.sentences import split_sentences

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT.parent / "shared" / "golden_rules_en.json"


def sents(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


def check(text: str, expected: list[str]) -> None:
    assert sents(text) == expected


# --------------------------------------------------------------------------- Golden Rules


def _golden_cases() -> list[dict]:
    if not GOLDEN.is_file():
        return []
    return json.loads(GOLDEN.read_text(encoding="utf-8"))


@pytest.mark.skipif(not GOLDEN.is_file(), reason=f"Golden Rules not found at {GOLDEN}")
@pytest.mark.parametrize("case", _golden_cases(), ids=lambda c: f"{c['id']:02d}")
def test_golden_rule(case: dict) -> None:
    check(case["text"], case["expected"])


# --------------------------------------------------------------------------- news prose

ONE_SENTENCE = [
    # abbreviations in the middle of a sentence
    "Officials from the U.S., the U.K. and the U.N. met in Geneva on Thursday.",
    "Gov. Maura Healey and Sen. Ed Markey joined Rep. Ayanna Pressley on stage.",
    "Gen. Charles Brown, Lt. Gen. Ann Ortiz, Col. Dave Kim and Sgt. Lisa Park arrived late.",
    "Dr. Patel, Mr. Ruiz, Mrs. Chen and Ms. Novak signed the open letter.",
    "Robert Downey Jr. and Ken Griffey Sr. sat together at the game.",
    "The march passed St. Anne's Church on its way toward Mt. Rainier.",
    "Shares of Acme Inc. and Globex Corp. rose while Initech Co. and Umbrella Ltd. fell.",
    "The bill, No. 4521, passed after it ranked No. 3 on the agenda.",
    "The lawsuit, Smith vs. Jones, concerns water rights.",
    "Some states, e.g. Ohio, and some cities, i.e. the largest ones, sued the agency.",
    "Volunteers brought food, water, blankets, etc. to the shelter.",
    "Hearings fall on Jan. 9, Feb. 14, Aug. 30, Sept. 2, Oct. 31, Nov. 5 and Dec. 1 this year.",
    "The firm moved from Miami, Fla. to Austin, Tex. and then to Boston, Mass. last spring.",
    "Calif. Gov. Gavin Newsom signed the measure on Friday.",
    "The U.S. Supreme Court declined to hear the case.",
    "The U.S. Army and the U.K. Ministry of Defence issued a joint statement.",
    "She moved to the U.S. in 2019 to study law.",
    "He briefed the U.S. A.I. Safety Institute on Monday.",
    # party tags
    "Sen. Sherrod Brown (D-Ohio) voted against the package.",
    "Rep. Mike Turner (R-Ohio) urged restraint, while Rep. Ro Khanna (D-Calif.) said the opposite.",
    "Sen. Ann Lee, D-Minn., and Sen. Tom Ray, R-Ark., wrote the letter.",
    "The panel heard from (Ret.) Gen. John Allen on Tuesday.",
    # initials
    "John F. Kennedy won the 1960 election by a narrow margin.",
    "Novels by J.K. Rowling and J.R.R. Tolkien topped the list again.",
    # numbers
    "The plan costs $1.5 billion, about 3.5% of the budget, and covers 10,000 homes.",
    "The final tally was 1,204.",
    # times
    "The hearing starts at 5 p.m. Tuesday in Room 210.",
    "Polls close at 8 p.m. ET across the state.",
    "At 6 a.m. Mr. Lopez opened the store as usual.",
    # quotes: a lowercase word after the closing quote continues the sentence
    "“That went well.” she said, smiling.",
    '"That went well." he said.',
    "‘Not again.’ she muttered.",
    "“Why now?” Smith asked.",
    "“Is this the end?” Lt. Col. Sarah Greene asked reporters.",
    "“Enough!” he shouted.",
    "She asked whether the deal was over (was it?) and then left.",
    # ellipses
    "The troops were moved to other sites ... and they would stay there through winter.",
    "The report said the talks … would resume after the holiday.",
    "“We will [...] defend our allies,” he said.",
    "I have... <https://t.co/AbC12x>",
    # URLs and email addresses
    "Read the filing at https://www.example.com/2024/10/report.html before Friday.",
    "Watch the clip pic.twitter.com/Xy12AbC and share it with t.co links.",
    "Details are posted on example.co.uk for anyone interested.",
    # a colon never ends a sentence here
    "So, a nothingburger:",
    "The statement read: Talks will resume.",
    # a dateline and its agency (news corpus: abc7news, wsvn)
    "NAPA COUNTY, Calif. (KGO) -- A plan to bring a resort to the Bay Area is one step closer.",
    "SOUTHWEST MIAMI-DADE, FLA. (WSVN) - An overnight crash left a boy dead.",
]


@pytest.mark.parametrize("text", ONE_SENTENCE)
def test_one_sentence(text: str) -> None:
    check(text, [text])


SPLITS = [
    # an abbreviation that ends the sentence
    (["Most of the cases were in the U.S.", "How many were abroad is unclear."]),
    (["Aid arrived from the U.S.", "The shipments continued for weeks."]),
    (["The storm hit Fresno, Calif.", "Residents were told to stay home."]),
    (["The firm hired Baker & Co.", "They started on Monday."]),
    (["Shares of Acme Inc. fell.", "The company blamed tariffs."]),
    (["The contract went to Acme Inc.", "Sen. Jane Roe criticized the award."]),
    (["The letter was signed by Harry S. Truman.", "He mailed it the next day."]),
    (["The measure was backed by Rep. Adam Schiff (D-Calif.).", "The vote was 220-210."]),
    (["Brokers sold the rest, etc.", "The market closed higher."]),
    # numbers at the end of a sentence
    (["Revenue reached $2.75 million.", "Profit fell."]),
    (["Turnout was 61.2 percent in 2020.", "It rose in 2024."]),
    (["The final tally was 1,204.", "Officials certified it Friday."]),
    (["The tally rose to 3,000.", "2025 will be different."]),
    # times
    (["Polls closed at 8 p.m.", "Turnout was high."]),
    # closing quotes and brackets
    (["He said, “We are ready.”", "Then he left the room."]),
    (["‘We are ready.’", "The coach left."]),
    (["“Why now?”", "The room went quiet."]),
    (["The results were final (or were they?).", "Nobody knew."]),
    (["(The figures are preliminary.)", "Analysts expect revisions."]),
    (["Did they win?", "Yes!"]),
    (["Really?!", "That is news."]),
    (["“Stop!”", "“Never!”", "The shouting went on."]),
    # ellipses
    (["He said the plan was ready...", "Then the phone rang."]),
    # URLs and email addresses
    (["Send tips to news.desk@example.org.", "Replies take a day."]),
    (["The video is at https://t.co/AbC123.", "It has 2 million views."]),
    # inline lists
    (["1. Gather evidence.", "2. Interview witnesses.", "3. Publish."]),
    (["a) tariffs", "b) quotas", "c) subsidies"]),
    (["• Troops moved", "• Talks stalled"]),
    # an agency in brackets after a sentence that is not a dateline
    (["He left.", "(AP) - The wire said so."]),
]


@pytest.mark.parametrize("expected", SPLITS, ids=lambda x: x[0][:30])
def test_splits(expected: list[str]) -> None:
    check(" ".join(expected), expected)


def test_curly_quote_closes_the_sentence_before_a_new_one() -> None:
    text = "Kremlin aides dismissed the reports as “disinformation.” Moscow kept denying any role."
    assert sents(text) == [
        "Kremlin aides dismissed the reports as “disinformation.”",
        "Moscow kept denying any role.",
    ]


def test_numbers_in_parentheses_are_not_list_markers_in_prose() -> None:
    check("The author (born 1945) said he was done.", ["The author (born 1945) said he was done."])
    check("He cited 2 reasons: 1) cost and 2) time.", ["He cited 2 reasons: 1) cost and 2) time."])


def test_newlines_are_whitespace() -> None:
    text = "The U.S. government\nhas confirmed the report.\nIt said\nmore later."
    assert sents(text) == ["The U.S. government\nhas confirmed the report.", "It said\nmore later."]


def test_empty_and_blank_blocks() -> None:
    assert split_sentences("") == []
    assert split_sentences(" \n\t ") == []
    assert split_sentences("abc", 1, 1) == []


def test_trailing_text_without_terminator_is_the_last_sentence() -> None:
    check("The talks ended. More to follow", ["The talks ended.", "More to follow"])


# --------------------------------------------------------------------------- sample articles

SAMPLE_PARAGRAPHS = [
    [
        "This admission contradicts earlier statements by Kremlin officials, including press "
        "secretary Dmitry Peskov, who dismissed reports of North Korean involvement as "
        "“disinformation.”",
        "Moscow had consistently denied that Pyongyang was providing troops or weapons to support "
        "Russian military operations in Ukraine.",
    ],
    [
        "The U.S. government has confirmed that thousands of North Korean troops are currently in "
        "Russia, a development that could signal a dangerous escalation in the ongoing war in "
        "Ukraine.",
        "The presence of these soldiers has raised serious concerns about their potential role in "
        "the conflict.",
        "It has also prompted high-profile figures to call for decisive military action to address "
        "the growing threat.",
    ],
    [
        "In response to these developments, House Intelligence Committee Chair Mike Turner "
        "(R-Ohio) urged the Biden administration to take decisive action.",
        "Turner called for “serious consideration” of direct U.S. military involvement if North "
        "Korean forces enter Ukraine.",
    ],
    [
        "The North Korean soldiers deployed in Russia have been given Russian military uniforms, "
        "weapons and forged identification documents, the NIS said.",
        "It said they are currently staying at military bases in Vladivostok and other Russian "
        "sites ... and that they will likely be deployed to battle grounds after completing their "
        "adaptation training.",
    ],
    [
        "The secretary could not confirm if the troops would participate in the war in Ukraine.",
        "He said, “What, exactly, they’re doing is left to be seen.”",
    ],
    [
        '[#WATCH](#) | Kirby: "Between early to mid-October, North Korea moved at least 3,000 '
        "soldiers into Eastern Russia [...] If North Korean soldiers do enter into combat, this "
        "development would demonstrate Russia's growing desperation in its war against Ukraine.\"",
    ],
    [
        "Undoubtedly, any direct military action against North Korean forces would be an "
        "extremely risky step for the U.S., particularly given North Korea's nuclear capabilities.",
        "Any engagement with a nuclear-armed state could rapidly escalate into a broader, "
        "uncontrollable conflict with devastating global consequences.",
    ],
]


@pytest.mark.parametrize("expected", SAMPLE_PARAGRAPHS, ids=lambda x: x[0][:30])
def test_sample_article_paragraphs(expected: list[str]) -> None:
    check(" ".join(expected), expected)


# --------------------------------------------------------------------------- offsets


def test_offsets_are_absolute_in_a_sub_range() -> None:
    text = "Intro line.\n\nShares of Acme Inc. fell. The company blamed tariffs.\n\nOutro."
    start = text.index("Shares")
    end = text.index("\n\nOutro")
    spans = split_sentences(text, start, end)
    assert [text[s:e] for s, e in spans] == [
        "Shares of Acme Inc. fell.",
        "The company blamed tariffs.",
    ]
    assert spans[0][0] == start


def test_start_and_end_follow_slice_rules() -> None:
    text = "One. Two. Three."
    assert split_sentences(text, -6) == split_sentences(text, len(text) - 6)
    assert split_sentences(text, 0, 100) == split_sentences(text)
    assert split_sentences(text, 5, -7) == [(5, 9)]


def test_a_block_starting_inside_a_word_is_read_on_its_own() -> None:
    text = "xxU.S. How are you?"
    assert split_sentences(text, 2) == [(2, 6), (7, 19)]


# --------------------------------------------------------------------------- implementation


def test_no_regex_is_compiled_per_call(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("regex compiled or looked up at call time")

    for name in ("compile", "match", "search", "fullmatch", "finditer", "findall", "sub", "split"):
        monkeypatch.setattr(re, name, refuse)
    for text in ONE_SENTENCE + [" ".join(x) for x in SPLITS] + ["xxU.S. How are you?"]:
        split_sentences(text)
        split_sentences(text, 2)


def _imports(path: Path) -> set[str]:
    imported: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            imported.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module or "")
    return imported


def test_standard_library_only() -> None:
    splitter = Path(sentences_module.__file__)
    allowed = {
        "__future__",
        "re",
        "annotator.ingest.abbreviations",
        "annotator.ingest.ellipses",
        "annotator.ingest.script_stops",
    }
    assert _imports(splitter) <= allowed
    # what the ellipsis and the scripts' stops decide, split out of the splitter's module,
    # import nothing else
    assert _imports(splitter.with_name("ellipses.py")) <= {"__future__", "re"}
    assert _imports(splitter.with_name("script_stops.py")) <= {"__future__", "re"}


# --------------------------------------------------------------------------- properties

_CHARS = "aAbBeEiIsSuUzZ019 .  ..?!…\"'“”‘’()[]•⁃-:,$%@/\n\t\u00a0"
_TOKENS = [
    "U.S.",
    "Mr.",
    "Inc.",
    "Co.",
    "Calif.",
    "(D-Calif.)",
    "The",
    "How",
    "he",
    "said.",
    "...",
    ". . .",
    ". . . .",
    "“Why?”",
    "“Done.”",
    "1.",
    "2.",
    "1)",
    "2)",
    "a.",
    "b.",
    "•",
    "⁃",
    "p.m.",
    "a.m.",
    "Tuesday",
    "3.5",
    "t.co",
    "x@y.org.",
    "[...]",
    "I.",
    "E.",
    "No.",
    "9",
    "Sen.",
    "etc.",
    "!",
    "?",
    "\n",
    "",
    "Yes!",
]
texts = st.one_of(
    st.text(alphabet=_CHARS, max_size=120),
    st.text(max_size=60),
    st.lists(st.sampled_from(_TOKENS), max_size=30).flatmap(
        lambda toks: st.lists(
            st.sampled_from([" ", "  ", "\n", ""]), min_size=len(toks), max_size=len(toks)
        ).map(lambda seps: "".join(t + s for t, s in zip(toks, seps, strict=True)))
    ),
)


def assert_valid(text: str, spans: list[tuple[int, int]], start: int, end: int) -> None:
    prev = start
    for s, e in spans:
        assert start <= prev <= s < e <= end
        assert text[prev:s].strip() == ""  # nothing but whitespace between sentences
        assert not text[s].isspace()
        assert not text[e - 1].isspace()
        prev = e
    assert text[prev:end].strip() == ""
    assert bool(spans) == bool(text[start:end].strip())


@settings(max_examples=400, deadline=None)
@given(texts)
def test_spans_are_ordered_trimmed_and_cover_all_text(text: str) -> None:
    assert_valid(text, split_sentences(text), 0, len(text))


@settings(max_examples=300, deadline=None)
@given(texts, texts, texts)
def test_a_sub_range_splits_as_if_it_stood_alone(pre: str, block: str, post: str) -> None:
    text = pre + block + post
    start, end = len(pre), len(pre) + len(block)
    spans = split_sentences(text, start, end)
    assert_valid(text, spans, start, end)
    assert spans == [(s + start, e + start) for s, e in split_sentences(block)]


@settings(max_examples=200, deadline=None)
@given(texts, st.data())
def test_any_start_and_end(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    spans = split_sentences(text, start, end)
    assert_valid(text, spans, start, end)
    assert split_sentences(text, start, end) == spans  # deterministic
