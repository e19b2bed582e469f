"""One number formatter: every role's digits, every notation, and one quantity read
the same in two views (ŷ in the sentence table and in the diagram's output unit)."""
import math

import numpy as np
import pytest
from PySide6.QtCore import Qt

from core.notation import MINUS, Notation, NumberRole, format_factor, format_number
from core.records import ForwardStep, UpdateStep

VALUE, DERIVATIVE = NumberRole.VALUE, NumberRole.DERIVATIVE
ITERATE, FULL = NumberRole.ITERATE, NumberRole.FULL
TEXT, COMPACT, LATEX = Notation.TEXT, Notation.COMPACT, Notation.LATEX
NAN, INF = float("nan"), float("inf")

ROWS = [
    # VALUE: 4 decimals below 1, 4 significant digits from 1, m×10ⁿ from 10⁶
    (0.37881, VALUE, TEXT, "0.3788"),
    (-0.098934, VALUE, TEXT, "−0.0989"),             # the real minus sign
    (0.5, VALUE, TEXT, "0.5"),                       # no trailing zeros …
    (0.99997, VALUE, TEXT, "1.0000"),                # … unless that claims a whole number
    (-0.99997, VALUE, TEXT, "−1.0000"),
    (2.453e-4, VALUE, TEXT, "0.0002"),               # fits a unit's disc
    (3e-7, VALUE, TEXT, "0.0000"),                   # tiny: rounded, not exactly 0
    (-3e-7, VALUE, TEXT, "0.0000"),                  # and no "−0.0000"
    (0.0, VALUE, TEXT, "0"),
    (-0.0, VALUE, TEXT, "0"),
    (3.0, VALUE, TEXT, "3"),                         # integer-valued: a count x, y
    (-123456.0, VALUE, TEXT, "−123456"),
    (2.7182818, VALUE, TEXT, "2.718"),
    (9.2103, VALUE, TEXT, "9.21"),
    (2.99996, VALUE, TEXT, "3.000"),
    (-123.456, VALUE, TEXT, "−123.5"),
    (12345.6, VALUE, TEXT, "12346"),                 # every integer digit below 10⁶
    (999_990.0, VALUE, TEXT, "999990"),
    (999_999.7, VALUE, TEXT, "1.000×10⁶"),           # rounds to a million
    (1234567.0, VALUE, TEXT, "1.235×10⁶"),           # huge
    (1e300, VALUE, TEXT, "1×10³⁰⁰"),
    (NAN, VALUE, TEXT, "undefined"),
    (INF, VALUE, TEXT, "∞"),
    (-INF, VALUE, TEXT, "−∞"),
    (None, VALUE, TEXT, "—"),
    # DERIVATIVE: as VALUE from 0.01 up; below, 4 significant digits as m×10ⁿ
    (0.14681, DERIVATIVE, TEXT, "0.1468"),
    (-0.0213, DERIVATIVE, TEXT, "−0.0213"),
    (-2.11, DERIVATIVE, TEXT, "−2.11"),
    (-18.948728903623977, DERIVATIVE, TEXT, "−18.95"),
    (401.05127109637596, DERIVATIVE, TEXT, "401.1"),
    (1.23456e-5, DERIVATIVE, TEXT, "1.235×10⁻⁵"),    # a small gradient never reads as 0
    (-0.0040637, DERIVATIVE, TEXT, "−4.064×10⁻³"),
    (-2.220446049250313e-16, DERIVATIVE, TEXT, "−2.22×10⁻¹⁶"),
    (0.0, DERIVATIVE, TEXT, "0"),
    (-0.0, DERIVATIVE, TEXT, "0"),
    (1.0, DERIVATIVE, TEXT, "1"),
    (2.5e7, DERIVATIVE, TEXT, "2.5×10⁷"),
    (NAN, DERIVATIVE, TEXT, "undefined"),
    (-INF, DERIVATIVE, TEXT, "−∞"),
    # ITERATE: 6 significant digits, so the lecture's digit doubling shows
    (0.09724764704478506, ITERATE, TEXT, "0.0972476"),
    (0.557849767087826, ITERATE, TEXT, "0.55785"),
    (0.567059890228799, ITERATE, TEXT, "0.56706"),
    (0.5671432904097838, ITERATE, TEXT, "0.567143"),
    (-0.2958368660043291, ITERATE, TEXT, "−0.295837"),
    (0.99999998, ITERATE, TEXT, "1.00000"),          # converging to 1, not at 1
    (0.05, ITERATE, TEXT, "0.05"),
    (0.0, ITERATE, TEXT, "0"),
    (-0.0, ITERATE, TEXT, "0"),
    (2.0, ITERATE, TEXT, "2"),
    (-1575.324187, ITERATE, TEXT, "−1575.32"),
    (1e-300, ITERATE, TEXT, "1×10⁻³⁰⁰"),
    (5.0000001e299, ITERATE, TEXT, "5.00000×10²⁹⁹"),
    (NAN, ITERATE, TEXT, "undefined"),
    (INF, ITERATE, TEXT, "∞"),
    # FULL: the shortest text that reads back as the same float (tooltips)
    (0.1 + 0.2, FULL, TEXT, "0.30000000000000004"),
    (-0.0001234567891, FULL, TEXT, "−0.0001234567891"),
    (1.5e-20, FULL, TEXT, "1.5×10⁻²⁰"),
    (3.0, FULL, TEXT, "3"),
    (0.0, FULL, TEXT, "0"),
    (-0.0, FULL, TEXT, "0"),
    (1e300, FULL, TEXT, "1×10³⁰⁰"),
    (NAN, FULL, TEXT, "undefined"),
    (-INF, FULL, TEXT, "−∞"),
    # COMPACT cells (the iteration table): the role's digits, a short e-form outside
    (-18.948728903623977, DERIVATIVE, COMPACT, "−18.95"),
    (6.568603660994654e-09, DERIVATIVE, COMPACT, "6.6e−9"),
    (-4.06372e-4, DERIVATIVE, COMPACT, "−4.1e−4"),
    (12345.6, DERIVATIVE, COMPACT, "1.2e4"),
    (9999.7, DERIVATIVE, COMPACT, "1.0e4"),
    (0.0, DERIVATIVE, COMPACT, "0"),
    (-0.0, DERIVATIVE, COMPACT, "0"),
    (NAN, DERIVATIVE, COMPACT, "undef."),
    (-INF, DERIVATIVE, COMPACT, "−∞"),
    (0.5671432838411802, ITERATE, COMPACT, "0.567143"),
    (1234567.8, ITERATE, COMPACT, "1.235e6"),
    (-1e-300, ITERATE, COMPACT, "−1e−300"),
    (3.0, ITERATE, COMPACT, "3"),
    # LATEX (the walk's numbers_latex): the same digits, an ASCII minus, \times 10^{n}
    (-0.098934, VALUE, LATEX, "-0.0989"),
    (3.0, VALUE, LATEX, "3"),
    (-0.0, VALUE, LATEX, "0"),
    (1.23456e-5, DERIVATIVE, LATEX, r"1.235 \times 10^{-5}"),
    (-2.5e7, DERIVATIVE, LATEX, r"-2.5 \times 10^{7}"),
    (0.0972476, ITERATE, LATEX, "0.0972476"),
    (NAN, VALUE, LATEX, r"\mathrm{undefined}"),
    (-INF, DERIVATIVE, LATEX, r"-\infty"),
    (INF, FULL, LATEX, r"\infty"),
]


