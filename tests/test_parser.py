"""The whitelist parser: what it accepts, what it refuses, and how fast."""
import math
import time
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.newton import FUNCTION_NAMES, Function, FunctionSyntaxError, parse_function

# SymPy is imported on the first parse and lambdify on the first call: pay both
# here so the timed tests below measure parsing, not imports.
parse_function("sin(x) + 1")(np.zeros(2))

E = math.e

VALID = [
    ("exp(x) - ln(x)", 0.5, math.exp(0.5) - math.log(0.5)),
    ("e^x - log(x)", 0.5, math.exp(0.5) - math.log(0.5)),
    ("x^3 - 2*x + 2", 1.5, 1.5 ** 3 - 3 + 2),
    ("sqrt(1 + x^2)", 2.0, math.sqrt(5)),
    ("atan(x)", 1.0, math.pi / 4),
    ("arctan(x)", 1.0, math.pi / 4),
    ("cbrt(x)", -8.0, -2.0),
    ("cbrt(x)", 27.0, 3.0),
    ("2x", 3.0, 6.0),
    ("3(x+1)", 2.0, 9.0),
    ("2 sin(x)", 1.0, 2 * math.sin(1)),
    ("(x+1)(x-1)", 3.0, 8.0),
    ("x^-1", 4.0, 0.25),
    ("-x^2", 3.0, -9.0),
    ("2^3^2", 0.0, 512.0),
    ("2**3**2", 0.0, 512.0),
    ("(2^3)^2", 0.0, 64.0),
    ("sigmoid(0)", 7.0, 0.5),
    ("sigmoid(x)", 2.0, 1 / (1 + math.exp(-2))),
    ("pi", 1.0, math.pi),
    ("e", 1.0, E),
    ("1e-3x", 2.0, 0.002),
    (".5x", 4.0, 2.0),
    ("2e3", 0.0, 2000.0),
    ("log10(x)", 1000.0, 3.0),
    ("abs(x)", -2.5, 2.5),
    ("tanh(x) + cosh(x) - sinh(x)", 0.3, math.tanh(0.3) + math.exp(-0.3)),
    ("asin(x) + acos(x)", 0.3, math.pi / 2),
    ("arcsin(x)*arccos(x)", 0.5, math.asin(0.5) * math.acos(0.5)),
    ("tan(x)/cos(x)", 0.4, math.tan(0.4) / math.cos(0.4)),
    ("x/2/2", 8.0, 2.0),
    ("x - 1 - 1", 5.0, 3.0),
    ("+x", 5.0, 5.0),
    ("--x", 5.0, 5.0),
    ("3 − x·2", 1.0, 1.0),           # pasted Unicode minus and middle dot
    ("x²", 3.0, 9.0),
    ("2π", 0.0, 2 * math.pi),
    ("  x  ", 1.5, 1.5),
]


@pytest.mark.parametrize("text, x, expected", VALID)
def test_valid_inputs_have_the_expected_value(text, x, expected):
    f = parse_function(text)
    assert isinstance(f, Function)
    assert f.text == text
    assert f(x) == pytest.approx(expected, rel=1e-12, abs=1e-12)


def test_scalars_give_python_floats_and_arrays_give_float_arrays():
    f = parse_function("x^2")
    assert type(f(3)) is float
    assert type(f(np.float32(3))) is float
    out = f(np.array([[1, 2], [3, 4]]))
    assert out.dtype == np.float64 and out.shape == (2, 2)
    assert out.tolist() == [[1.0, 4.0], [9.0, 16.0]]
    constant = parse_function("pi")
    assert constant.is_constant and not f.is_constant
    assert constant(np.zeros(3)).tolist() == [math.pi] * 3


