"""Small counts shown in public: below 10 they read "<10", and whatever would let a reader
work one out from a total is hidden too."""

from hypothesis import given
from hypothesis import strategies as st

from outreach.suppression import (
    HIDDEN,
    SMALL,
    ShownGroup,
    ShownTable,
    suppress_group,
    suppress_table,
)


def test_counts_of_ten_and_more_are_shown_as_they_are():
    assert suppress_group([12, 40, 0]) == ShownGroup(["12", "40", "0"], "52")


def test_a_count_below_ten_reads_less_than_ten_and_a_true_zero_stays_zero():
    assert suppress_group([3, 4, 0]) == ShownGroup([SMALL, SMALL, "0"], SMALL)
    assert suppress_group([0, 0]) == ShownGroup(["0", "0"], "0")


def test_the_smallest_other_count_is_hidden_so_the_total_does_not_give_a_small_one_away():
    assert suppress_group([40, 3, 12, 0, 15]) == ShownGroup(["40", SMALL, HIDDEN, "0", "15"], "70")


def test_two_small_counts_protect_each_other():
    assert suppress_group([40, 3, 2]) == ShownGroup(["40", SMALL, SMALL], "45")


def test_a_primary_suppression_in_one_row_forces_a_secondary_in_another_through_a_column():
    table = suppress_table([[20, 5, 30], [25, 40, 35]])
    assert table == ShownTable(
        cells=[[HIDDEN, SMALL, "30"], [HIDDEN, HIDDEN, "35"]],
        row_totals=["55", "100"],
        column_totals=["45", "45", "65"],
        total="155",
    )


def test_a_small_total_is_shown_as_less_than_ten():
    table = suppress_table([[3, 0], [0, 0]])
    assert table == ShownTable(
        cells=[[SMALL, "0"], ["0", "0"]],
        row_totals=[SMALL, "0"],
        column_totals=[SMALL, "0"],
        total=SMALL,
    )


def test_a_total_that_is_a_hidden_cell_itself_is_hidden():
    # One column: each row's total is its cell. The 15 hides the 4 in the column, and its
    # row's total would show it again.
    table = suppress_table([[4], [15], [30]])
    assert table == ShownTable(
        cells=[[SMALL], [HIDDEN], ["30"]],
        row_totals=[SMALL, HIDDEN, "30"],
        column_totals=["49"],
        total="49",
    )


def test_with_only_a_zero_beside_it_a_hidden_count_is_protected_by_hiding_the_total():
    # The 12 hides the 5 in the first row; in its column only a zero is beside it, and a
    # hidden zero protects nothing, so the column's total goes, and in turn the others'.
    table = suppress_table([[5, 12], [30, 0]])
    assert table == ShownTable(
        cells=[[SMALL, HIDDEN], [HIDDEN, "0"]],
        row_totals=[HIDDEN, HIDDEN],
        column_totals=[HIDDEN, HIDDEN],
        total="47",
    )


def recoverable(values: list[list[int]], shown: list[list[str]]) -> list[tuple[int, int]]:
    """The hidden places of the table with its margins (``values``, ``shown``: last row and
    column the totals) that one row's or column's total, less its shown parts, gives away to
    a reader who knows a ``"<10"`` is 1 to 9 and an ``"x"`` 10 or more."""
    found = []
    lines = [[(i, j) for j in range(len(values[0]))] for i in range(len(values))]
    lines += [[(i, j) for i in range(len(values))] for j in range(len(values[0]))]
    for line in lines:
        hidden = [place for place in line if shown[place[0]][place[1]] in (SMALL, HIDDEN)]
        if len(hidden) == 1:
            found.append(hidden[0])
            continue
        total = line[-1]
        if not hidden or total in hidden:
            continue
        rest = values[total[0]][total[1]] - sum(
            values[i][j] for i, j in line[:-1] if (i, j) not in hidden
        )
        small = [place for place in hidden if shown[place[0]][place[1]] == SMALL]
        large = len(hidden) - len(small)
        # Each small one is at most what is left once the others are at their least.
        most = rest - (len(small) - 1) - 10 * large
        if large and small and most <= 1:
            found.extend(small)
        elif not large:
            least = rest - 9 * (len(small) - 1)
            found.extend(small if min(9, most) == max(1, least) else [])
    return found


counts = st.integers(min_value=0, max_value=40) | st.integers(min_value=0, max_value=12)


@given(
    st.integers(min_value=1, max_value=5).flatmap(
        lambda columns: st.lists(
            st.lists(counts, min_size=columns, max_size=columns), min_size=1, max_size=5
        )
    )
)
def test_no_hidden_count_can_be_worked_out_from_a_shown_total(cells):
    table = suppress_table(cells)
    row_totals = [sum(row) for row in cells]
    column_totals = [sum(column) for column in zip(*cells, strict=True)]
    values = [[*row, total] for row, total in zip(cells, row_totals, strict=True)]
    values.append([*column_totals, sum(row_totals)])
    shown = [[*row, total] for row, total in zip(table.cells, table.row_totals, strict=True)]
    shown.append([*table.column_totals, table.total])
    assert recoverable(values, shown) == []
    for value_row, shown_row in zip(values, shown, strict=True):
        for value, display in zip(value_row, shown_row, strict=True):
            if 1 <= value < 10:
                assert display == SMALL
            elif display == SMALL:
                raise AssertionError(f"{value} shown as {SMALL}")
            elif display == HIDDEN:
                assert value >= 10  # what "x" tells a reader must be true
            else:
                assert display == str(value)


@given(st.lists(counts, min_size=1, max_size=8))
def test_no_hidden_count_of_a_list_can_be_worked_out_from_its_total(cells):
    group = suppress_group(cells)
    shown = [*group.cells, group.total]
    values = [*cells, sum(cells)]
    assert sum(display in (SMALL, HIDDEN) for display in shown) != 1
    for value, display in zip(values, shown, strict=True):
        assert display in (SMALL, HIDDEN) or display == str(value)
        assert (display == SMALL) == (1 <= value < 10)


def test_a_total_that_would_pin_a_count_of_one_beside_a_ten_is_hidden_too():
    # Shown "<10", "x", 11: a reader knowing "x" is 10 or more would get 1 and 10.
    assert suppress_group([1, 10]) == ShownGroup([SMALL, HIDDEN], HIDDEN)
    assert suppress_group([2, 10]) == ShownGroup([SMALL, HIDDEN], "12")  # 1 or 2: not pinned


def test_a_zero_is_never_hidden_to_protect_a_count():
    # A hidden zero beside a 3, out of 3, would still give the 3 away.
    assert suppress_group([3, 0, 20]) == ShownGroup([SMALL, "0", HIDDEN], "23")


def test_small_counts_that_could_only_be_nines_are_protected():
    assert suppress_group([9, 9, 30]) == ShownGroup([SMALL, SMALL, HIDDEN], "48")
