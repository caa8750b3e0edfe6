"""Gathering what many saves ask for into one hand-over."""

import pytest

from cms.gathering import gather, gathered


def test_outside_a_block_nothing_is_gathered():
    handed = []
    assert gather("kind", [1], handed.append) is False
    assert handed == []


def test_a_block_hands_each_kind_over_once_in_the_order_first_given():
    handed = []
    with gathered():
        assert gather("a", [3, 1], lambda items: handed.append(("a", items)))
        with gathered():  # a block inside hands over with the outer one
            gather("b", [7], lambda items: handed.append(("b", items)))
            gather("a", [1, 2], lambda items: handed.append(("a again", items)))
        assert handed == []
    assert handed == [("a", [3, 1, 2]), ("b", [7])]


def test_a_block_that_fails_hands_nothing_over_and_the_next_starts_afresh():
    handed = []
    with pytest.raises(RuntimeError), gathered():
        gather("a", [1], handed.append)
        raise RuntimeError("the block fails")
    assert handed == []
    with gathered():
        gather("a", [2], handed.append)
    assert handed == [[2]]