def test_undefined_points_are_nan_without_warnings_or_complex_numbers():
    x = np.array([-2.0, -1.0, 0.0, 0.5, 2.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for text, undefined in [("ln(x)", [0, 1, 2]), ("sqrt(x)", [0, 1]), ("1/x", [2]),
                                ("asin(x)", [0, 4]), ("x^0.5", [0, 1]), ("x^(1/3)", [0, 1]),
                                ("log10(x)", [0, 1, 2]), ("exp(1000 x)", [4])]:
            values = parse_function(text)(x)
            assert values.dtype == np.float64, text
            assert np.flatnonzero(np.isnan(values)).tolist() == undefined, text
        assert math.isnan(parse_function("ln(x)")(-1.0))
        assert math.isnan(parse_function("1/x")(0.0))
        assert parse_function("1/x").evaluate(0.0) == math.inf      # evaluate keeps poles
        assert parse_function("cbrt(x)")(-27.0) == pytest.approx(-3.0)   # real cube root


DERIVATIVES = [
    ("exp(x) - ln(x)", [0.05, 0.5, 2.0]),
    ("x^3 - 2x + 2", [-1.0, 0.0, 2.0]),
    ("sqrt(1 + x^2)", [-2.0, 0.3]),
    ("atan(x)", [-1.0, 1.5]),
    ("cbrt(x)", [-8.0, 1.0, 8.0]),
    ("sigmoid(x)", [-3.0, 0.0, 2.0]),
    ("x*exp(-x)", [0.5, 2.0]),
    ("abs(x)", [-1.0, 2.0]),
    ("log10(x) + tanh(x)", [0.5, 3.0]),
    ("asin(x) + acos(x/2) + tan(x)", [0.2, -0.4]),
    ("sinh(x) cosh(x)", [0.7]),
]


def _central_difference(f, x, h=1e-6):
    h = h * max(1.0, abs(x))
    return (f(x + h) - f(x - h)) / (2 * h)


@pytest.mark.parametrize("text, points", DERIVATIVES)
def test_derivative_matches_finite_differences(text, points):
    f = parse_function(text)
    df = f.derivative()
    assert f.derivative() is df          # cached
    for x in points:
        assert df(x) == pytest.approx(_central_difference(f, x), rel=1e-6, abs=1e-7)
        assert df.derivative()(x) == pytest.approx(_central_difference(df, x), rel=1e-5, abs=1e-6)


def test_cube_root_derivative_is_real_on_both_sides():
    df = parse_function("cbrt(x)").derivative()
    # (1/3)|x|^(-2/3)
    assert df(-8.0) == pytest.approx(1 / 12)
    assert df(8.0) == pytest.approx(1 / 12)
    assert parse_function("cbrt(x)").derivative().derivative()(-8.0) == pytest.approx(2 / 9 / 32)


@pytest.mark.parametrize("text", ["exp(x) - ln(x)", "x^3 - 2x + 2", "sqrt(1 + x^2)",
                                  "atan(x)", "cbrt(x)", "sigmoid(x)", "log10(x)", "1e-3x"])
def test_derivative_text_reads_back_as_the_same_function(text):
    df = parse_function(text).derivative()
    again = parse_function(df.text)
    xs = np.array([0.3, 1.7, 2.5])
    np.testing.assert_allclose(again(xs), df(xs), rtol=1e-12)


def test_latex_is_typeset_by_matplotlib_mathtext():
    from matplotlib.mathtext import MathTextParser
    mathtext = MathTextParser("path")
    texts = [f"{name}(x)" for name in FUNCTION_NAMES] + ["exp(x) - ln(x)", "abs(x)"]
    for text in texts:
        f = parse_function(text)
        for g in (f, f.derivative(), f.derivative().derivative()):
            tex = g.latex()
            assert r"\operatorname" not in tex
            mathtext.parse(f"${tex}$")     # raises ValueError on anything it cannot typeset
    assert parse_function("e^x - log(x)").latex() == r"e^{x} - \ln{\left(x \right)}"
    assert parse_function("cbrt(x)").latex() == r"\sqrt[3]{x}"
    assert parse_function("sigmoid(x)").latex() == r"\sigma\left(x\right)"


REFUSED = [
    # text, words the message must contain, 0-based column
    ("y", "Unknown name 'y'", 0),
    ("x + y", "Unknown name 'y'", 4),
    ("Sin(x)", "Unknown name 'Sin'", 0),
    ("__import__('os')", "Unknown name '__import__'", 0),
    ("x.real", "Unexpected character '.'", 1),
    ("lambda x: x", "Unknown name 'lambda'", 0),
    ("'abc'", "Unexpected character", 0),
    ("2 +", "ends too early", 3),
    ("x^", "ends too early", 2),
    ("((((", "ends too early", 4),
    ("(x+1", "Missing ')'", 4),
    ("sin(x", "Missing ')'", 5),
    ("x+1)", "Unexpected ')'", 3),
    ("", "Type a function", 0),
    ("   ", "Type a function", 0),
    ("sin x", "sin(...)", 4),
    ("2 3", "Missing operator", 2),
    ("*x", "Unexpected '*'", 0),
    ("log(x, 10)", "Unexpected character ','", 5),
    ("1/0", "Division by zero", 1),
    ("x/(x-x)", "Division by zero", 1),
    ("0^-1", "Division by zero", 1),
    ("ln(-1)", "not defined", 0),
    ("sqrt(-4)", "not defined", 0),
    ("(-8)^(1/3)", "not real", 4),
    ("9^9^9^9", "Exponent too large", 3),
    ("10^10^10", "Exponent too large", 2),
    ("x**x**x**x**99999", "Exponent too large", 10),
    ("exp(exp(exp(1000)))", "Number too large", 8),
    ("(10x)^1000", "Number too large", 5),
    ("1e999", "Number too large", 0),
    ("2^1000", "Number too large", 1),
    ("1e300*x*1e300", "Number too large", 7),
    ("1e-400*x", "Number too small", 0),         # reads as 0 in floats: f ≡ 0 "converged" anywhere
    ("1e-400", "Number too small", 0),
    ("1e-200*1e-200*x", "Number too small", 6),
    ("(1/3)^1000", "Number too small", 5),
    ("exp(-1000)*x", "Number too small", 0),
    ("x⁻", "superscript sign needs superscript digits", 1),
    ("(" * 101 + "x" + ")" * 101, "Too deeply nested", 100),
    ("-" * 101 + "x", "Too deeply nested", 100),
    ("x" * 5000, "Too long", 1000),
]


@pytest.mark.parametrize("text, words, column", REFUSED)
def test_bad_input_is_refused_quickly_with_a_column(text, words, column):
    start = time.perf_counter()
    with pytest.raises(FunctionSyntaxError) as caught:
        parse_function(text)
    assert time.perf_counter() - start < 0.2
    error = caught.value
    assert isinstance(error, ValueError)
    assert words in error.message
    assert error.column == column
    assert str(error) == f"{error.message} at column {column + 1}"


def test_nesting_up_to_the_limit_is_accepted():
    assert parse_function("(" * 99 + "x" + ")" * 99)(2.0) == 2.0
    assert parse_function("-" * 99 + "x")(2.0) == -2.0


@pytest.mark.parametrize("text", ["sin(" * 99 + "x" + ")" * 99,
                                  "sqrt(1+" * 20 + "x" + ")" * 20,
                                  "*".join(f"(x+{i})" for i in range(1, 40)),
                                  "x^" * 20 + "x"])
def test_functions_too_costly_to_differentiate_are_refused_quickly(text):
    # Left alone, SymPy takes 10 s and more for the second derivatives of these.
    start = time.perf_counter()
    with pytest.raises(FunctionSyntaxError, match="Too complicated"):
        parse_function(text)
    assert time.perf_counter() - start < 0.2


@pytest.mark.parametrize("text", ["sigmoid(" * 12 + "x" + ")" * 12, "x^" * 8 + "x",
                                  "sqrt(1+" * 8 + "x" + ")" * 8,
                                  "+".join(f"sin({i}x)" for i in range(1, 40)),
                                  "sin(sin(sin(sin(sin(x)))))"])
def test_accepted_functions_give_both_derivatives_in_reasonable_time(text):
    start = time.perf_counter()
    f = parse_function(text)
    second = f.derivative().derivative()
    values = second(np.linspace(0.1, 1, 5))
    second.latex()
    assert time.perf_counter() - start < 2.0     # about 0.4 s here; the budget leaves room
    assert np.isfinite(values).all()


@pytest.mark.parametrize("text", ["x^1000", "exp(x)^1000", "(x+1)^1000*(x+2)^1000",
                                  "sin(10^300)", "(1/3)^300", "x^x^x^x^x",
                                  "x*" * 400 + "x", "x+" * 400 + "x", "exp(exp(exp(x)))",
                                  "sigmoid(-1000 x)"])
def test_big_but_legal_inputs_are_fast_and_evaluate_to_floats(text):
    start = time.perf_counter()
    f = parse_function(text)
    values = f(np.linspace(-3, 3, 13))
    f.derivative()(np.linspace(-3, 3, 13))
    assert time.perf_counter() - start < 0.5
    assert values.dtype == np.float64 and values.shape == (13,)
    assert not np.isinf(values).any()


# -- property tests -----------------------------------------------------------

def _check_any(text):
    try:
        f = parse_function(text)
    except FunctionSyntaxError as error:
        assert 0 <= error.column <= len(text)
        assert error.message and "\n" not in error.message
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        values = f(np.linspace(-4, 4, 9))
    assert values.dtype == np.float64 and values.shape == (9,)
    assert not np.isinf(values).any()
    return f


@settings(max_examples=300, deadline=200)
@given(st.text(max_size=60))
def test_any_text_is_accepted_or_refused_quickly(text):
    _check_any(text)


_VOCABULARY = ["x", "x", "2", "0", "1.5", ".5", "1e3", "9", "e", "pi", "+", "-", "*", "/",
               "^", "**", "(", "(", ")", ")", " "] + [f"{name}(" for name in FUNCTION_NAMES]


@settings(max_examples=500, deadline=200, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_VOCABULARY), max_size=40).map("".join))
def test_text_from_the_allowed_alphabet_is_accepted_or_refused_quickly(text):
    _check_any(text)