@pytest.mark.parametrize("value, role, notation, expected", ROWS)
def test_format_number(value, role, notation, expected):
    assert format_number(value, role, notation) == expected


def test_every_role_and_notation_has_rows():
    assert {(r[1], r[2]) for r in ROWS} >= {(role, TEXT) for role in NumberRole}
    assert {r[2] for r in ROWS} == set(Notation)


def test_value_is_the_default_role_and_text_the_default_notation():
    assert format_number(-0.098934) == format_number(-0.098934, VALUE, TEXT) == "−0.0989"


@pytest.mark.parametrize("role", list(NumberRole))
def test_display_text_has_no_ascii_minus_and_latex_no_unicode_one(role):
    for value in (-0.3, -3e-7, -12345.6, -1e-300, -2.5e7, -INF):
        assert "-" not in format_number(value, role), (role, value)
        assert "-" not in format_number(value, role, COMPACT), (role, value)
        assert MINUS not in format_number(value, role, LATEX), (role, value)


def test_a_value_fits_a_unit_of_the_diagram_below_a_million():
    for value in [*np.logspace(-12, math.log10(999_999), 80), 999_999.4]:
        assert len(format_number(value)) <= 6 + (value >= 1e5), value
        assert len(format_number(-value)) <= 7, value


@pytest.mark.parametrize("role", [VALUE, DERIVATIVE, ITERATE])
def test_the_shown_digits_are_the_value_rounded(role):
    """Read back, a text is within half a unit of its last digit of the value."""
    from shown_numbers import half_unit, parse
    for value in [*np.logspace(-9, 9, 37), *-np.logspace(-7, 7, 29), 0.5671432904097838]:
        text = format_number(value, role)
        if text == "0.0000":
            assert abs(value) < 0.5e-4
            continue
        assert abs(parse(text) - value) <= half_unit(text) * (1 + 1e-9), (role, value, text)


