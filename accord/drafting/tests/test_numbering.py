"""Automatic numbering: identity stays, labels follow the tree."""

from accord.drafting.numbering import Node, letters, number, roman


def test_articles_paragraphs_and_subparagraphs_get_akoma_ntoso_style_ids():
    nodes = [
        Node("p1", None, "preamble"),
        Node("part", None, "part"),
        Node("a1", "part", "article"),
        Node("a1p1", "a1", "paragraph"),
        Node("a2", "part", "article"),
        Node("a2p1", "a2", "paragraph"),
        Node("a2p2", "a2", "paragraph"),
        Node("a2p2a", "a2p2", "subparagraph"),
        Node("a2p2b", "a2p2", "subparagraph"),
    ]
    numbers = number(nodes)
    assert numbers["p1"].label == "PP1"
    assert numbers["part"].label == "Part I"
    assert (numbers["a2p2"].eid, numbers["a2p2"].label) == ("art_2__para_2", "Article 2.2")
    assert numbers["a2p2b"].eid == "art_2__para_2__subpara_b"
    assert numbers["a2p2b"].label == "Article 2.2(b)"


def test_deleting_an_article_renumbers_the_next_but_keeps_its_identity():
    before = number(
        [
            Node("a3", None, "article"),
            Node("a4", None, "article"),
            Node("a4p2", "a4", "paragraph"),
            Node("x", "a4", "paragraph"),
        ]
    )
    after = number([Node("a4", None, "article"), Node("a4p2", "a4", "paragraph")])
    assert before["a4"].label == "Article 2"
    assert after["a4"].label == "Article 1"
    assert after["a4p2"].label == "Article 1.1"


def test_roman_numerals_and_letters():
    assert [roman(n) for n in (1, 4, 9, 14, 40, 1999)] == ["I", "IV", "IX", "XIV", "XL", "MCMXCIX"]
    assert [letters(n) for n in (1, 26, 27)] == ["a", "z", "aa"]
