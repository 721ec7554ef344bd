"""Segment kinds on real news (../shared/news_corpus): every class of fault found by reading
every segment of the corpus is pinned here with a page that shows it (file and expected
segments), beside a sentence that must stay what it is."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.ingest import bylines, page_dumps
from annotator.ingest import furniture as fx
from annotator.ingest.articles import read_articles
from annotator.ingest.sentences import split_sentences
from tests.conftest import SHARED

CORPUS = SHARED / "news_corpus"
pytestmark = pytest.mark.skipif(
    not (CORPUS / "txt").is_dir(), reason="../shared/news_corpus is not present"
)


def segments(path: Path) -> list[tuple[str, str]]:
    (art,) = read_articles(path, with_readability=False)
    return [(s.kind, s.text) for s in art.sentences]


def around(segs: list[tuple[str, str]], text: str, before: int, n: int) -> list[tuple[str, str]]:
    i = next(i for i, (_k, t) in enumerate(segs) if t == text)
    return segs[i - before : i - before + n]


def of_text(tmp_path: Path, text: str) -> list[tuple[str, str]]:
    f = tmp_path / "a.txt"
    f.write_text(text, encoding="utf-8")
    return segments(f)


@pytest.mark.parametrize(
    "name", ["txt/tribune242.com-gunned.txt", "md/tribune242.com-gunned--md.md"]
)
def test_the_reporters_role_and_address_are_byline_not_title_or_lede(name: str) -> None:
    segs = segments(CORPUS / name)
    assert around(segs, "Tribune Staff Reporter", 1, 4) == [
        ("byline", "By EARYEL BOWLEG"),
        ("byline", "Tribune Staff Reporter"),  # was the title (md), glued to the lede (txt)
        ("byline", "ebowleg@tribunemedia.net"),
        ("body", "TWO men were killed in separate incidents just hours apart yesterday."),
    ]
    assert not any(k == "title" for k, _t in segs)


@pytest.mark.parametrize(
    "name", ["txt/xinhuanet.com.c_1125597921.txt", "md/xinhuanet.com.c_1125597921--md.md"]
)
def test_a_caption_and_its_credit_are_two_segments(name: str) -> None:
    segs = segments(CORPUS / name)
    caption = (
        "2月17日，在武汉血液中心的中国医学科学院CPnCoV项目组，"
        "康复病人、来自汉口医院的护士蔡桃英在献血浆时拍照留念。"
    )
    assert around(segs, caption, 0, 3) == [
        ("media", caption),
        ("credit", "新华社记者 才扬 摄"),
        ("body", "那些不断证伪的谣言与不幸“坐实”的传言，也让人疲于招架。"),
    ]
    # the English caption line under the Tribune's photo: caption, then credit
    tribune = segments(CORPUS / "txt" / "tribune242.com-gunned.txt")
    assert tribune[1:3] == [
        (
            "media",
            "Bodies being taken away from the scenes in Baillou Hill Road, left, and the Joe "
            "Farrington Road area.",
        ),
        ("credit", "Photos: Donavan McIntosh and Earyel Bowleg/Tribune Staff"),
    ]


def test_related_headlines_are_furniture_with_or_without_a_heading() -> None:
    # txt: "- MORE SIXERS" and three headlines, between two bullets of the article
    txt = segments(CORPUS / "txt" / "phillyvoice.com-Sixers.txt")
    assert around(txt, "MORE SIXERS", 0, 5) == [
        ("furniture", "MORE SIXERS"),
        ("furniture", "Six Sixers takeaways after six games"),
        ("furniture", "Sixers game notes: Joel Embiid dominates in win over Wizards"),
        ("furniture", "Trade grades roundup: How did the Sixers fare in the James Harden deal?"),
        (
            "list_item",
            "Tyrese Maxey was able to get going in the second quarter, scoring a dozen in the "
            "period, including two triples.",
        ),
    ]
    # md: links to other stories, with no heading over them: a label before, a date after
    bbc = segments(CORPUS / "md" / "bbc.com.52241221--md.md")
    assert ("furniture", "AVOIDING CONTACT: The rules on self-isolation and exercise") in bbc
    globe = segments(CORPUS / "md" / "californiaglobe.com.amazon--md.md")
    teaser = (
        "furniture",
        "Gavin’s Choice: The Leading Candidates To Replace Senator Harris - October 10, 2020",
    )
    assert teaser in globe and teaser in segments(CORPUS / "txt" / "californiaglobe.com.amazon.txt")
    # crude: the box under "Suggested articles" (headline, teaser sentence, date) to its end
    crude = segments(CORPUS / "crude" / "threatpost.com.android.bs4.txt")
    box = around(crude, "Suggested articles", 0, 5)
    assert [k for k, _t in box] == ["furniture"] * 5
    assert box[2][1].startswith("Security researchers worry that this weekend’s")
    assert box[3][1] == "August 21, 2019"
    # the bullets of the article itself stay list items
    assert sum(k == "list_item" for k, _t in txt) > 30


def test_ad_widgets_and_teaser_links_of_the_markdown_extraction_are_furniture() -> None:
    segs = segments(CORPUS / "md" / "phillyvoice.com-Sixers--md.md")
    assert segs[:2] == [
        (
            "furniture",
            "Cherelle Parker wins to becomes Philly's 100th mayor and first woman to lead city",
        ),
        (
            "furniture",
            "These legendary wild horses have been roaming the beaches of Corolla Outer Banks "
            "for over 400 years",
        ),
    ]
    # "# Visit Harford County this fall![Limited - ...](...jpg)": a heading holding an image
    cards = [t for k, t in segs[3:8] if k == "furniture"]
    assert len(cards) == 5 and cards[1].startswith("Visit Harford County this fall")
    assert not any(k in ("title", "heading") for k, _t in segs[:8])
    assert ("heading", "Joel Embiid and Krisapts Porzingis jump center") in segs


def test_a_bullet_opening_an_item_of_several_sentences_is_markup() -> None:
    segs = segments(CORPUS / "txt" / "phillyvoice.com-Sixers.txt")
    assert (
        "list_item",
        "Tobias Harris was solid offensively in the first half — particularly as a passer — as "
        "usual.",
    ) in segs
    assert not any(t.startswith("•") for _k, t in segs)


def test_an_inline_bullet_list_keeps_its_markers(tmp_path: Path) -> None:
    # Golden Rule 37: "• 9. The first item • 10. The second item", as pySBD expects it
    assert of_text(tmp_path, "• 9. The first item • 10. The second item\n") == [
        ("list_item", "• 9. The first item"),
        ("list_item", "• 10. The second item"),
    ]


def test_headlines_in_a_one_line_per_paragraph_extraction_are_headings() -> None:
    segs = segments(CORPUS / "txt" / "edition.cnn.com-royal.txt")
    assert ("heading", "Meghan had suicidal thoughts") in segs
    assert ("heading", "Their lives today") in segs
    assert segments(CORPUS / "txt" / "bbc.com.52241221.txt")[0] == (
        "title",
        "Coronavirus: New York ramps up mass burials amid outbreak",
    )
    gleaner = segments(CORPUS / "txt" / "jamaica.gleaner.com-victims.txt")
    assert gleaner[0] == ("title", "Update | Deceased Clarendon crash victims identified")


def test_a_line_of_text_between_sentences_stays_prose(tmp_path: Path) -> None:
    # attack: a line without final punctuation inside prose, a question on its own line,
    # a lowercase continuation: no heading is made of them
    segs = of_text(
        tmp_path,
        "The council met on Monday.\nWhy did it vote no?\nNobody knows the answer\n"
        "yet, officials said.\n",
    )
    assert segs == [
        ("body", "The council met on Monday."),
        ("body", "Why did it vote no?"),
        ("body", "Nobody knows the answer\nyet, officials said."),
    ]


def test_a_sentence_the_markdown_extractor_cut_at_links_is_one_segment() -> None:
    segs = segments(CORPUS / "md" / "edition.cnn.com-royal--md.md")
    assert (
        "body",
        "How to get help: In the US, call the National Suicide Prevention Lifeline at "
        "1-800-273-8255.",
    ) in segs
    atlantic = segments(CORPUS / "md" / "theatlantic.com.disasters--md.md")
    assert any(t.startswith("She is the author of Short Circuiting Policy:") for _k, t in atlantic)
    # a headline over a lede that lost its first letter ("urkey, Poland") is not joined to it
    standard = segments(CORPUS / "md" / "standard.co.uk.caribbean--md.md")
    assert any(t.startswith("urkey, Poland") for k, t in standard if k == "body")


@pytest.mark.parametrize(
    "name,furniture",
    [
        (
            "txt/tribune242.com-gunned.txt",
            [
                "Comments",
                "Use the comment form below to begin a discussion about this content.",
                "Sign in to comment",
                "Or login with:",
                "OpenID",
            ],
        ),
        (
            "md/independent.co.uk.penalty--md.md",
            [
                "Show all 50",
                "Subscribe to Independent Premium to bookmark this article",
                "Start your Independent Premium subscription today.",
                "Delete Comment",
            ],
        ),
        (
            "txt/theatlantic.com.disasters.txt",
            ["Read: Two disasters are exponentially worse than one"],
        ),
        (
            "txt/economist.com.thinking.txt",
            ["Copyright © 2018 by Thomas W. Malone.", "All rights reserved."],
        ),
        (
            "txt/corkbeo.ie.level.txt",
            [
                "Never miss the latest news by signing up to our newsletter today!",
                "You can contact CorkBeo on Facebook, Twitter, Instagram, or email news@corkbeo.ie",
            ],
        ),
        (
            "txt/kaieteurnewsonline.com-essequibo.txt",
            ["Kaieteur News – May our workers be inspired never to...\xa0more"],
        ),
        ("txt/laweekly.com-Cultivation.txt", ["IG: @alexandriadouziech"]),
        ("txt/dw.com-elephants.txt", ["Audios et vidéos sur le sujet"]),
        ("txt/abc7news.com-Napa.txt", ["If you're on the ABC7 News app, click here to watch live"]),
    ],
)
def test_page_furniture_of_real_sites_is_furniture(name: str, furniture: list[str]) -> None:
    segs = segments(CORPUS / name)
    for text in furniture:
        assert ("furniture", text) in segs, text


def test_byline_lines_and_credits_of_real_sites() -> None:
    reuters = segments(CORPUS / "txt" / "reuters.com.parasite.txt")
    assert (
        "byline",
        "Additional reporting by Steve Gorman; Editing by Marguerita Choy, Nick Zieminski and "
        "Simon Cameron-Moore",
    ) in reuters
    assert ("byline", "Auteur : Kossivi Tiassou") in segments(
        CORPUS / "txt" / "dw.com-elephants.txt"
    )
    assert ("credit", "(Photo: Twitter)") in segments(
        CORPUS / "txt" / "californiaglobe.com.amazon.txt"
    )
    assert ("credit", "Courtesy Louvre") in segments(CORPUS / "md" / "observer.com-LVMH--md.md")
    assert ("byline", "November 08, 2023") in segments(
        CORPUS / "txt" / "phillyvoice.com-Sixers.txt"
    )
    # initials signing off at the end of the last sentence's line; a Chinese byline
    nation = segments(CORPUS / "txt" / "nationnews.com-schools.txt")
    assert ("byline", "(BA)") in nation and ("credit", "(Picture by Jameel Springer)") in nation
    zh = segments(CORPUS / "txt" / "xinhuanet.com.c_1125597921.txt")
    assert zh[-1] == ("byline", "（评论员 罗博 萧海川）")


def test_a_headline_over_a_media_link_is_a_heading() -> None:
    segs = segments(CORPUS / "txt" / "corkbeo.ie.level.txt")
    line = "Another Cork favourite preparing to shut up shop for the next three weeks"
    assert around(segs, line, 0, 2) == [
        ("heading", line),
        ("media", "https://www.facebook.com/DwyersOfCork/posts/2800731780195723"),
    ]


@pytest.mark.parametrize(
    "line",
    [
        "Subscribers grew by 20 percent last year, the company said.",
        "Copyright infringement cases rose sharply.",
        "More than 200 people attended.",
        "She joined the company in 2010 and never missed a day.",
        "The comments drew criticism from both parties.",
        "Mallow Swimming Pool - closed 'until further notice' after midnight",
        "Sur le même sujet, le ministre n’a rien dit.",
    ],
)
def test_sentences_that_merely_use_furniture_words_stay_what_they_are(line: str) -> None:
    assert not fx.is_furniture(line)
    assert not fx.is_credit(line)
    assert not bylines.is_byline_line(line)


def test_the_comment_section_is_furniture_to_its_end() -> None:
    segs = segments(CORPUS / "txt" / "jamaicaobserver.com-attacks.txt")
    rules = around(segs, "HOUSE RULES", 0, 3)
    assert rules == [
        ("furniture", "HOUSE RULES"),
        ("furniture", "We welcome reader comments on the top stories of the day."),
        (
            "furniture",
            "Some comments may be republished on the website or in the newspaper; email "
            "addresses will not be published.",
        ),
    ]
    i = segs.index(rules[0])
    assert all(k == "furniture" for k, _t in segs[i:])
    assert sum(k == "body" for k, _t in segs[:i]) > 5  # the article before it stays body
    # the blog platform's comment form, after "Leave a Reply"
    crude = segments(CORPUS / "crude" / "kaieteurnewsonline.com-essequibo.bs4.txt")
    assert ("furniture", "Notify me of follow-up comments by email.") in crude
    assert (
        "furniture",
        "Save my name, email, and website in this browser for the next time I comment.",
    ) in crude


def test_a_comments_counter_near_the_headline_does_not_end_the_article() -> None:
    # breakingbelizenews (crude): "Views:" and "Comments" sit over the article
    segs = segments(CORPUS / "crude" / "breakingbelizenews.com-paho.bs4.txt")
    i = segs.index(("furniture", "Comments"))
    # (4 of the body segments after it counted here before were the repeated newsletter
    # pitch "GET ON THE LIST!" / "Join BBN mailing list ...": furniture now, teaser_repeats)
    assert sum(k == "body" for k, _t in segs[i:]) > 5
    assert ("furniture", "Join BBN mailing list for the latest news on Belize!") in segs[i:]


def test_a_box_heading_whose_entries_were_dropped_does_not_swallow_the_article() -> None:
    # "Related" / "Most Read" left by the extractor without their entries, then prose
    sun = segments(CORPUS / "txt" / "vancouversun.com.microsoft.txt")
    assert around(sun, "Related", 0, 2)[1][0] == "body"
    intercept = segments(CORPUS / "txt" / "theintercept.com-Gaza.txt")
    assert around(intercept, "Most Read", 0, 3) == [
        ("furniture", "Most Read"),
        ("heading", "Cancer Patients"),
        (
            "body",
            "There are more than 10,000 cancer patients in the Gaza Strip, said Skaik, of the "
            "Turkish Friendship Hospital.",
        ),
    ]


def test_a_link_to_the_authors_page_is_the_byline() -> None:
    segs = segments(CORPUS / "html" / "newsday.co.tt-forex.html")
    assert segs[1:4] == [
        ("heading", "Forex motion defeated in Senate"),
        # the featured picture's caption, where the page has it (html_figures.py)
        ("media", "Amrita Deonarine -"),
        ("byline", "Clint Chan Tack"),
    ]


def test_a_long_line_that_lost_its_full_stop_ends_its_segment() -> None:
    segs = segments(CORPUS / "txt" / "vice.com.amazon.txt")
    fire = [t for _k, t in segs if t.startswith("Fire season in the Amazon")]
    assert len(fire) == 1 and fire[0].endswith("it can be seen from space")
    assert around(segs, fire[0], 0, 2)[1] == (
        "body",
        "Last week, NASA released satellite images showing the patchwork of fires and smoke in "
        "Brazil.",
    )
    # and the crude scraper's breaks at links still join (a function word, a lowercase line)
    politico = segments(CORPUS / "crude" / "politico.com.retirement.bs4.txt")
    assert any(
        "a decision he disclosed in\nan interview with POLITICO Playbook" in t for _k, t in politico
    )


def test_an_empty_bullet_of_share_icons_is_furniture() -> None:
    # "*   * " under "Share this article:" (html2text): found judging the 'fresh' sample
    segs = segments(CORPUS / "crude" / "threatpost.com.android.h2t.md")
    share = around(segs, "Share this article:", 0, 3)
    assert share[1:] == [("furniture", "*"), ("body", share[2][1])]
    assert not any(k == "list_item" and not any(c.isalnum() for c in t) for k, t in segs)


def test_a_menu_heading_at_the_top_of_a_page_dump_does_not_swallow_the_headline() -> None:
    # corkbeo (crude): "Latest News" opens the site menu, long before the article begins
    segs = segments(CORPUS / "crude" / "corkbeo.ie.level.bs4.txt")
    headline = "Level 3 LIVE from Cork as Ireland adapts to incoming coronavirus restrictions"
    assert ("heading", headline) in segs
    assert (
        "body",
        "The country avoided Level 5 last night, but NPHET have warned it may be down the line",
    ) in segs


def test_a_markdown_title_loses_its_marker_and_a_post_with_its_link_is_not_a_heading() -> None:
    md = CORPUS / "md" / "nationnews.com-schools--md.md"
    (art,) = read_articles(md, with_readability=False)
    assert art.title == "Schools ‘safe’ amidst surge"
    assert ("title", "Schools ‘safe’ amidst surge") in segments(md)
    verge = segments(CORPUS / "md" / "theverge.com.ios13--md.md")
    post = [kt for kt in verge if kt[1].startswith("Notice the warping of the line")]
    assert post and post[0][0] == "body"


def test_an_archive_list_run_together_on_one_line_is_furniture() -> None:
    segs = segments(CORPUS / "crude" / "breakingbelizenews.com-paho.h2t.md")
    archive = [(k, t) for k, t in segs if t.startswith("Archives Select Month April 2022")]
    assert len(archive) == 1 and archive[0][0] == "furniture" and len(archive[0][1]) > 1000
    assert max(len(t) for k, t in segs if k == "body") <= 1000


def test_top_stories_box_is_furniture() -> None:
    segs = segments(CORPUS / "crude" / "abc13.com-Copperfield.bs4.txt")
    box = around(segs, "Top Stories", 0, 3)
    assert box == [
        ("furniture", "Top Stories"),
        ("furniture", "Trucker among several who escaped massive explosion at Shepherd plant"),
        ("furniture", "It's time to reunite with your umbrella as messy cold front approaches"),
    ]


@pytest.mark.parametrize(
    "name",
    [
        "txt/edition.cnn.com-royal.txt",
        "md/edition.cnn.com-royal--md.md",
        "html/edition.cnn.com-royal.html",
    ],
)
def test_a_newsletter_pitch_over_160_characters_beside_its_call_to_action(name: str) -> None:
    segs = segments(CORPUS / name)
    pitch = [kt for kt in segs if kt[1].startswith("CNN will soon launch Royal News")]
    assert len(pitch) == 1 and pitch[0][0] == "furniture" and len(pitch[0][1]) > 160
    assert around(segs, pitch[0][1], 1, 3)[:2] == [
        ("body", "CNN has reached out to the royal family for comment."),
        pitch[0],
    ]
    # "Sign up here." ("[Sign up here](...)." in the markdown)
    assert around(segs, pitch[0][1], 0, 2)[1][0] == "furniture"


def test_news_about_newsletters_and_subscribers_stays_body(tmp_path: Path) -> None:
    # attack: pitch words in news, with no call to action beside them or in quotes beside one
    assert of_text(
        tmp_path,
        "The newsletter now has 2 million subscribers, the company said.\n"
        "Its premium tier costs $5 a month.\n\n"
        "Advertisement\n\n"
        '"Subscribe to nothing you cannot cancel," she told readers.\n\n'
        "Sign up for our newsletter\n",
    ) == [
        ("body", "The newsletter now has 2 million subscribers, the company said."),
        ("body", "Its premium tier costs $5 a month."),
        ("furniture", "Advertisement"),
        ("body", '"Subscribe to nothing you cannot cancel," she told readers.'),
        ("furniture", "Sign up for our newsletter"),
    ]


@pytest.mark.parametrize(
    "name",
    [
        "txt/haitiantimes.com-family.txt",
        "md/haitiantimes.com-family--md.md",
        "html/haitiantimes.com-family.html",
        "crude/haitiantimes.com-family.h2t.md",
    ],
)
def test_the_paywalls_perks_are_furniture_and_the_article_before_it_body(name: str) -> None:
    segs = segments(CORPUS / name)
    i = next(i for i, (_k, t) in enumerate(segs) if t.startswith("To view the full story"))
    pitch = segs[i:]
    assert any(t.startswith("When you join The Haitian Times family") for _k, t in pitch)
    assert any(t.startswith("First-time subscribers also receive") for _k, t in pitch)
    # the box ends with its log-in line
    end = 1 + next(j for j, (_k, t) in enumerate(pitch) if "already a subscriber" in t)
    assert [k for k, _t in pitch[:end]] == ["furniture"] * end
    before = [k for k, t in segs[:i] if "Etienne said" in t or t.startswith("Mekhi’s older")]
    assert before == ["body", "body"]


def test_prose_between_two_ads_or_beside_one_call_stays_body(tmp_path: Path) -> None:
    # attack: sentences that speak to the reader between two ads; news between a call to
    # action and an ad
    segs = of_text(
        tmp_path,
        "Advertisement\n\nYou can see why the council was angry.\n\n"
        "Your rates will rise, the mayor said.\n\nSponsored\n\n"
        "Sign up for our newsletter\n\nThe council voted on Monday.\n\nAdvertising\n",
    )
    assert [k for k, _t in segs] == [
        "furniture",
        "body",
        "body",
        "furniture",
        "furniture",
        "body",
        "furniture",
    ]


@pytest.mark.parametrize(
    "name",
    [
        "txt/kaieteurnewsonline.com-essequibo.txt",
        "md/kaieteurnewsonline.com-essequibo--md.md",
        "html/kaieteurnewsonline.com-essequibo.html",
    ],
)
def test_the_letters_pages_contact_rules_are_furniture(name: str) -> None:
    segs = segments(CORPUS / name)
    for text in (
        "If the letter/e-mail you sent was not published, and you believe that its contents "
        "were not libellous, let us know, please contact us by phone or email.",
        "Feel free to send us your comments and/or criticisms.",
        "Contact: 624-6456; 225-8452; 225-8458; 225-8463; 225-8465; 225-8473 or 225-8491.",
    ):
        assert ("furniture", text) in segs, text


@pytest.mark.parametrize(
    "line",
    [
        '"If you saw anything, please contact us by phone," the sergeant said.',
        "Police asked residents to send us photos of the flooding.",
        "Editor’s note: This story was updated to correct the date of the hearing.",
        "Related to the case, police said two men were held.",
        "Contact between the two sides broke down in May.",
        "Follow-up talks are set for June.",
        "Search teams found the boat on Monday.",
        "Keywords matter less than they did, the study found.",
    ],
)
def test_appeals_notes_and_contact_in_news_are_not_furniture(line: str) -> None:
    assert not fx.is_furniture(line)


def test_an_editors_note_about_the_advertising_disclaimer_is_furniture() -> None:
    segs = segments(CORPUS / "txt" / "laweekly.com-Cultivation.txt")
    note = (
        "/Editor’s note: The disclaimer below refers to advertising posts and does not apply "
        "to this or any other editorial stories."
    )
    # it was glued to the heading above it as one body segment
    assert around(segs, note, 1, 2) == [
        ("heading", "Alexandria Douziech: Retracing Narratives"),
        ("furniture", note),
    ]
    assert ("furniture", note) in segments(CORPUS / "md" / "laweekly.com-Cultivation--md.md")


@pytest.mark.parametrize(
    "name",
    [
        "txt/caymancompass.com-prison.txt",
        "md/caymancompass.com-prison--md.md",
        "html/caymancompass.com-prison.html",
    ],
)
def test_a_page_on_one_line_keeps_its_lede_and_loses_its_boxes(name: str) -> None:
    segs = segments(CORPUS / name)
    assert [k for k, _t in segs] == ["furniture", "body", "furniture", "furniture"]
    assert segs[0][1].endswith("Share Facebook Twitter WhatsApp Email Telegram")
    assert segs[1][1].startswith("A senior prison official has said in a sworn affidavit")
    assert segs[2][1].startswith("Related Videos Related articles")
    assert segs[3][1].startswith("Unprecedented secret hearing")  # glued headlines and dates


def test_long_sentences_with_dates_or_a_share_verb_stay_body() -> None:
    # attack: the page-dump rules on sentences of real prose
    dated = (
        "The hearings, first set for April 28, 2022, were moved twice, and the court finally "
        "sat on May 3, 2022, after lawyers for both sides asked for more time to prepare "
        "their cases and the judge agreed."
    )
    assert not page_dumps.is_dump_fragment(dated)
    shared = (
        "Users can share Facebook posts and Twitter threads through the new WhatsApp "
        "feature, which the company announced on Monday along with a long list of changes "
        "to its privacy rules."
    )
    assert page_dumps.share_row_end(shared) == 0


@pytest.mark.parametrize(
    "name",
    [
        "txt/guardian.co.tt-massy.txt",
        "md/guardian.co.tt-massy--md.md",
        "html/guardian.co.tt-massy.html",
    ],
)
def test_names_in_capitals_are_the_byline_and_the_photographers_credit(name: str) -> None:
    segs = segments(CORPUS / name)
    assert segs[:2] == [
        ("byline", "PETER CHRISTOPHER"),  # was the title or a heading
        ("byline", "peter.christopher@guardian.co.tt"),
    ]
    assert around(segs, "NICOLE DRAYTON", 1, 3) == [
        (
            # the page marks the caption (html_captions.py); the text alone does not
            "media" if name.startswith("html/") else "body",
            "Staff at Massy Stores Westmoorings wait outside the supermarket during its closure "
            "because of a cyber attack yesterday, even as customers approach the store to do "
            "business.",
        ),
        ("credit", "NICOLE DRAYTON"),
        ("body", "However, he noted that cyber-attacks had been on the rise in the region."),
    ]


def test_a_byline_broken_after_by_is_one_byline() -> None:
    crude = segments(CORPUS / "crude" / "politico.com.retirement.bs4.txt")
    assert ("byline", "ALLY MUTNICK") in crude
    i = crude.index(("byline", "ALLY MUTNICK"))
    assert crude[i - 1] == ("byline", "By")


def test_headings_in_capitals_stay_headings(tmp_path: Path) -> None:
    # attack: section headings in capitals between paragraphs are not names
    segs = of_text(
        tmp_path,
        "The council met on Monday.\n\nTHE BACKLASH\n\nResidents were angry.\n\n"
        "WHAT HAPPENS NEXT\n\nA vote is due in May.\n",
    )
    assert ("heading", "THE BACKLASH") in segs and ("heading", "WHAT HAPPENS NEXT") in segs


def test_a_site_menu_at_the_top_of_a_page_dump_is_furniture() -> None:
    segs = segments(CORPUS / "crude" / "breakingbelizenews.com-paho.bs4.txt")
    menu = segs[1:30]  # "Agriculture", "Banking", ... and the contact box's address
    assert [k for k, _t in menu] == ["furniture"] * 2 + ["byline"] + ["furniture"] * 26
    economist = segments(CORPUS / "crude" / "economist.com.thinking.bs4.txt")
    assert ("furniture", "The world this week") in economist
    # the article under the menu stays what it was
    assert ("body", "But what we found was much more interesting.") in economist
    assert not any(k == "heading" for k, _t in economist[1:25])


def test_short_headings_over_prose_and_short_list_items_are_not_a_menu(tmp_path: Path) -> None:
    # attack: a list of short items after one furniture line; headings each over prose
    segs = of_text(
        tmp_path,
        "You will need:\n\n- Flour\n- Eggs\n- Milk\n- Butter\n\nAdvertisement\n\n"
        "Local pubs\n\nThe pubs will close at 10.\n\nBus services\n\nBuses will run.\n",
    )
    assert [k for k, _t in segs if _t in ("Flour", "Eggs", "Milk", "Butter")] == ["list_item"] * 4
    assert ("heading", "Local pubs") in segs and ("heading", "Bus services") in segs


@pytest.mark.parametrize("name", ["txt/dw.com.colonial.txt", "md/dw.com.colonial--md.md"])
def test_the_metadata_list_under_an_article_is_byline_and_furniture(name: str) -> None:
    segs = segments(CORPUS / name)
    assert ("byline", "Date 19.01.2020") in segs
    assert ("byline", "Author Ben Knight") in segs
    for text in (
        "Keywords Berlin, colonialism, German Reich, Africa, Wedding",
        "Send us your feedback.",
        "Print Print this page",
    ):
        assert ("furniture", text) in segs, text
    assert not any(k == "list_item" and t.startswith(("Date ", "Author ")) for k, t in segs)


def test_ad_cards_and_contact_items_in_a_list_are_furniture() -> None:
    philly = segments(CORPUS / "txt" / "phillyvoice.com-Sixers.txt")
    assert philly[1] == (
        "furniture",
        "Limited - Visit Harford - We Need More Trees Visit Harford County this fall",
    )
    belize = segments(CORPUS / "txt" / "breakingbelizenews.com-paho.txt")
    assert belize[:3] == [
        ("furniture", "Submit News"),
        ("furniture", "501-666-6726"),
        ("furniture", "news@breakingbelizenews.com"),
    ]


def test_an_embedded_posts_signature_with_an_escaped_handle_is_the_embed() -> None:
    segs = segments(CORPUS / "md" / "timesofisrael.com.washington--md.md")
    # the markdown escape is gone: the handle reads as the reader sees it
    assert ("embed", "— Seth Goldstein (@Rabbi_360) January 7, 2020") in segs


@pytest.mark.parametrize(
    "name", ["md/vancouversun.com.microsoft--md.md", "md/independent.co.uk.penalty--md.md"]
)
def test_a_comments_heading_in_markdown_opens_the_comment_section(name: str) -> None:
    segs = segments(CORPUS / name)
    i = segs.index(("furniture", "Comments"))
    assert all(k == "furniture" for k, _t in segs[i:])
    assert any(
        t.startswith(("We ask you to keep", "Independent Premium Comments")) for _k, t in segs[i:]
    )
    assert sum(k == "body" for k, _t in segs[:i]) > 10


def test_a_lone_word_or_a_mark_left_by_the_extractor_is_furniture(tmp_path: Path) -> None:
    philly = segments(CORPUS / "txt" / "phillyvoice.com-Sixers.txt")
    assert philly[6:8] == [("furniture", "from"), ("media", "Anne Koons - Native 020715")]
    assert ("furniture", "by") in philly and ("body", "by") not in philly
    assert ("furniture", "report") in segments(CORPUS / "html" / "phys.org.tool.html")
    # attack: a one-word question stays what it was; a line broken after one word rejoins
    segs = of_text(tmp_path, "The vote failed.\n\nWhy?\n\nNobody knows.\n\nbecause\nit rained.\n")
    assert ("heading", "Why?") in segs and ("body", "because\nit rained.") in segs


def test_join_the_conversation_glued_to_the_next_sentence_is_furniture() -> None:
    segs = segments(CORPUS / "md" / "thelocal.se.tattooed--md.md")
    glued = [kt for kt in segs if kt[1].startswith("Join the conversation in our comments")]
    assert glued and glued[0][0] == "furniture"


def test_datelines_dates_with_a_label_buttons_and_counters_are_not_headings() -> None:
    lat = segments(CORPUS / "md" / "latimes.com.bloomberg--md.md")
    assert lat[0] == ("byline", "WASHINGTON —")  # was the title
    assert lat[1][0] == "body" and lat[1][1].startswith("This is not the gracious welcome")
    assert ("byline", "October 22, 2019 report") in segments(CORPUS / "txt" / "phys.org.tool.txt")
    indy = segments(CORPUS / "md" / "independent.co.uk.penalty--md.md")
    assert ("furniture", "[Log in]") in indy
    assert around(indy, "UK news in pictures", 0, 2) == [
        ("furniture", "UK news in pictures"),  # a gallery's title over its button
        ("furniture", "Show all 50"),
    ]
    belize = segments(CORPUS / "txt" / "breakingbelizenews.com-paho.txt")
    assert around(belize, "Views:", 0, 2) == [("furniture", "Views:"), ("furniture", "184")]
    kbs = segments(CORPUS / "txt" / "world.kbs.co.kr-Temperatures.txt")
    assert ("furniture", "For further details >") in kbs


@pytest.mark.parametrize(
    "line", ["The vote — and its aftermath", "June 5, 2020 was a turning point.", "HOUSE RULES"]
)
def test_a_heading_with_a_dash_or_a_date_is_not_a_byline(line: str) -> None:
    assert not bylines.is_byline_line(line)


@pytest.mark.parametrize(
    "name",
    ["txt/corkbeo.ie.level.txt", "md/corkbeo.ie.level--md.md", "html/corkbeo.ie.level.html"],
)
def test_a_newsletter_pitch_runs_on_after_its_button_and_the_article_resumes(name: str) -> None:
    segs = segments(CORPUS / name)
    start = next(i for i, (_k, t) in enumerate(segs) if t.startswith("Every day we'll send you"))
    assert segs[start - 1][0] == "furniture"  # "Simply pop your email into the box ..."
    assert [k for k, _t in segs[start : start + 4]] == ["furniture"] * 3 + ["body"]
    assert segs[start + 1][1] == "You can unsubscribe from this service at any time."
    assert segs[start + 3][1].startswith("From tonight many of them will be forced to close")


@pytest.mark.parametrize(
    "name,furniture",
    [
        (
            "txt/theatlantic.com.disasters.txt",
            [
                "We want to hear what you think about this article.",
                "Submit a letter to the editor or write to letters@theatlantic.com.",
            ],
        ),
        (
            "md/theatlantic.com.disasters--md.md",
            [
                "We want to hear what you think about this article.",
                "Submit a letter to the editor or write to letters@theatlantic.com.",
            ],
        ),
        (
            "txt/citylimits.org-Nycha.txt",
            [
                "We want to hear from you!",
                "To reach the reporter behind this story, contact Tatyana@citylimits.org.",
                "To reach the editor, contact Emma@citylimits.org",
            ],
        ),
        (
            "txt/kaieteurnewsonline.com-essequibo.txt",
            ["The competition which is for teams in the..."],
        ),
        (
            "html/kaieteurnewsonline.com-essequibo.html",
            ["The competition which is for teams in the..."],
        ),
        (
            "crude/kaieteurnewsonline.com-essequibo.h2t.md",
            [
                "Click to share on Reddit (Opens in new window)",
                "Click to print (Opens in new window)",
            ],
        ),
    ],
)
def test_letters_invitations_cut_teasers_and_share_buttons_are_furniture_one_sentence_each(
    name: str, furniture: list[str]
) -> None:
    segs = segments(CORPUS / name)
    for text in furniture:
        assert ("furniture", text) in segs, text


@pytest.mark.parametrize(
    "line",
    [
        "The company said your data will not be shared with advertisers.",
        'It was, he said, "the end of the..."',
        "We want to hear more from the council before we decide, she said.",
        "Reporters who want to reach the editor should call the newsroom.",
    ],
)
def test_news_sentences_like_invitations_or_teasers_stay_body(tmp_path: Path, line: str) -> None:
    assert not fx.is_furniture(line)
    assert of_text(tmp_path, f"The council met on Monday.\n\n{line}\n\nThe vote failed.\n")[1] == (
        "body",
        line,
    )


def test_a_headline_over_an_image_without_alt_text_is_the_title() -> None:
    segs = segments(CORPUS / "txt" / "nationnews.com-schools.txt")
    assert segs[:2] == [("byline", "Posted on"), ("title", "Schools ‘safe’ amidst surge")]


def test_a_reprint_notice_a_photo_via_credit_and_a_tag_list_are_not_body() -> None:
    notice = "REPRINTING CONTENT WITHOUT PERMISSION AND/OR PAYMENT IS THEFT AND PUNISHABLE BY LAW."
    assert ("furniture", notice) in segments(CORPUS / "txt" / "breakingbelizenews.com-paho.txt")
    crude = segments(CORPUS / "crude" / "haitiantimes.com-family.h2t.md")
    assert ("credit", "Photo via Evert Tennis Academy") in crude
    tags = [kt for kt in crude if kt[1].startswith("Tagged: Cocoa Brothers")]
    assert tags and tags[0][0] == "furniture" and len(tags[0][1]) > 160
    # attack: news about reproduction rights and tags
    for line in (
        "Reproduction of the painting without permission led to a lawsuit, the court heard.",
        "Photo via satellite showed the fires spreading, officials said.",
    ):
        assert not fx.is_furniture(line) and not fx.is_credit(line)


@pytest.mark.parametrize(
    "name",
    [
        "txt/breakingbelizenews.com-paho.txt",
        "md/breakingbelizenews.com-paho--md.md",
        "html/breakingbelizenews.com-paho.html",
    ],
)
def test_date_lines_with_a_full_stop_and_a_byline_glued_by_a_colon(name: str) -> None:
    # found judging 'fresh3'
    segs = segments(CORPUS / name)
    lede = [kt for kt in segs if kt[1].startswith("The Americas cannot ignore the risk")]
    assert lede and lede[0][0] == "body"
    assert around(segs, lede[0][1], 3, 3) == [
        ("byline", "Posted: Thursday, April 21, 2022."),
        ("byline", "10:11 pm CST."),
        ("byline", "By Aaron Humes:"),
    ]


def test_a_section_label_over_the_headline_is_not_the_title() -> None:
    segs = segments(CORPUS / "md" / "dw.com-elephants--md.md")
    assert segs[:2] == [
        ("heading", "Environnement"),
        ("title", "La perte des terres fertiles et les éléphants en Guinée-Conakry"),
    ]
    # Xinhua's page opens with a child's question, the first line of the body (the page's
    # headline, "武汉的声音：...", is in its <title> only): a sentence closed by its script's
    # question mark is body; tests/test_cjk_paragraphs.py pins a CJK headline as a title
    zh = segments(CORPUS / "md" / "xinhuanet.com.c_1125597921--md.md")
    assert zh[:2] == [("furniture", "评论"), ("body", "“妈妈，为什么还不能出去？”")]


@pytest.mark.parametrize(
    "line",
    ["At 10:11 pm the plane landed.", "Posted notices warned residents on May 3, 2022."],
)
def test_sentences_with_times_or_posted_are_not_byline_lines(line: str) -> None:
    assert not bylines.is_byline_line(line)


@pytest.mark.parametrize(
    "sentence",
    [
        "By Monday: The council must decide by then.",
        "By the time the polls closed, Officials were counting.",
        "By Jane Doe's own account: she left early.",
    ],
)
def test_sentences_opening_with_by_keep_their_words(sentence: str) -> None:
    assert page_dumps.byline_prefix_end(sentence) == 0


# round 5 (furniture2): `benchmarks/segmentation.py --audit` and the blind sample 'fresh4'


def test_run_together_menus_skip_links_breadcrumbs_and_site_copyright_are_furniture() -> None:
    abc13 = segments(CORPUS / "crude" / "abc13.com-Copperfield.h2t.md")
    # a crude menu whose entries ran together ("WeatherU.S." was a body sentence)
    assert (
        "furniture",
        "WeatherU.S. & WorldPoliticsTexas True CrimeThis Week in TexasOur AmericaTown HallsShop",
    ) in abc13
    nyt = segments(CORPUS / "crude" / "nytimes.com.blackouts.bs4.txt")
    assert around(nyt, "Skip to site index", 1, 3) == [
        ("furniture", "Skip to content"),
        ("furniture", "Skip to site index"),
        ("furniture", "Today’s Paper"),
    ]
    miami = segments(CORPUS / "crude" / "miamitodaynews.com-Transitway.bs4.txt")
    assert (
        "furniture",
        "»\xa0Transit tax trust rejects county’s South Dade Transitway data",
    ) in miami
    atlantic = segments(CORPUS / "crude" / "theatlantic.com.disasters.h2t.md")
    assert (
        "furniture",
        "TheAtlantic.com Copyright (c) 2020 by The Atlantic Monthly Group. All Rights Reserved.",
    ) in atlantic


@pytest.mark.parametrize(
    "line",
    [
        # brand names glue a capital after fewer than three lowercase letters, or once
        "The iPhone, YouTube and LinkedIn deals at McDonald's were signed",
        "» Officials said the road would reopen.",
        "Copyright law changed in 2020, the court said.",
        "TheAtlantic.com copyright 2020 claims were dismissed",
        "Skip to the good part: the vote passed.",
    ],
)
def test_brand_names_quotes_marks_and_copyright_news_stay_body(line: str) -> None:
    assert not fx.is_furniture(line)


def test_a_left_and_right_image_credit_is_a_credit_not_headings() -> None:
    # found judging 'fresh4': two headings; then two credits; since segments7 one credit over
    # the scraper's blank line (tests/test_news_segments7.py)
    bs4 = segments(CORPUS / "crude" / "vice.com.amazon.bs4.txt")
    broken = (
        "Left Image:\xa0National Oceanic and Atmospheric\n\n"
        "Administration, Right Image:\xa0Alberto Shiguematsu"
    )
    assert ("credit", broken) in bs4
    h2t = segments(CORPUS / "crude" / "vice.com.amazon.h2t.md")
    credit = (
        "Left Image: National Oceanic and Atmospheric Administration, "
        "Right Image: Alberto Shiguematsu"
    )
    assert ("credit", credit) in h2t
    # attack: a headline about a "right image" is no credit
    assert not fx.is_credit("The far right image: how the party rebranded")
    assert not fx.is_credit("Left Behind: The Image That Shaped a Campaign")


def test_the_tags_under_their_label_are_furniture(tmp_path: Path) -> None:
    segs = segments(CORPUS / "crude" / "vice.com.amazon.bs4.txt")
    assert around(segs, "Tagged:", 0, 2) == [
        ("furniture", "Tagged:"),
        ("furniture", "amazon\nbrazil\ndeforestation\nWildfire"),
    ]
    # attack: a sentence after the label, and an unpunctuated line after other furniture
    got = of_text(
        tmp_path,
        "The council met on Monday to vote on the budget.\n\nTags:\n\n"
        "The council voted on Monday.\n\nAdvertisement\n\nthe budget and the roads",
    )
    assert ("body", "The council voted on Monday.") in got
    assert ("body", "the budget and the roads") in got


@pytest.mark.parametrize(
    ("name", "caption"),
    [
        (
            "md/dailymail.co.uk.food--md.md",
            "Fitness guru Joe Wicks has also called on the Prime Minister not to 'trade away our "
            "children's futures' in the negotiations",
        ),
        (
            "txt/vancouversun.com.microsoft.txt",
            "Microsoft plans to cut its carbon emissions by more than half by 2030 across its "
            "supply chain.",
        ),
    ],
)
def test_a_caption_printed_under_its_image_is_the_caption_not_body(name: str, caption: str) -> None:
    segs = segments(CORPUS / name)
    # the image's alt text, then the caption (the Daily Mail's alt text has a no-break space)
    i = next(i for i, (_k, t) in enumerate(segs) if t.replace("\xa0", " ") == caption)
    assert segs[i][0] == "media"
    assert segs[i + 1] == ("media", caption)  # was body (a heading, for some)
    # the same sentence later in the article's prose stays body (vancouversun repeats it)
    if name.startswith("txt/vancouversun"):
        assert ("body", caption) in segs[i + 2 :]


def test_a_sentence_after_an_image_or_said_twice_stays_body(tmp_path: Path) -> None:
    got = of_text(
        tmp_path,
        "The mayor opened the bridge on Monday.\n\n"
        "![The mayor at the bridge](https://example.org/a.jpg)\n\n"
        "The mayor said the bridge cost less than planned.\n\n"
        "The mayor said the bridge cost less than planned.",
    )
    assert got[-2:] == [
        ("body", "The mayor said the bridge cost less than planned."),
        ("body", "The mayor said the bridge cost less than planned."),
    ]


def test_a_newsletter_pitch_after_its_email_box_is_furniture_to_its_end() -> None:
    segs = segments(CORPUS / "crude" / "corkbeo.ie.level.bs4.txt")
    start = segs.index(("furniture", "Simply pop your email"))
    assert [k for k, _t in segs[start + 1 : start + 5]] == ["furniture"] * 4
    assert segs[start + 4] == (
        "furniture",
        "And rest assured that your data will not be shared with any other party.",
    )
    # the article resumes after the pitch
    assert segs[start + 5][0] == "body"
    assert segs[start + 5][1].startswith("From tonight many of them will be forced to close")


def test_a_citation_line_of_any_length_is_furniture() -> None:
    segs = segments(CORPUS / "md" / "phys.org.tool--md.md")
    cites = [kt for kt in segs if kt[1].startswith("Citation: Flint flake tool")]
    assert cites and cites[0][0] == "furniture" and len(cites[0][1]) > 160
    # attack: a long sentence about citations
    line = (
        "Citation counts for the Neanderthal study rose sharply after the tool was found, and "
        "the researchers said the interest showed how much the public cares about early humans."
    )
    assert len(line) > 160 and not fx.is_furniture(line)


@pytest.mark.parametrize(
    "name",
    [
        "txt/kaieteurnewsonline.com-essequibo.txt",
        "crude/kaieteurnewsonline.com-essequibo.bs4.txt",
        "html/kaieteurnewsonline.com-essequibo.html",
    ],
)
def test_the_letters_pages_house_notice_is_furniture(name: str) -> None:
    segs = segments(CORPUS / name)
    assert ("furniture", "Freedom of speech is our core value at Kaieteur News.") in segs
    # attack: a speaker's value, quoted or reported, is news
    for line in (
        '"Honesty is our core value at this ministry," she said.',
        "Honesty is our core value at this ministry, the minister said, and we will keep it.",
    ):
        assert not fx.is_furniture(line)


def test_standfirst_lines_after_an_image_bullet_are_not_glued(tmp_path: Path) -> None:
    # found judging 'fresh4': the two points of the standfirst, each after an arrow image,
    # were one body segment (the image left a space before the second line's capital)
    segs = segments(CORPUS / "txt" / "dominicantoday.com-air.txt")
    first = (
        "The Ávoris airline will offer its flights with the entire route issued in a single ticket"
    )
    i = next(i for i, (_k, t) in enumerate(segs) if t.startswith("The Ávoris"))
    assert [t for _k, t in segs[i : i + 2]] == [
        first,
        "Itineraries combining flights will be from May 2",
    ]
    # attack: a sentence an image cut before a lowercase word stays one sentence
    got = of_text(
        tmp_path,
        "The mayor opened the new bridge on Monday.\n"
        "![](https://example.org/a.jpg) The council said the bridge\n"
        "![](https://example.org/b.jpg) would carry trams from May.",
    )
    assert got[-1][1].startswith("The council said the bridge")
    assert got[-1][1].endswith("would carry trams from May.")


def test_a_byline_broken_after_the_standfirst_is_not_glued_to_it(tmp_path: Path) -> None:
    # found judging 'fresh4' (and named in round 4's report): "by" / "Madeleine Gregory"
    # under a standfirst that ends a sentence was glued to it as one body segment
    segs = segments(CORPUS / "crude" / "vice.com.amazon.bs4.txt")
    standfirst = (
        "The intense smoke was detected by NASA and plunged São Paulo into darkness on Monday."
    )
    assert around(segs, standfirst, 0, 3) == [
        ("body", standfirst),
        ("byline", "by Madeleine Gregory"),
        ("byline", "21 August 2019, 7:40am"),
    ]
    # attack: a sentence a scraper broke around "by" stays one sentence
    got = of_text(
        tmp_path,
        "The mayor opened the bridge on Monday.\n\n"
        "The bridge was paid for\nby\nthe city and the state, officials said.",
    )
    assert got[-1] == (
        "body",
        "The bridge was paid for\nby\nthe city and the state, officials said.",
    )


@pytest.mark.parametrize(
    ("name", "post", "link"),
    [
        (
            "md/theverge.com.ios13--md.md",
            "Notice the warping of the line across both the eyes and nose.",
            "pic.twitter.com/U7PMa4oNGN",
        ),
        (
            "html/timesofisrael.com.washington.html",
            "The yarmulked head in the front row is mine.",
            "https://t.co/dLVatVHxRr",
        ),
    ],
)
def test_an_embedded_posts_media_link_as_a_markdown_link_is_media(
    name: str, post: str, link: str
) -> None:
    # the post's text and its picture link were one body segment without final punctuation
    segs = segments(CORPUS / name)
    assert around(segs, link, 1, 2) == [("body", post), ("media", link)]
    # attack: a sentence ending in an ordinary link keeps it
    assert fx.trailing_media("Read the [agency's report](https://example.org/report).") is None
    assert fx.trailing_media("See [the video](https://example.org/v) at noon") is None


@pytest.mark.parametrize(
    "name",
    ["txt/citylimits.org-Nycha.txt", "md/citylimits.org-Nycha--md.md"],
)
def test_an_invitation_to_the_outlets_own_event_is_furniture(name: str) -> None:
    segs = segments(CORPUS / name)
    rsvp = (
        "RSVP for Our Zoom panel on 11/9: Trust, Pact or Section 9? A City Limits Conversation "
        "on the Future of NYCHA"
    )
    i = segs.index(("furniture", rsvp))
    # it was glued to the next paragraph's first sentence in txt/
    assert segs[i + 1][0] == "body" and segs[i + 1][1].startswith("However, there are other")
    # attack: news about an invitation
    assert not fx.is_furniture("RSVP for the gala closed on Friday, organisers said.")
    assert not fx.is_furniture("Register for the vote by Friday, the city told residents")


def test_a_papers_reference_under_more_information_is_furniture(tmp_path: Path) -> None:
    segs = segments(CORPUS / "md" / "phys.org.tool--md.md")
    i = next(i for i, (_k, t) in enumerate(segs) if t.startswith("More information:"))
    assert [k for k, _t in segs[i : i + 3]] == ["furniture"] * 3
    assert segs[i + 1][1] == "Proceedings of the National Academy of Sciences(2019)."
    assert segs[i + 2][1].startswith("DOI:")
    # attack: a sentence about more information, and prose after the label without a DOI
    got = of_text(
        tmp_path,
        "More information about the fire was not released, police said.\n\n"
        "More information:\n\nThe council will meet again on Monday.\n\n"
        "The mayor said the roads would reopen.",
    )
    assert got[0] == ("body", "More information about the fire was not released, police said.")
    assert ("body", "The council will meet again on Monday.") in got


@pytest.mark.parametrize(
    "name", ["crude/threatpost.com.android.bs4.txt", "crude/threatpost.com.android.h2t.md"]
)
def test_a_newsletter_forms_fine_print_is_furniture(name: str) -> None:
    segs = segments(CORPUS / name)
    for text in (
        "Join thousands of people who receive the latest breaking cybersecurity news every day.",
        "The administrator of your personal data will be Threatpost, Inc., 500 Unicorn Park, "
        "Woburn, MA 01801.",
        "In addition, you will find them in the message confirming the subscription to the "
        "newsletter.",
        "This field is for validation purposes and should be left unchanged.",
        "This iframe contains the logic required to handle Ajax powered Gravity Forms.",
    ):
        assert ("furniture", text) in segs
        assert ("body", text) not in segs
    # attack: news sentences with the same openings
    for line in (
        "Join thousands of people who marched on Saturday, the organisers urged.",
        "The administrator of the estate will be named on Monday.",
        "This field is for farming, not housing, the council said.",
    ):
        assert not fx.is_furniture(line)


def test_a_menu_broken_by_a_byline_like_entry_is_furniture_to_its_end(tmp_path: Path) -> None:
    # the Economist's menu: "By Invitation" (a section) read as a byline cut the menu, and
    # its second half ("Schools brief" ... "Blogs") and a longer entry stayed headings/body
    segs = segments(CORPUS / "crude" / "economist.com.thinking.bs4.txt")
    i = segs.index(("byline", "By Invitation"))
    assert [k for k, _t in segs[i + 1 : i + 9]] == ["furniture"] * 8
    assert segs[i + 7] == ("furniture", "Ideas and commentary Books, arts and culture")
    # attack: a headline or a standfirst between a menu and a share row is not an entry
    for line in (
        "Council votes to close the old bridge",
        "The council will close the old bridge, the mayor said on Monday after the vote",
    ):
        got = of_text(
            tmp_path,
            f"Home\n\nNews\n\nPolitics\n\nSport\n\n{line}\n\n"
            "Share\n\nTweet\n\nEmail\n\nPrint\n\nThe council voted on Monday to close it.",
        )
        kinds = [k for k, t in got if t == line]
        assert kinds and kinds[0] in ("title", "heading", "body")


def test_a_headline_in_a_list_of_stories_cut_at_an_abbreviation_is_furniture(
    tmp_path: Path,
) -> None:
    segs = segments(CORPUS / "crude" / "kaieteurnewsonline.com-essequibo.bs4.txt")
    assert around(segs, "Agri.", 1, 4) == [
        ("furniture", "Coalition Govt ‘short-changed’ judiciary in 2018"),
        ("furniture", "Agri."),
        ("furniture", "Ministry seeking contractor to build abattoir in Region Five"),
        ("furniture", "15 new COVID-19 cases recorded in Guyana"),
    ]
    miami = segments(CORPUS / "crude" / "miamitodaynews.com-Transitway.bs4.txt")
    entry = "Bill Osborne\non\nMiami Marine Stadium bond funding decimated November 2023"
    assert ("furniture", entry) in miami  # under "Recent Comments"
    # attack: a sentence between two ads, and a long unpunctuated paragraph, stay body
    got = of_text(
        tmp_path,
        "The council met on Monday.\n\nAdvertisement\n\nThe mayor resigned.\n\nAdvertisement\n\n"
        "The council met on Tuesday and the mayor said the bridge would be closed for a year "
        "while the engineers looked at the cracks in its piers\n\nAdvertisement\n\n"
        "The council met again on Wednesday.",
    )
    assert ("body", "The mayor resigned.") in got
    assert [k for k, t in got if t.startswith("The council met on Tuesday")] == ["body"]


@pytest.mark.parametrize(
    ("name", "first", "second", "kind"),
    [
        (
            "html/timesofisrael.com.washington.html",
            "Governor says naming of ‘exceptional’ Raquel Montoya-Lewis is historic, but he"
            " called on her ‘because she’s the best for the job’",
            "KVELLER via JTA — The state of Washington has sworn in its first Native American"
            " Supreme Court justice, Raquel Montoya-Lewis — who also happens to be Jewish.",
            "body",
        ),
        (
            "html/edition.cnn.com-royal.html",
            "Meghan has seen some of the headlines about her",
            "Winfrey presented Meghan with a series of headlines about her in the British media,"
            " contrasting them with far more positive stories about her sister-in-law Catherine,"
            " Duchess of Cambridge.",
            "heading",
        ),
        (
            "txt/edition.cnn.com-royal.txt",
            "Meghan has seen some of the headlines about her",
            "Winfrey presented Meghan with a series of headlines about her in the British media,"
            " contrasting them with far more positive stories about her sister-in-law Catherine,"
            " Duchess of Cambridge.",
            "heading",
        ),
        (
            "txt/newsday.co.tt-forex.txt",
            "Brian Manning -",
            "He reiterated that devaluation of the TT dollar was not a solution to TT's forex"
            " challenges",
            "media",  # "![](...jpg) Brian Manning -": the image's caption (segments5)
        ),
    ],
)
def test_a_standfirst_subheading_or_caption_is_not_glued_to_the_next_sentence(
    name: str, first: str, second: str, kind: str
) -> None:
    # audit2 F10: a line without final punctuation (a standfirst ending in a closing quote
    # before an all-caps dateline, a subheading ending "about her", a caption "Name -") was
    # one body segment with the sentence under it
    segs = segments(CORPUS / name)
    got = around(segs, first, 0, 2)
    assert [t for _k, t in got] == [first, second]
    assert got[0][0] == kind
    assert not any("\n" in t for k, t in segs if k == "body" and t.startswith(first[:20]))


def test_a_daily_mail_caption_ending_in_pictured_is_not_glued() -> None:
    segs = segments(CORPUS / "html" / "dailymail.co.uk.food.html")
    # audit2 F10: two captions ("... (pictured, broiler chickens at ... Mississippi)" and
    # the letter's) were one body segment
    i = next(i for i, (_k, t) in enumerate(segs) if t.endswith("Taylorsville, Mississippi)"))
    assert segs[i][1].startswith("The move comes as International Trade Secretary")
    assert segs[i + 1] == (
        "media",  # was a heading: the page marks it a caption (html_captions.py)
        "The letter sent by an alliance of chefs, celebrities and charities to the Prime Minister",
    )


@pytest.mark.parametrize(
    "text",
    [
        # "her" as a possessive (not after a preposition): the sentence runs on
        "The mayor spoke on Monday.\n\nThe minister said the party leader had already changed"
        " her\nCabinet plans twice this year, officials said.",
        # an all-caps word after a function word: a sentence a scraper broke at a link
        "The mayor spoke on Monday.\n\nThe findings were published in a new report written"
        " by\nNASA scientists working in California last year.",
        # a bracket that is not a caption's
        "The mayor spoke on Monday.\n\nThe final bill for the new ring road that the town"
        " council was first promised by ministers three years ago (right now about £2m)\n"
        "Westminster will pay in full, officials said.",
        # a dash after words that are not a name
        "The mayor spoke on Monday.\n\nThe vote on the budget was close -\nThe Senate then"
        " adjourned for the week.",
    ],
)
def test_a_sentence_broken_across_lines_stays_one_body_segment(tmp_path: Path, text: str) -> None:
    # the near misses of the test above: each stays one body segment, its break kept
    got = of_text(tmp_path, text)
    last = text.split("\n\n")[-1]
    assert got[-1] == ("body", last)


@pytest.mark.parametrize(
    "name", ["txt/miamitodaynews.com-Transitway.txt", "html/miamitodaynews.com-Transitway.html"]
)
def test_a_question_then_a_new_statement_about_its_speaker_is_two_sentences(name: str) -> None:
    # audit2 F10: `...the county has?”` + line break + `Mr. Cueto told the trust that ...`
    # was one segment: the attribution rule took "Mr. Cueto told" as "he asked"
    segs = segments(CORPUS / name)
    question = (
        "Do we ask nicely here, or do we have a public records request for a document that"
        " the county has?”"
    )
    got = around(segs, question, 0, 2)
    assert got[1][1].startswith("Mr. Cueto told the trust that it could see the scorecard")
    # and a question inside a sentence of its own words stays in it
    assert any(
        t.startswith("After trust member Peggy Bell asked last week “Why has this taken")
        and "Mr. Cueto responded that" in t
        for _k, t in segs
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("“Why?” Mr. Cueto asked.", ["“Why?” Mr. Cueto asked."]),
        ("“Why?” Smith told reporters on Tuesday.", ["“Why?” Smith told reporters on Tuesday."]),
        (
            "“Why?” Smith asked, adding that nobody knew.",
            ["“Why?” Smith asked, adding that nobody knew."],
        ),
        (
            "“Why?” Mr. Cueto told the trust that it could see the scorecard.",
            ["“Why?”", "Mr. Cueto told the trust that it could see the scorecard."],
        ),
        (
            "“Why?”\nMr. Cueto told the trust that it could see the scorecard.",
            ["“Why?”", "Mr. Cueto told the trust that it could see the scorecard."],
        ),
        (
            "After Bell asked “Why?” Mr. Cueto responded that it was ready.",
            ["After Bell asked “Why?” Mr. Cueto responded that it was ready."],
        ),
    ],
)
def test_an_attribution_after_a_quoted_question_unless_it_reports_a_that_clause(
    text: str, expected: list[str]
) -> None:
    # the decision (README, segmentation limits): after “...?” an attribution ("Smith
    # asked", "Smith told reporters") stays with the quote; a verb with its own "that"
    # clause when the quote opened the sentence starts a new one
    assert [text[a:b] for a, b in split_sentences(text)] == expected


@pytest.mark.parametrize(
    ("name", "text"),
    [
        (
            "html/breakingbelizenews.com-paho.html",
            "This article is the copyrighted property of Breaking Belize News.",
        ),
        (
            "txt/breakingbelizenews.com-paho.txt",
            "This article is the copyrighted property of Breaking Belize News.",
        ),
        (
            "html/dw.com-elephants.html",
            "Vous trouverez davantage d'informations dans la déclaration sur la protection des"
            " données.",
        ),
    ],
)
def test_a_sites_copyright_claim_and_a_cookie_notices_second_sentence_are_furniture(
    name: str, text: str
) -> None:
    # audit2 F5/F11: both were body segments
    assert (("furniture", text)) in segments(CORPUS / name)


def test_a_sentence_about_a_copyright_or_more_information_stays_body(tmp_path: Path) -> None:
    got = of_text(
        tmp_path,
        "The ruling\n\nThe court said the article is the copyrighted property of the paper.\n\n"
        "Vous trouverez davantage d'informations sur le projet dans le rapport.",
    )
    assert got[-2:] == [
        ("body", "The court said the article is the copyrighted property of the paper."),
        ("body", "Vous trouverez davantage d'informations sur le projet dans le rapport."),
    ]


def test_a_credit_glued_to_its_caption_without_a_space_is_a_credit(tmp_path: Path) -> None:
    # furniture2's leftover: "... of California.Credit...Rich Pedroncelli/Associated Press"
    # was one body segment (no space after the full stop for the splitter to cut at)
    segs = segments(CORPUS / "crude" / "nytimes.com.blackouts.h2t.md")
    credit = "Credit...Rich Pedroncelli/Associated Press"
    assert around(segs, credit, 1, 2) == [
        (
            "media",
            "The California Independent System Operator grid control center in Folsom, Calif."
            " The nonprofit entity controls the flow of electricity for 80 percent of"
            " California.",
        ),
        ("credit", credit),
    ]
    # attack: "Credit..." glued to a sentence that is not a credit stays body
    text = "Lending fell in the spring.Credit...it seems, is tight everywhere this year."
    got = of_text(tmp_path, "The banks\n\n" + text)
    assert ("credit", "Credit...it seems, is tight everywhere this year.") not in got
    assert all(k == "body" for k, t in got if "Lending" in t)


@pytest.mark.parametrize(
    "name",
    [
        "txt/standard.co.uk.caribbean.txt",
        "md/standard.co.uk.caribbean--md.md",
        "html/standard.co.uk.caribbean.html",
    ],
)
def test_a_lede_that_lost_its_drop_capital_is_not_glued_to_the_standfirst(name: str) -> None:
    segs = segments(CORPUS / name)
    lede = (
        "urkey, Poland and the Caribbean islands of Bonaire, St Eustatius and Saba have been "
        "removed from the Government’s list of travel corridors."
    )
    # the txt glued "... for repeat offenders\nurkey, Poland ..." into one body segment
    assert around(segs, lede, 1, 2) == [
        (
            "heading",
            "Penalties for those who refuse to self-isolate are to be increased to a maximum "
            "of £10,000 for repeat offenders",
        ),
        ("body", lede),
    ]


@pytest.mark.parametrize(
    "text",
    [
        # the word is the article's own, alone elsewhere: a hard-wrapped line runs on
        "Plans for the new bridge across the river were shown to the council on Monday\n"
        "plans that the mayor said would cost too much. Other plans were shelved.\n",
        # no capitalised form anywhere: runs on
        "The committee heard evidence from residents of the estate for three hours\n"
        "yesterday before it adjourned. It meets again in May.\n",
        # a function word: the line was cut mid-sentence
        "The minister told reporters outside parliament that the decision was made by\n"
        "officials, not by him. Officials declined to comment.\n",
    ],
)
def test_a_lowercase_line_after_the_first_line_still_runs_on(tmp_path: Path, text: str) -> None:
    first, second = text.splitlines()[:2]
    segs = of_text(tmp_path, text)
    assert any(t.startswith(first + "\n" + second.split(".")[0]) for _k, t in segs), segs


@pytest.mark.parametrize(
    "name",
    [
        "txt/newsday.co.tt-forex.txt",
        "md/newsday.co.tt-forex--md.md",
        "html/newsday.co.tt-forex.html",
    ],
)
def test_a_sentence_that_lost_its_full_stop_is_body_not_a_heading(name: str) -> None:
    segs = segments(CORPUS / name)
    line = (
        "He reiterated that devaluation of the TT dollar was not a solution to TT's forex"
        " challenges"
    )
    assert ("body", line) in segs  # was a heading: no heading opens "He reiterated"
    # corkbeo's teaser cut mid-sentence: "But he said that ..."
    cork = segments(CORPUS / "crude" / "corkbeo.ie.level.bs4.txt")
    cut = "But he said that the positive outlook does not mean that business as usual"
    # (a teaser the page repeats in its boxes: furniture since teaser_repeats.py)
    assert ("furniture", cut) in cork and ("heading", cut) not in cork


@pytest.mark.parametrize(
    "line", ["They Live", "And Just Like That", "He Said, She Said", "She persisted", "But why now"]
)
def test_headings_that_open_with_a_pronoun_stay_headings(line: str) -> None:
    assert fx.looks_like_heading(line)


def test_a_photograph_and_its_caption_on_one_line_are_media(tmp_path: Path) -> None:
    # newsday: "![](.../uploads/.../10279219-1024x683.jpg) Brian Manning -" was a heading
    segs = segments(CORPUS / "txt" / "newsday.co.tt-forex.txt")
    assert ("media", "Brian Manning -") in segs
    cork = segments(CORPUS / "crude" / "corkbeo.ie.level.h2t.md")
    assert (
        "media",
        "A garda watches over an empty-looking Cork city (Image: @GardaTraffic)",
    ) in cork
    # a site's arrow or logo is not a photograph, a credit stays a credit, and words that run
    # on into the next line are prose
    assert ("media", "Itineraries combining flights will be from May 2") not in segments(
        CORPUS / "txt" / "dominicantoday.com-air.txt"
    )
    got = of_text(
        tmp_path,
        "The mayor opened the new bridge on Monday.\n\n"
        "![](https://x.org/uploads/a.jpg) Noah Berger / AP\n\n"
        "![](https://x.org/uploads/b.jpg) The council said the bridge\n"
        "would carry trams from May.\n",
    )
    assert got[1:] == [
        ("credit", "Noah Berger / AP"),
        ("body", "The council said the bridge\nwould carry trams from May."),
    ]


def test_teasers_between_removed_section_labels_are_not_rejoined(tmp_path: Path) -> None:
    # corkbeo (bs4): a related box of headline / standfirst lines between section labels
    # that repeat ("Coronavirus", "Cork Loves", "Local News"); removing the repeats glued
    # "... as cases continue to drop" to "From Cali to Cork: Woman sets up ..." and on
    segs = segments(CORPUS / "crude" / "corkbeo.ie.level.bs4.txt")
    drop = (
        "Coronavirus Ireland LIVE updates ahead of daily figures announcement as cases continue"
        " to drop"
    )
    assert ("furniture", drop) in segs  # (body before teaser_repeats.py: a teaser)
    assert any(
        t == "Irish Guide Dogs for the blind are appealing for your support this Christmas"
        for _k, t in segs
    )
    assert not any(t.startswith(drop + " ") for _k, t in segs)
    # a sentence a running header cut stays one, across the header, even after a sentence
    got = of_text(
        tmp_path,
        "PAGE HEADER LINE\n\nThe minister spoke at length. The report, published\n\n"
        "PAGE HEADER LINE\n\nSept. 3 by the commission, runs to forty-five pages.\n",
    )
    assert (
        "body",
        "The report, published Sept. 3 by the commission, runs to forty-five pages.",
    ) in got


def test_a_counter_under_a_teaser_is_not_glued_to_it() -> None:
    # breakingbelize (bs4): "... at Rogers Stadium" / "April 21, 2022" (repeated, removed) /
    # "0" (its comment counter) was one body segment "... Rogers Stadium 0"
    segs = segments(CORPUS / "crude" / "breakingbelizenews.com-paho.bs4.txt")
    teaser = "2022 Belize City Fast Pitch Softball tournament bats off on Sunday at Rogers Stadium"
    assert around(segs, teaser, 0, 2)[1] == ("furniture", "0")
    assert not any(t.endswith("Stadium 0") for _k, t in segs)


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("txt/dailymail.co.uk.food.txt", "title"),
        ("md/dailymail.co.uk.food--md.md", "heading"),
        ("html/dailymail.co.uk.food.html", "heading"),
    ],
)
def test_a_thirty_word_headline_opening_the_body_is_not_body(name: str, kind: str) -> None:
    segs = segments(CORPUS / name)
    assert segs[0][0] == kind  # txt and html: body (over a heading's 20 words)
    assert segs[0][1].startswith("Jamie's war on toxic US food: Chef and fitness guru Joe")


def test_a_long_first_line_that_is_a_sentence_stays_body(tmp_path: Path) -> None:
    line = (
        "He told the committee on Tuesday that the council had spent more than it had raised in"
        " each of the last four years and would have to cut services"
    )
    assert of_text(tmp_path, line + "\n\nThe committee adjourned.\n")[0] == ("body", line)
    long = " ".join(["Word"] * 41)
    assert of_text(tmp_path, long + "\n\nThe committee adjourned.\n")[0][0] == "body"


def test_a_line_ending_on_a_date_is_not_glued_to_the_lede() -> None:
    # miamitoday (bs4): "Written by" / "Miami Today" / "on November 7, 2023", then (after an
    # "Advertisement" removed as repeated) the lede: the date line and the lede were one
    # body segment
    segs = segments(CORPUS / "crude" / "miamitodaynews.com-Transitway.bs4.txt")
    lede = next(t for _k, t in segs if t.startswith("The trust spending more than $100 million"))
    assert around(segs, lede, 1, 2)[0][1] == "Miami Today\non November 7, 2023"
    # corkbeo (bs4): a live blog's time stamp over a caption
    cork = segments(CORPUS / "crude" / "corkbeo.ie.level.bs4.txt")
    assert ("body", "21:22, 6 OCT 2020") in cork


def test_a_sentence_broken_after_a_date_in_its_middle_stays_one(tmp_path: Path) -> None:
    # a date before a lowercase word: the sentence goes on (before a capitalised line, a
    # date now ends the segment: "... 2023" / "City officials said" would be cut there)
    got = of_text(
        tmp_path,
        "The mayor spoke on Monday.\n\nThe council met on November 7, 2023\n"
        "and voted to close the library.\n",
    )
    assert got[-1] == (
        "body",
        "The council met on November 7, 2023\nand voted to close the library.",
    )


@pytest.mark.parametrize(
    ("name", "line"),
    [
        ("crude/miamitodaynews.com-Transitway.bs4.txt", "Miami Today\non November 7, 2023"),
        # "[Miami Today](.../author/admin/)on November 7, 2023": the link glued to its "on"
        ("md/miamitodaynews.com-Transitway--md.md", "Miami Todayon November 7, 2023"),
        ("html/miamitodaynews.com-Transitway.html", "Miami Todayon November 7, 2023"),
    ],
)
def test_a_name_over_its_date_is_a_byline(name: str, line: str) -> None:
    segs = segments(CORPUS / name)
    lede = next(t for _k, t in segs if t.startswith("The trust spending more than $100 million"))
    # was body (bs4) and a heading (md, html); the md has the image's alt text between
    assert ("byline", line) in around(segs, lede, 2, 2)
    assert ("heading", line) not in segs and ("body", line) not in segs


@pytest.mark.parametrize(
    "line",
    [
        "Voters go to the polls on November 7, 2023",  # a sentence: lowercase words
        "The Five Things We Learned on Tuesday",  # no date
        "Miami Today on November 7, 2023 and after",  # goes on past the date
    ],
)
def test_a_line_with_a_date_that_is_not_a_name_over_it_stays(tmp_path: Path, line: str) -> None:
    assert (
        of_text(tmp_path, "The mayor spoke.\n\n" + line + "\n\nThe council met.\n")[1][0]
        != "byline"
    )


def test_a_byline_after_a_repeated_by_is_not_glued_to_the_teaser_above() -> None:
    # politico bs4: "... on impeachment" / "By " (repeated: removed) / "JAKE SHERMAN" / " and "
    # / "ANNA PALMER": the sentence was rejoined across the "By", teaser and names one body
    segs = segments(CORPUS / "crude" / "politico.com.retirement.bs4.txt")
    teaser = (
        "First in POLITICO Playbook: Mark Meadows to leave Congress, plus what McConnell will "
        "say on impeachment"
    )
    assert around(segs, teaser, 0, 2) == [
        ("heading", teaser),
        ("byline", "JAKE SHERMAN\nand\nANNA PALMER"),
    ]


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("JAKE SHERMAN and ANNA PALMER", "byline"),
        ("FOOD and DRINK", "heading"),  # one word a side: a section, not two names
        ("FOOD AND DRINK SPECIALS", "heading"),
    ],
)
def test_two_names_in_capitals_are_a_byline(tmp_path: Path, line: str, kind: str) -> None:
    assert of_text(tmp_path, "The mayor spoke.\n\n" + line + "\n\nThe council met.\n")[1] == (
        kind,
        line,
    )


def test_a_sentence_still_rejoins_across_removed_furniture_that_is_not_by(tmp_path: Path) -> None:
    text = (
        "The mayor spoke.\n\nLater in the day the mayor said that the council of the city\n"
        "Advertisement\nwould meet again on Monday to vote.\n\nAdvertisement\n"
    )
    assert of_text(tmp_path, text)[1:] == [
        (
            "body",
            "Later in the day the mayor said that the council of the city would meet again on "
            "Monday to vote.",
        ),
    ]


def test_a_masthead_name_before_its_possessive_is_the_sentence_subject() -> None:
    # economist bs4: "The Economist" (a line that repeats: furniture) / "‘s Open Future
    # initiative asked ...": the sentence lost its subject
    segs = segments(CORPUS / "crude" / "economist.com.thinking.bs4.txt")
    assert (
        "body",
        "The Economist\n‘s Open Future initiative asked Mr Malone five questions with the "
        "stipulation that he reply in around 100 words each time.",
    ) in segs
    assert ("furniture", "The Economist Group") in segs  # the repeats elsewhere stay furniture


def test_a_sentence_a_crude_scraper_broke_at_a_link_is_one_segment() -> None:
    # nytimes bs4: "The sweltering weather has smothered" / " California, while wildfire
    # season " (the link's text, with its spaces) / "has started earlier than usual.": the
    # first line was a heading
    segs = segments(CORPUS / "crude" / "nytimes.com.blackouts.bs4.txt")
    assert (
        "body",
        "The sweltering weather has smothered\nCalifornia, while wildfire season\n"
        "has started earlier than usual.",
    ) in segs
    # corkbeo bs4: a caption over its credit that opens with a space stays two segments
    cork = segments(CORPUS / "crude" / "corkbeo.ie.level.bs4.txt")
    i = cork.index(("heading", "A garda watches over an empty-looking Cork city"))
    assert cork[i + 1][1] == "(Image: @GardaTraffic)"


@pytest.mark.parametrize(
    "text",
    [
        # a heading whose next paragraph opens at the margin, or ends a sentence
        "The storm season has begun\nForecasters expect ten storms this year.\n",
        "The storm season has begun\n Forecasters expect ten storms this year.\n",
        # a title-case heading (its last word capitalised)
        "Why The Storm Season Came Early\n Forecasters, who expect ten storms\nsaid so.\n",
    ],
)
def test_a_heading_over_a_line_opening_with_a_space_stays_when_it_is_one(
    tmp_path: Path, text: str
) -> None:
    segs = of_text(tmp_path, "The mayor spoke.\n\n" + text)
    assert segs[1][0] == "heading", segs


def test_a_teaser_card_is_furniture_one_segment_per_link() -> None:
    # corkbeo h2t: "[Cork Loves](/all-about/cork-loves)[Gillian returned ...](/culture/...)":
    # the label was glued to the teaser ("Cork LovesGillian returned ...") in a body segment
    segs = segments(CORPUS / "crude" / "corkbeo.ie.level.h2t.md")
    gillian = (
        "Gillian returned to Cork three years ago from California and was inspired by her "
        "daughter to set up her own business"
    )
    assert around(segs, gillian, 2, 3) == [
        (
            "furniture",
            "From Cali to Cork: Woman sets up online shop selling gorgeous handmade baby clothes",
        ),
        ("furniture", "Cork Loves"),
        ("furniture", gillian),
    ]
    assert not any(t.startswith("Cork Loves") and t != "Cork Loves" for _k, t in segs)
    # abc13 h2t's menu: "[Watch](...)[Apps](...)" was one heading "WatchApps"
    abc = segments(CORPUS / "crude" / "abc13.com-Copperfield.h2t.md")
    assert ("furniture", "Watch") in abc and ("furniture", "Apps") in abc


@pytest.mark.parametrize(
    "line",
    [
        "[The mayor](https://x.org/m) said [the report](https://x.org/r) was late.",
        "[The mayor](https://x.org/m) [resigned](https://x.org/r) on Monday.",  # a space
        "Read [the report](https://x.org/r)[1] here.",
    ],
)
def test_links_in_prose_are_not_a_card(tmp_path: Path, line: str) -> None:
    assert of_text(tmp_path, "The mayor spoke.\n\n" + line + "\n")[1][0] == "body"


def test_teasers_a_page_dump_repeats_are_furniture() -> None:
    # corkbeo bs4: the same list of stories in several boxes ("Most Read", "Most Recent"),
    # headline / label / standfirst on lines of their own; the labels repeat and are removed,
    # the standfirsts were body and the headlines headings between the furniture
    segs = segments(CORPUS / "crude" / "corkbeo.ie.level.bs4.txt")
    for teaser in (
        "Kayla has been missing since October 27th.",
        "Reports suggest the trillion-dollar company is seeking a new location in the county.",
        "Cork University Hospital suspends visiting until further notice due to level 3 "
        "restrictions",
    ):
        kinds = {k for k, t in segs if t == teaser}
        assert kinds == {"furniture"}, (teaser, kinds)
    # kaieteur h2t: the article's own headline, also in the "Latest News" list, stays a
    # heading where it opens the article (its date line and text follow it)
    kaieteur = segments(CORPUS / "crude" / "kaieteurnewsonline.com-essequibo.h2t.md")
    headline = "Essequibo hunter found dead with gunshot wounds"
    assert [k for k, t in kaieteur if t == headline] == ["furniture", "heading"]


def test_a_sentence_the_article_repeats_between_sentences_stays_body(tmp_path: Path) -> None:
    text = (
        "The mayor spoke on Monday.\n\nWe will rebuild the bridge.\n\nThe council agreed.\n\n"
        "Later she said it again.\n\nWe will rebuild the bridge.\n\nNobody objected.\n"
    )
    assert [k for k, _t in of_text(tmp_path, text)] == ["body"] * 6


def test_a_post_the_page_prints_twice_stays_body(tmp_path: Path) -> None:
    # a live blog's post repeated whole (corkbeo bs4 prints some twice): sentences, not a
    # list of headlines
    post = "The minister spoke at noon.\nShe said schools stay open.\nParents were relieved.\n"
    segs = of_text(tmp_path, "The blog opens.\n\n" + post + "\nMore news.\n\n" + post)
    assert [k for k, t in segs if t.startswith(("The minister", "She said", "Parents"))] == [
        "body"
    ] * 6


@pytest.mark.parametrize(
    "name",
    [
        "txt/reuters.com.parasite.txt",
        "md/reuters.com.parasite--md.md",
        "html/reuters.com.parasite.html",
    ],
)
def test_reported_speech_that_lost_its_stop_is_a_sentence_not_a_heading(name: str) -> None:
    segs = segments(CORPUS / name)
    line = (
        "“Parasite” director Bong Joon Ho said backstage that no-one could predict what might "
        "happen at the Oscars on Feb. 9"
    )
    i = segs.index(("body", line))  # was a heading
    assert segs[i + 1][1].startswith("Speaking through an interpreter he added")


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Pelosi says Democrats will hold the House after the November elections", "heading"),
        ("What the Report Said That Nobody Noticed About the City Budget", "heading"),
        ("The mayor said on Monday that the bridge would reopen by March 15", "body"),
    ],
)
def test_a_headline_is_not_reported_speech(tmp_path: Path, line: str, kind: str) -> None:
    segs = of_text(tmp_path, "The mayor spoke.\n\n" + line + "\n\nThe council met.\n")
    assert segs[1] == (kind, line)


def test_a_standfirst_of_two_sentences_set_as_a_heading_is_body() -> None:
    # vice h2t: "## The Amazon has been burning ... deforestation. The intense smoke ..."
    segs = segments(CORPUS / "crude" / "vice.com.amazon.h2t.md")
    first = "The Amazon has been burning for weeks amid increasing deforestation."
    i = segs.index(("body", first))  # was one heading of two sentences
    assert segs[i + 1] == (
        "body",
        "The intense smoke was detected by NASA and plunged São Paulo into darkness on Monday.",
    )


@pytest.mark.parametrize(
    "line",
    [
        "## What Happens Next. A Guide",  # no closing stop
        "## Step 1: Sign up.",  # one sentence
        "## U.S. Officials Weigh In.",  # an abbreviation, one sentence
    ],
)
def test_a_one_sentence_markdown_heading_stays_a_heading(tmp_path: Path, line: str) -> None:
    f = tmp_path / "a.md"
    f.write_text("The mayor spoke.\n\n" + line + "\n\nThe council met.\n", encoding="utf-8")
    assert segments(f)[1][0] == "heading"


def test_standfirst_points_an_arrow_image_marks_are_list_items() -> None:
    # dominicantoday txt: "![](.../themes/arecoa/images/flecha.jpg) The Ávoris airline ..."
    segs = segments(CORPUS / "txt" / "dominicantoday.com-air.txt")
    assert segs[1:3] == [  # were headings
        (
            "list_item",
            "The Ávoris airline will offer its flights with the entire route issued in a single "
            "ticket",
        ),
        ("list_item", "Itineraries combining flights will be from May 2"),
    ]


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        # a photograph (not the site's own small picture) and its caption
        ("![](https://x.org/2022/04/mayor.jpg) Mayor Jane Doe at the hall", "media"),
        # the site's logo over a pitch: the pitch's kind
        ("![](https://x.org/themes/x/logo.png) Sign up for our newsletter", "furniture"),
    ],
)
def test_other_lines_opening_with_an_image_keep_their_kind(
    tmp_path: Path, line: str, kind: str
) -> None:
    segs = of_text(tmp_path, "The mayor spoke.\n\n" + line + "\n\nThe council met.\n")
    assert segs[1][0] == kind, segs


def test_a_share_rows_copied_label_and_broken_empty_link_are_furniture() -> None:
    # theatlantic h2t (judged sample fresh5): "* Link Copied" and "* [](mailto:?&subject=...
    # %0ARead More:%0Ahttps...)" (a space in the URL: no link) were list items
    segs = segments(CORPUS / "crude" / "theatlantic.com.disasters.h2t.md")
    i = segs.index(("furniture", "Link Copied"))
    assert segs[i + 1][0] == "furniture" and segs[i + 1][1].startswith("[](mailto:")
    assert ("furniture", "Link Copied") in segments(
        CORPUS / "crude" / "theatlantic.com.disasters.bs4.txt"
    )


def test_a_list_item_that_opens_with_brackets_in_prose_stays(tmp_path: Path) -> None:
    segs = of_text(tmp_path, "The mayor spoke.\n\n* [Applause] The crowd cheered for a while.\n")
    assert segs[1][0] == "list_item"


@pytest.mark.parametrize(
    ("paragraph", "repeatable"),
    [
        # audit5 F6: four Chinese sentences repeated with a counter were one furniture line
        (
            "政府周二宣布了一项新的住房计划。据该部介绍，五年内将建造十万套公寓。"
            "部长在新闻发布会上表示：“这是优先事项。”反对派批评该计划来得太晚。 (3)",
            False,
        ),
        ("政府宣布了新的住房计划。据介绍，五年内将建造十万套公寓。 (3)", False),
        ("新华社记者 才扬 摄", True),  # a short credit-like line still can be
        ("政府工作报告", True),  # a short heading, as in English
        ("Read more (3)", True),
        ("정부가 새로운 주택 계획을 발표했다 (3)", True),  # Korean spaces its words
    ],
)
def test_an_unspaced_script_counts_its_characters_as_words(
    paragraph: str, repeatable: bool
) -> None:
    from annotator.ingest.page_repeats import repeatable_furniture

    assert repeatable_furniture(paragraph) is repeatable


def test_a_repeated_chinese_paragraph_is_body_sentences(tmp_path: Path) -> None:
    p = (
        "政府周二宣布了一项新的住房计划。据该部介绍，五年内将建造十万套公寓。"
        "部长在新闻发布会上表示：“这是优先事项。”反对派批评该计划来得太晚。"
    )
    path = tmp_path / "zh.txt"
    path.write_text(f"{p} (3)\n\n{p} (3)\n\n{p}\n", encoding="utf-8")
    (art,) = read_articles(path)
    kinds = {s.kind for s in art.sentences}
    assert kinds == {"body"} and len(art.sentences) >= 12
