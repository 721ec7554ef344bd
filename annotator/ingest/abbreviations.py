"""Word lists for the sentence splitter (`annotator.ingest.sentences`).

Only the splitter reads these. Each set answers one question about the word just before a
period ("Mr", "U.S", "Calif") or just after it ("The", "Tuesday"). Entries are written
without the final period and matched case-sensitively, so "Ill" (Illinois) is an
abbreviation and "ill" ("he fell ill.") is an ordinary word.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _cased(text: str) -> frozenset[str]:
    """Each word as written, Capitalised and in upper case ("co" -> co, Co, CO)."""
    out: set[str] = set()
    for w in text.split():
        out.update((w, w[:1].upper() + w[1:], w.upper()))
    return frozenset(out)


# Titles and other words that always precede a name or a number: a period after them never
# ends a sentence ("Sen. Warren", "Gen. Milley", "Mt. Fuji", "e.g. Germany", "Roe vs. Wade").
PREPOSITIVE: frozenset[str] = _words(
    """Mr Mrs Ms Mx Messrs Mmes Dr Drs Prof Profs Gov Govs Sen Sens Rep Reps Gen Gens Lt Col
    Cols Sgt Capt Maj Adm Cmdr Cpl Pvt Pfc Spc Brig Rev Revs Hon Rt Fr Msgr Pres Supt Det Insp
    Atty Amb Sec Asst Assoc Mt Ft Mssrs"""
) | _cased("e.g i.e vs viz cf approx incl esp")

# A period after these ends a sentence only when the next word usually starts one
# ("Briggs & Co. It closed" vs "Apple Inc. CEO Tim Cook"), and never before a number
# ("No. 3", "Jan. 5", "p. 55", "et al. 2019"). Single letters and dotted forms such as
# "U.S", "J.K" or "Ph.D" are treated the same way without being listed. Measures ("ft",
# "in", "mi") are here for "6 ft. 2 in. tall"; a lowercase word after them keeps the
# sentence going anyway.
_COMPANY_AND_MISC = _cased(
    """inc corp co cos ltd plc bros jr sr esq ret st ave blvd rd hwy apt ste rm bldg dept univ
    assn govt natl intl mfg al etc no nos vol vols pp fig figs art arts ch chap sect secs para
    pt pts op ed eds ext tel est ca min max sq ft lb lbs oz in mi km"""
)
# Words that end a name ("Acme Inc.", "John Smith Jr."): a title right after them starts
# another name, so the period ended the sentence ("... at Acme Inc. Sen. Warren said").
NAME_ENDINGS: frozenset[str] = _cased("inc corp co cos ltd plc bros jr sr esq")
MONTHS_SHORT: frozenset[str] = _words("Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec")
# A day written as an ordinal before its month, "am 12. März", "zum 1. Januar": German (and
# Luxembourgish) write the day with a full stop and the month, a noun, capitalised, so "a
# number, a full stop, a capitalised word" is no sentence end there. These are the names
# (and short forms) English does not write: the rule holds in any article, so an article
# cut at its dates is still long enough for its language to be detected. The names English
# shares ("12. April", "9. November") are joined in German articles only, once their
# language is known (ingest/ordinals.py).
ORDINAL_MONTHS: frozenset[str] = _words(
    """Januar Jänner Februar Feber März Mai Juni Juli Oktober Dezember Jän Mrz Okt Dez Mäerz
    Abrëll Mee"""
)
# AP-style state abbreviations (two-letter postal codes carry no period). They follow a city
# ("Tampa, Fla.") or sit in a party tag ("R-Fla."), so a capitalised word after one starts a
# new sentence unless it is a title ("Calif. Gov. Gavin Newsom"). "Del." is left out of this
# rule: it is also a title (a delegate, "Del. Danica Roem").
STATES: frozenset[str] = _words(
    """Ala Ariz Ark Calif Colo Conn Fla Ga Ill Ind Kan Kans Ky La Md Mass Mich Minn Miss Mo
    Mont Neb Nebr Nev Okla Ore Oreg Pa Penn Tenn Tex Vt Va Wash Wis Wisc Wyo"""
)
# German abbreviations: never a sentence end before a number ("Nr. 5", "am Di. 12. Mai",
# "Abs. 2") and, before a capitalised word, only when it is one of GERMAN_STARTERS ("5 Mio.
# Euro" goes on, "... 2 Mio. Die Stadt" ends): German capitalises every noun, so "usually
# starts a sentence" needs its own words. None of them is an English word with a capital
# and a period. ("Fr." is PREPOSITIVE already, "Mo." a state.)
GERMAN: frozenset[str] = _words("Nr Nrn Mio Mrd Tsd Di Mi Do Sa So Jh Jhd Str Abs Bd Hrsg")
GERMAN_STARTERS: frozenset[str] = _words(
    """Der Die Das Den Dem Des Ein Eine Einer Eines Er Sie Es Wir Ich Ihr Man Dies Diese
    Dieser Dieses Im Am Auch Aber Doch Dann Damit Denn Nach Bei Mit Für Laut Zudem Außerdem
    Allerdings Jedoch Trotzdem Deshalb Daher Nun Heute Gestern Wie Was Wer Wo Warum Als
    Wenn Ob Noch Nicht Kein Keine Zum Zur Vor Seit"""
)

AMBIGUOUS: frozenset[str] = (
    _COMPANY_AND_MISC
    | MONTHS_SHORT
    | STATES
    # German short months: "12. Okt. 2020" goes on at its year
    | frozenset({"Del", "N°", "Nº", "Jän", "Mrz", "Okt", "Dez"})
    | GERMAN
)

# a.m. and p.m.: a sentence ends after them unless the next word is part of the time.
TIMES: frozenset[str] = frozenset({"a.m", "p.m", "A.M", "P.M"})
TIME_FOLLOWERS: frozenset[str] = _words(
    """Monday Tuesday Wednesday Thursday Friday Saturday Sunday Mon Tue Tues Wed Thu Thur
    Thurs Fri Sat Sun January February March April May June July August September October
    November December Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec ET EST EDT CT CST CDT
    MT MST MDT PT PST PDT GMT UTC BST CET CEST EET AEST AEDT IST JST KST HKT Eastern Central
    Mountain Pacific Atlantic Greenwich Zulu"""
)

# Words that typically begin an English sentence. After an ambiguous abbreviation
# ("U.S", "Co", "Jr", an initial) a capitalised word from this list means a new sentence
# ("I live in the U.S. How about you?"); any other capitalised word is read as part of a
# name ("the U.S. Government", "John F. Kennedy", "Apple Inc. CEO"). Leave out words that
# often follow those abbreviations inside a name: months ("May"), "New", "First", "Open".
SENTENCE_STARTERS: frozenset[str] = _words(
    """I He She It We They You This That These Those There Here Its His Her Their Our My Your
    Who Whom Whose What When Where Why How Which Whether Whatever Whoever Wherever
    The A An Some Many Most Much Several Few All Both Each Every Either Neither Any Such
    Another Other Others One Two Three No None Nobody Nothing Everyone Everything Someone
    Something More Less
    And But Or Nor So Yet For However Still Also Meanwhile Moreover Furthermore Instead Then
    Now Thus Therefore Hence Indeed Although Though While Whereas If Unless Because Since As
    After Before Once Until Even Just Only Already Nevertheless Nonetheless Otherwise
    Regardless Similarly Likewise Additionally Ultimately Finally Eventually Currently
    Recently Previously Later Earlier Today Yesterday Tomorrow Tonight Last Next Perhaps
    Maybe Clearly Obviously Of In On At By With Without From To Into During Under Over Among
    Between Despite Against Through Throughout Amid Following According Unlike Like Not
    Please Yes Is Are Was Were Be Been Do Does Did Can Could Will Would Shall Should Might
    Must Has Have Had Let Didn Don Doesn Isn Aren Wasn Weren Won"""
)