def test_full_reads_back_exactly():
    from shown_numbers import parse
    for value in (0.1 + 0.2, -1.2339457598623172e-4, 6.02214076e23, 5e-324):
        assert parse(format_number(value, FULL)) == value


def test_a_factor_is_bracketed_only_when_negative():
    assert format_factor(-0.3788) == "(−0.3788)"
    assert format_factor(0.3788) == "0.3788"
    assert format_factor(-3e-7) == "0.0000"              # shown as 0: nothing to bracket
    assert format_factor(-1.2e-5, DERIVATIVE) == "(−1.2×10⁻⁵)"
    assert format_factor(-1.2e-5, DERIVATIVE, LATEX) == r"(-1.2 \times 10^{-5})"


# ---------------------------------------------------------------- one quantity, two views
def _table_y_hat(tab, row: int) -> str:
    model = tab.model
    return model.data(model.index(row, model.prediction_column), Qt.ItemDataRole.DisplayRole)


def _step_to(tab, wanted) -> object:
    while True:
        tab.classifier_actions.step.trigger()
        step = tab.stepper.current
        if wanted(step):
            return step


def test_y_hat_reads_the_same_in_the_sentence_table_and_the_diagram(classifier_tab):
    tab = classifier_tab
    """At rest, at the output unit's forward step and after the update, for every
    example of two epochs: the table's ŷ of the walked row is the diagram's ŷ (and
    the chain-rule panel's), digit for digit."""
    output = (len(tab.stepper.network.layer_sizes) - 1, 0)
    assert _table_y_hat(tab, tab.stepper.example) == tab.diagram.node_text(*output)[1] != ""
    rows = []
    for _ in range(2 * tab.model.rowCount()):
        step = _step_to(tab, lambda s: isinstance(s, ForwardStep) and s.is_output)
        row = tab.stepper.example
        shown = tab.diagram.node_text(*output)[1]
        assert shown == _table_y_hat(tab, row) == format_number(step.a, VALUE), row
        assert tab.chain_panel.value_text() == f"ŷ = {shown}"
        _step_to(tab, lambda s: isinstance(s, UpdateStep))       # new weights: both views follow
        assert tab.diagram.node_text(*output)[1] == _table_y_hat(tab, row), row
        rows.append(row)
    assert rows == [0, 1, 2, 3] * 2
