"""The order of results is one rule (``search.ranking``), whichever backend sorts."""

import struct

import pytest

from search import ranking
from search.analysis import query_words
from search.ranking import EXACT, FOLDED, TITLE, Condition


def float32(value):
    """``value`` as Elasticsearch keeps a score."""
    return struct.unpack("f", struct.pack("f", value))[0]


@pytest.mark.parametrize("exact_words", [1, 2, 4, 16])
def test_each_signal_outweighs_all_after_it_together(exact_words):
    """Ranks sort documents as their signals would, compared one after the other; with a
    relevance below 1 added, as Elasticsearch scores them, they still do."""
    weights = ranking.weights(exact_words)
    matches = [
        (exact_phrase, phrase, words, title, content, relevance)
        for exact_phrase in (1, 0)
        for phrase in (1, 0)
        for words in range(exact_words, -1, -1)
        for title in (1, 0)
        for content in (1, 0)
        for relevance in (0.95, 0.5, 0.0)
    ]

    def rank(match):
        signals = zip(ranking.SIGNALS, match[:-1], strict=True)
        return sum(weights[name] * value for name, value in signals)

    in_turn = sorted(matches, key=lambda match: tuple(-value for value in match))
    assert sorted(matches, key=lambda match: (-rank(match), -match[-1])) == in_turn
    assert sorted(matches, key=lambda match: -float32(rank(match) + match[-1])) == in_turn


def test_a_query_of_several_words_has_every_signal():
    assert ranking.signals(query_words("Gia đình")) == [
        ("exact_phrase", Condition(EXACT, (("gia", "đình"),))),
        ("phrase", Condition(FOLDED, (("gia", "dinh"),))),
        ("exact_words", Condition(EXACT, (("gia",),))),
        ("exact_words", Condition(EXACT, (("đình",),))),
        ("title", Condition(TITLE, (("gia",), ("dinh",)))),
    ]


def test_a_one_word_query_has_no_phrase_to_tell_matches_apart():
    clusters = ("សិ", "ទ្ធិ", "ម", "នុ", "ស្ស")
    assert ranking.signals(query_words("សិទ្ធិមនុស្ស")) == [
        ("exact_words", Condition(EXACT, (clusters,))),
        ("title", Condition(TITLE, (clusters,))),
    ]


def test_own_language_comes_first_then_rank_then_relevance():
    assert ranking.order(False, 1, 0.0, 2) < ranking.order(True, 50, 9.0, 1)
    assert ranking.order(False, 3, 0.0, 2) < ranking.order(False, 2, 9.0, 1)
    assert ranking.order(False, 3, 0.5, 2) < ranking.order(False, 3, 0.4, 1)