def _expressions():
    leaves = st.sampled_from(["x", "2", "0.5", "3", "e", "pi", "1e-2"])

    def extend(inner):
        return st.one_of(
            st.tuples(inner, st.sampled_from(["+", "-", "*", "/", "^"]), inner).map(
                lambda t: f"({t[0]}){t[1]}({t[2]})"),
            st.tuples(st.sampled_from(FUNCTION_NAMES), inner).map(lambda t: f"{t[0]}({t[1]})"),
            inner.map(lambda s: f"-{s}"),
            inner.map(lambda s: f"2{s}" if s[0] in "(xep" else f"2*{s}"),
        )
    return st.recursive(leaves, extend, max_leaves=12)


@settings(max_examples=300, deadline=200)
@given(_expressions())
def test_well_formed_expressions_are_accepted_unless_a_number_is_out_of_range(text):
    try:
        f = parse_function(text)
    except FunctionSyntaxError as error:
        # Only numeric reasons may refuse a well-formed expression.
        assert any(words in error.message for words in
                   ("Number too large", "Number too small", "Division by zero",
                    "not defined", "not real",
                    "Exponent too large", "not a real number", "Too complicated")), \
            (text, error.message)
        return
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        values = f(np.linspace(-2, 2, 7))
        slopes = f.derivative()(np.linspace(-2, 2, 7))
    assert values.dtype == np.float64 and slopes.dtype == np.float64


# -- across processes -----------------------------------------------------------

def test_functions_pickle_with_their_derivatives_and_domain():
    # A parse in a child process (with a deadline) can send its result back whole.
    import pickle
    import subprocess
    import sys
    from pathlib import Path

    f = parse_function("abs(cbrt(x)) + sigmoid(tanh(x^x)) + exp(ln(x))")
    second = f.derivative().derivative()
    second(0.5)                                    # compiled code is not pickled
    copy = pickle.loads(pickle.dumps(f))
    assert copy._derivative is not None and copy._derivative._derivative is not None
    assert copy.derivative().derivative()(0.5) == second(0.5)
    assert math.isnan(copy(-1.0))                  # the ln(x) domain survives
    code = ("import pickle, sys; g = pickle.loads(sys.stdin.buffer.read()); "
            "print(repr(g.derivative().derivative()(0.5)))")
    out = subprocess.run([sys.executable, "-c", code], input=pickle.dumps(f),
                         capture_output=True, cwd=Path(__file__).resolve().parent.parent,
                         timeout=60)
    assert out.returncode == 0, out.stderr
    assert float(out.stdout) == second(0.5)
