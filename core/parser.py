"""Typed functions of x: a whitelist parser that builds SymPy expressions.

``parse_function("e^x - ln(x)")`` reads the text with its own tokenizer and a
recursive-descent parser; every token is checked against a fixed list of
operators, functions and constants, and SymPy objects are built directly from
those tokens.  The text is never handed to ``eval``, ``exec``, ``sympify`` or
``parse_expr``.

Grammar, loosest binding first::

    sum      := product (("+" | "-") product)*
    product  := signed (("*" | "/") signed | power)*    # a bare power: implicit product, 2x
    signed   := ("+" | "-") signed | power             # -x^2 is -(x^2)
    power    := primary (("^" | "**") signed)?         # right-associative: 2^3^2 = 2^9
    primary  := number | "x" | "e" | "pi" | name "(" sum ")" | "(" sum ")"

Every constant sub-expression is also evaluated as a float on the way up, so
that ``9^9^9^9`` or ``exp(exp(1000))`` is refused before SymPy tries to build
a number with millions of digits.

SymPy is imported on first use, not at import time: it costs about a second
and the app's start-up should not pay for it.
"""
from __future__ import annotations

import contextlib
import functools
import math
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np

__all__ = ["FunctionSyntaxError", "Function", "parse_function", "FUNCTION_NAMES",
           "CONSTANT_NAMES", "MAX_LENGTH", "MAX_DEPTH", "MAX_EXPONENT", "MAX_MAGNITUDE",
           "MIN_MAGNITUDE", "MAX_DIFF_COST"]

MAX_LENGTH = 1000        # characters of typed text
MAX_DEPTH = 100          # nesting of brackets, signs and powers
MAX_EXPONENT = 1000      # |p| of a constant exponent on a base other than 0, 1, -1
MAX_MAGNITUDE = 1e300    # |value| of any constant sub-expression
MIN_MAGNITUDE = 1e-300   # |value| of a non-zero constant: smaller ones lose digits or read as 0
MAX_DIFF_COST = 2500     # estimated size of f'' (see _derivative_cost): ~0.5 s of SymPy here

FUNCTION_NAMES = ("exp", "log", "ln", "log10", "sqrt", "cbrt", "abs", "sin", "cos", "tan",
                  "asin", "acos", "atan", "arcsin", "arccos", "arctan",
                  "sinh", "cosh", "tanh", "sigmoid")
CONSTANT_NAMES = ("e", "pi")

# Typographic characters people paste from slides, read as their ASCII meaning.
_LOOKALIKES = {"\u2212": "-", "\u2013": "-", "\u00d7": "*", "\u00b7": "*", "\u22c5": "*",
               "\u2217": "*", "\u00f7": "/", "\u03c0": "pi"}
# x² reads as x^2, x²² as x^22 (a run of superscript digits is one exponent), x⁻¹ as x^-1.
_SUPERSCRIPTS = {"\u2070": "0", "\u00b9": "1", "\u00b2": "2", "\u00b3": "3", "\u2074": "4",
                 "\u2075": "5", "\u2076": "6", "\u2077": "7", "\u2078": "8", "\u2079": "9"}
_SUPERSCRIPT_SIGNS = {"\u207b": "-", "\u207a": "+"}
_NUMBER = re.compile(r"(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_TOO_SMALL = f"Number too small (non-zero numbers must be at least {MIN_MAGNITUDE:g} in size)"


class FunctionSyntaxError(ValueError):
    """The typed text is not a function we accept.

    ``message`` is a short sentence for people; ``column`` is the 0-based index
    of the offending character in the text (len(text) when the text ended too
    early).  ``str()`` reads "<message> at column <column + 1>", counting
    columns from 1 as people do.
    """

    def __init__(self, message: str, column: int):
        self.message = message
        self.column = column
        super().__init__(f"{message} at column {column + 1}")


@dataclass(frozen=True)
class _Token:
    kind: str      # "number", "name", "op", "(", ")" or "end"
    text: str
    column: int


def _tokenize(text: str):
    """Yield the tokens of text, lazily, so the leftmost problem is reported first."""
    i = 0
    while i < len(text):
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        ch = _LOOKALIKES.get(ch, ch)
        if ch == "pi":
            yield _Token("name", "pi", i)
            i += 1
        elif ch in _SUPERSCRIPTS or ch in _SUPERSCRIPT_SIGNS:
            start = i
            yield _Token("op", "^", i)
            if ch in _SUPERSCRIPT_SIGNS:
                yield _Token("op", _SUPERSCRIPT_SIGNS[ch], i)
                i += 1
            digits = ""
            while i < len(text) and text[i] in _SUPERSCRIPTS:
                digits += _SUPERSCRIPTS[text[i]]
                i += 1
            if not digits:
                raise FunctionSyntaxError("A superscript sign needs superscript digits after it",
                                          start)
            yield _Token("number", digits, start)
        elif ch == "*" and text[i + 1:i + 2] == "*":
            yield _Token("op", "^", i)
            i += 2
        elif ch in "+-*/^":
            yield _Token("op", ch, i)
            i += 1
        elif ch in "()":
            yield _Token(ch, ch, i)
            i += 1
        elif (m := _NUMBER.match(text, i)) is not None:
            yield _Token("number", m.group(), i)
            i = m.end()
        elif (m := _NAME.match(text, i)) is not None:
            yield _Token("name", m.group(), i)
            i = m.end()
        else:
            raise FunctionSyntaxError(f"Unexpected character {text[i]!r}", i)
    yield _Token("end", "", len(text))


@contextlib.contextmanager
def _room_to_recurse(limit: int = 6000):
    """SymPy recurses ~10 Python frames per level of nesting (in diff, printing,
    lambdify): 100 levels need more than Python's default 1000 frames."""
    old = sys.getrecursionlimit()
    if old < limit:
        sys.setrecursionlimit(limit)
    try:
        yield
    finally:
        if old < limit:
            sys.setrecursionlimit(old)


@functools.cache
def _sympy():
    """Import SymPy and define the two functions it lacks, once."""
    import sympy as sp

    class cbrt(sp.Function):
        """Real cube root: cbrt(-8) = -2 (SymPy's x**(1/3) is complex for x < 0)."""
        nargs = 1

        @classmethod
        def eval(cls, arg):
            if arg.is_Number:
                return sp.real_root(arg, 3)

        def fdiff(self, argindex=1):
            # d/dx x^(1/3) = 1/(3 x^(2/3)) = (1/3)|x|^(-2/3): cbrt(x)^2 is real and >= 0.
            return 1 / (3 * cbrt(self.args[0]) ** 2)

        def _eval_is_extended_real(self):
            return self.args[0].is_extended_real

        def _eval_is_finite(self):
            return self.args[0].is_finite

        def _latex(self, printer, exp=None):
            tex = rf"\sqrt[3]{{{printer._print(self.args[0])}}}"
            return tex if exp is None else rf"\left({tex}\right)^{{{exp}}}"

    class sigmoid(sp.Function):
        """The logistic function σ(x) = 1 / (1 + e^(−x)) of the lecture."""
        nargs = 1

        @classmethod
        def eval(cls, arg):
            if arg.is_zero:
                return sp.Rational(1, 2)

        def fdiff(self, argindex=1):
            return sigmoid(self.args[0]) * (1 - sigmoid(self.args[0]))

        def _eval_is_extended_real(self):
            return self.args[0].is_extended_real

        def _latex(self, printer, exp=None):
            tex = rf"\sigma\left({printer._print(self.args[0])}\right)"
            return tex if exp is None else rf"{tex}^{{{exp}}}"

    # SymPy's sinh, cosh and tanh decide whether they are real by splitting their
    # argument into real and imaginary parts and reducing modulo π with polynomial
    # gcds: exponential in the nesting (tanh(tanh(…(x^x)…)) took 3.5 s at 8 levels).
    # A real argument makes them real; anything else is left undecided, cheaply.
    def _real_facts(odd: bool):
        """Cheap assumption methods for sinh/tanh (odd) or cosh (even)."""
        def real(self):
            return True if self.args[0].is_extended_real else None

        def finite(self):
            return True if self.args[0].is_real else None

        def same_sign(fact):
            def method(self):
                arg = self.args[0]
                return getattr(arg, fact) if arg.is_extended_real else None
            return method

        def even(fact):
            def method(self):
                return fact if self.args[0].is_extended_real else None
            return method

        facts = {"_eval_is_real": real, "_eval_is_extended_real": real,
                 "_eval_is_finite": finite}
        if odd:
            facts |= {"_eval_is_positive": same_sign("is_positive"),
                      "_eval_is_negative": same_sign("is_negative"),
                      "_eval_is_zero": same_sign("is_zero")}
        else:
            facts |= {"_eval_is_positive": even(True), "_eval_is_nonnegative": even(True),
                      "_eval_is_zero": even(False)}
        return facts

    def _sinh_fdiff(self, argindex=1):
        return cosh(self.args[0])

    def _cosh_fdiff(self, argindex=1):
        return sinh(self.args[0])

    def _tanh_fdiff(self, argindex=1):
        return 1 - tanh(self.args[0]) ** 2

    # SymPy's sinh, cosh and tanh decide whether they are real, finite or positive
    # by splitting their argument into real and imaginary parts and reducing modulo
    # π with polynomial gcds: exponential in the nesting (tanh(tanh(…(x^x)…)) took
    # 3.5 s at 8 levels).  A real argument settles those facts; anything else is left
    # undecided, cheaply.  Derivatives stay in these classes.
    sinh = type("sinh", (sp.sinh,), {"fdiff": _sinh_fdiff, **_real_facts(odd=True)})
    cosh = type("cosh", (sp.cosh,), {"fdiff": _cosh_fdiff, **_real_facts(odd=False)})
    tanh = type("tanh", (sp.tanh,), {"fdiff": _tanh_fdiff, **_real_facts(odd=True)})

    class sign(sp.sign):
        """sign(u) of a real function u: its derivative is 2δ(u)·u′ (0 away from u = 0)."""

        def _eval_derivative(self, s):
            arg = self.args[0]
            return 2 * sp.Derivative(arg, s, evaluate=True) * sp.DiracDelta(arg)

    class Abs(sp.Abs):
        """|u| for a real function u: d|u|/dx = sign(u)·u′ wherever u is real.

        SymPy's own Abs, unsure whether u = ln(x) or x^x is real, differentiates
        through re(u) and im(u) and leaves unevaluated Derivative(re(…)) terms that
        are NaN everywhere.  Where u is not real the typed function has no value
        anyway, so the real rule is the right one on the whole domain."""

        def _eval_derivative(self, s):
            arg = self.args[0]
            return sp.Derivative(arg, s, evaluate=True) * sign(arg)

    x = sp.Symbol("x", real=True)
    functions = {
        "exp": sp.exp, "log": sp.log, "ln": sp.log, "log10": lambda a: sp.log(a, 10),
        "sqrt": sp.sqrt, "cbrt": cbrt, "abs": Abs,
        "sin": sp.sin, "cos": sp.cos, "tan": sp.tan,
        "asin": sp.asin, "acos": sp.acos, "atan": sp.atan,
        "arcsin": sp.asin, "arccos": sp.acos, "arctan": sp.atan,
        "sinh": sinh, "cosh": cosh, "tanh": tanh, "sigmoid": sigmoid,
    }
    # Pickle finds these classes as core.parser._sympy_class_<name> (see __getattr__
    # below), so expressions and Functions can cross to and from a child process.
    for cls in (cbrt, sigmoid, sinh, cosh, tanh, sign, Abs):
        cls.__module__ = __name__
        cls.__qualname__ = _CLASS_PREFIX + cls.__name__
        _CLASSES[cls.__qualname__] = cls
    return sp, x, functions


_CLASS_PREFIX = "_sympy_class_"
_CLASSES: dict[str, type] = {}


def __getattr__(name: str):
    """The SymPy classes defined on first use, by the names pickle asks for."""
    if name.startswith(_CLASS_PREFIX):
        _sympy()
        if name in _CLASSES:
            return _CLASSES[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _float_function(name: str, v: float) -> float:
    """The float value of a whitelisted function at a constant (raises ValueError
    outside its domain, OverflowError when too large)."""
    if name in ("log", "ln", "log10"):
        if v <= 0:
            raise ValueError
        return math.log(v) if name != "log10" else math.log10(v)
    if name == "cbrt":
        return math.copysign(abs(v) ** (1 / 3), v)
    if name == "sigmoid":
        return 0.5 * (1 + math.tanh(v / 2))
    table: dict[str, Callable[[float], float]] = {
        "exp": math.exp, "sqrt": math.sqrt, "abs": abs, "sin": math.sin, "cos": math.cos,
        "tan": math.tan, "asin": math.asin, "acos": math.acos, "atan": math.atan,
        "arcsin": math.asin, "arccos": math.acos, "arctan": math.atan, "sinh": math.sinh,
        "cosh": math.cosh, "tanh": math.tanh}
    return table[name](v)


class _Parser:
    """Recursive descent over the tokens; every node is (sympy_expr, float | None),
    the float being the node's value when it does not depend on x."""

    def __init__(self, text: str):
        self.text = text
        self.tokens = _tokenize(text)
        self.tok = next(self.tokens)
        self.depth = 0
        # (condition, u, node): the typed text needs u > 0, u >= 0, u != 0 or |u| <= 1
        # for node to exist; kept where SymPy's rewriting drops node (exp(ln x) = x)
        self.guards: list[tuple[str, Any, Any]] = []
        self.sp, self.x, self.functions = _sympy()

    # -- helpers ------------------------------------------------------------
    def advance(self) -> _Token:
        tok = self.tok
        if tok.kind != "end":
            self.tok = next(self.tokens)
        return tok

    def fail(self, message: str, column: int):
        raise FunctionSyntaxError(message, column)

    def checked(self, value: float, column: int, nonzero: bool = False) -> float:
        """value, unless it is beyond the float range either way; ``nonzero`` says the
        exact value cannot be 0 (a product of non-zero numbers, e^v), so a 0 here is
        an underflow."""
        if not math.isfinite(value) or abs(value) > MAX_MAGNITUDE:
            self.fail("Number too large", column)
        if (value == 0 and nonzero) or 0 < abs(value) < MIN_MAGNITUDE:
            self.fail(_TOO_SMALL, column)
        return value

    # -- grammar ------------------------------------------------------------
    def parse(self):
        if self.tok.kind == "end":
            self.fail("Type a function of x, e.g. x^2 - 2", 0)
        node = self.sum()
        tok = self.tok
        if tok.kind == ")":
            self.fail("Unexpected ')' with no matching '('", tok.column)
        if tok.kind != "end":
            self.fail(f"Unexpected {tok.text!r}", tok.column)
        return node

    def sum(self):
        # Terms are collected and added once: SymPy re-sorts a sum on every "+",
        # which would make a long sum quadratic.
        expr, value = self.product()
        terms = [expr]
        while self.tok.kind == "op" and self.tok.text in "+-":
            op = self.advance()
            term, term_value = self.product()
            terms.append(term if op.text == "+" else -term)
            if value is not None and term_value is not None:
                value = self.checked(value + term_value if op.text == "+" else value - term_value,
                                     op.column)
            else:
                value = None
        return (terms[0] if len(terms) == 1 else self.sp.Add(*terms)), value

    def product(self):
        expr, value = self.signed()
        factors, column = [expr], self.tok.column
        while True:
            tok = self.tok
            if tok.kind == "op" and tok.text in "*/":
                self.advance()
                factor, factor_value = self.signed()
            elif tok.kind in ("name", "("):
                # Implicit product: 2x, 3(x+1), 2 sin(x), (x+1)(x-1).
                factor, factor_value = self.power()
            elif tok.kind == "number":
                self.fail(f"Missing operator before {tok.text!r}", tok.column)
            else:
                break
            column = tok.column
            divide = tok.text == "/"
            if divide and (factor_value == 0 or factor.is_zero):
                self.fail("Division by zero", column)
            if divide:
                denominator, factor = factor, self.sp.Pow(factor, -1)
                if factor_value is None:
                    self.guards.append(("nonzero", denominator, factor))
            factors.append(factor)
            if value is not None and factor_value is not None:
                value = self.checked(value / factor_value if divide else value * factor_value,
                                     column, nonzero=value != 0 and factor_value != 0)
            else:
                value = None
        if len(factors) == 1:
            return expr, value
        expr = self.sp.Mul(*factors)
        if value is None and expr.is_Mul and abs(expr.as_coeff_Mul()[0]) > MAX_MAGNITUDE:
            self.fail("Number too large", column)
        if value is None:
            self.check_coefficients(expr, column)
        return expr, value

    def check_coefficients(self, expr, column):
        """Refuse a product whose numeric factor floats cannot hold: x·1e-200·1e-200 is
        1e-400·x, which reads as 0·x (a "root" everywhere).  SymPy multiplies a number
        into a sum, so 1e-200·(1e-200·x + 1) is checked term by term.  A factor that
        folds into a power of x keeps its value and is accepted: (x/100)^200."""
        for term in (expr.args if expr.is_Add else (expr,)):
            if not term.is_Mul:
                continue
            c = term.as_coeff_Mul()[0]
            if _extreme(c) and _fold_coefficient(term) is term:
                if abs(c) > MAX_MAGNITUDE:
                    self.fail("Number too large", column)
                self.fail(_TOO_SMALL, column)

    def signed(self):
        tok = self.tok
        self.depth += 1
        if self.depth > MAX_DEPTH:
            self.fail(f"Too deeply nested (at most {MAX_DEPTH} levels)", tok.column)
        if tok.kind == "op" and tok.text in "+-":
            self.advance()
            expr, value = self.signed()
            if tok.text == "-":
                expr, value = -expr, (-value if value is not None else None)
            node = (expr, value)
        else:
            node = self.power()
        self.depth -= 1
        return node

    def power(self):
        base = self.primary()
        if self.tok.kind == "op" and self.tok.text == "^":
            op = self.advance()
            return self.raise_to(base, self.signed(), op.column)
        return base

    def primary(self):
        tok = self.advance()
        sp = self.sp
        if tok.kind == "number":
            exact = Decimal(tok.text)
            value = self.checked(float(tok.text), tok.column, nonzero=exact != 0)
            if "." in tok.text or exact != exact.to_integral_value():
                return sp.Float(tok.text, 15), value
            return sp.Integer(int(exact)), value
        if tok.kind == "(":
            node = self.sum()
            self.expect_close(tok)
            return node
        if tok.kind == "name":
            name = tok.text
            if name == "x":
                return self.x, None
            if name == "e":
                return sp.E, math.e
            if name == "pi":
                return sp.pi, math.pi
            if name in self.functions:
                if self.tok.kind != "(":
                    self.fail(f"Write {name}(...) with brackets", self.tok.column)
                opening = self.advance()
                arg, value = self.sum()
                self.expect_close(opening)
                if value is not None:
                    try:
                        result = _float_function(name, value)
                    except ValueError:
                        self.fail(f"{name} is not defined at {value:g}", tok.column)
                    except OverflowError:
                        result = math.inf
                    # e^v and σ(v) are never 0: a 0 is an underflow (exp(-1000))
                    value = self.checked(result, tok.column,
                                         nonzero=name in ("exp", "sigmoid", "cosh"))
                node = self.functions[name](arg)
                if value is None and name in _DOMAIN_OF:
                    self.guards.append((_DOMAIN_OF[name], arg, node))
                return node, value
            self.fail(_unknown_name_message(name), tok.column)
        if tok.kind == "end":
            self.fail("Expression ends too early", tok.column)
        if tok.kind == ")":
            self.fail("Unexpected ')'", tok.column)
        self.fail(f"Unexpected {tok.text!r}", tok.column)

    def expect_close(self, opening: _Token):
        tok = self.tok
        if tok.kind == ")":
            self.advance()
            return
        if tok.kind == "end":
            self.fail("Missing ')'", tok.column)
        self.fail(f"Missing operator or ')' before {tok.text!r}", tok.column)

    # -- building SymPy nodes with size checks -------------------------------
    def raise_to(self, base, exponent, column):
        (b, bv), (p, pv) = base, exponent
        sp = self.sp
        if pv is not None and abs(pv) > MAX_EXPONENT and bv not in (0.0, 1.0, -1.0):
            self.fail(f"Exponent too large (at most {MAX_EXPONENT})", column)
        if pv is None and (bv == 0 or (b.is_Number and b == 0)):
            # 0^u is 0 where u > 0 and undefined elsewhere; SymPy's 0**u differentiates
            # to 0**u·log(0), NaN everywhere, so it is built as 0 with that domain.
            # (x - x)^u too: SymPy has made its base the number 0.
            zero = sp.Integer(0)
            self.guards.append(("positive", p, None))
            return zero, None
        if bv is not None and pv is not None:
            if bv == 0 and pv < 0:
                self.fail("Division by zero (0 to a negative power)", column)
            if bv < 0 and pv != int(pv):
                self.fail("A negative number to a fractional power is not real (try cbrt)",
                          column)
            if (bv not in (0.0, 1.0, -1.0)
                    and pv * math.log10(abs(bv)) > math.log10(MAX_MAGNITUDE)):
                self.fail("Number too large", column)
            value = self.checked(float(bv) ** float(pv), column, nonzero=bv != 0)
            return sp.Pow(b, p), value
        if pv is not None and b.is_Mul:
            # SymPy distributes integer powers over products, (10x)^900 = 10^900 x^900:
            # bound that numeric factor before it is computed.
            coefficient = abs(float(b.as_coeff_Mul()[0]))
            if (coefficient not in (0.0, 1.0)
                    and pv * math.log10(coefficient) > math.log10(MAX_MAGNITUDE)):
                self.fail("Number too large", column)
        node = sp.Pow(b, p)
        if pv is not None and pv < 0:
            self.guards.append(("nonzero", b, node))
        if pv is not None and pv != int(pv):
            self.guards.append(("nonnegative" if pv > 0 else "positive", b, node))
        return node, None


# What the argument of each function must satisfy for the function to exist.
_DOMAIN_OF = {"log": "positive", "ln": "positive", "log10": "positive", "sqrt": "nonnegative",
              "asin": "unit", "acos": "unit", "arcsin": "unit", "arccos": "unit"}


def _unknown_name_message(name: str) -> str:
    if name.lower() in FUNCTION_NAMES + CONSTANT_NAMES + ("x",):
        return f"Unknown name {name!r} (names are lower case: {name.lower()})"
    if name[0] in "xX" and len(name) > 1:
        return f"Unknown name {name!r} (write a product with *, e.g. x*{name[1:]})"
    if len(name) == 1:
        return f"Unknown name {name!r} (the variable is x)"
    return f"Unknown name {name!r}"


def _numpy_sigmoid(v):
    # 1/(1+e^-v) written with tanh: no overflow warning for large |v|.
    return 0.5 * (1.0 + np.tanh(0.5 * v))


def _numpy_dirac_delta(v, *order):
    # The second derivative of abs(x) is 2δ(x): zero, except undefined at 0.
    return np.where(v == 0, np.nan, 0.0)


_NUMPY_NAMES = {"cbrt": np.cbrt, "sigmoid": _numpy_sigmoid, "DiracDelta": _numpy_dirac_delta}


def _to_text(expr) -> str:
    """An expression written back in the syntax parse_function reads (x^2, e, abs)."""
    sp = _sympy()[0]
    text = sp.sstr(expr, full_prec=False).replace("**", "^")
    return re.sub(r"\bAbs\(", "abs(", re.sub(r"\bE\b", "e", text))


def _numeric_form(expr):
    """expr rewritten for float arithmetic without changing its value.

    * A coefficient beyond the float range is folded into a power it multiplies:
      SymPy writes (x/100)^200 as x^200/10^400, which is inf·0 = NaN in floats at
      x = 150; (10^-2·x)^200 is 1.65e35 there, as typed.
    * Integers beyond 2^53 become the nearest double, rounded once (NumPy ufuncs
      raise on huge Python ints).
    * Every float keeps all 17 digits: lambdify would print 3.141592653589793 as
      3.14159265358979, another number.
    """
    sp = _sympy()[0]
    huge = {n: _nearest_double(n) for n in expr.atoms(sp.Rational)
            if abs(n.p) > 2 ** 53 or n.q > 2 ** 53}
    floats = {f: sp.Float(f, 17) for f in expr.atoms(sp.Float)}
    expr = expr.xreplace({**huge, **floats})
    # last: rebuilding a node evaluates it, which would distribute the folded power again
    return expr.replace(lambda e: e.is_Mul and _extreme(e.as_coeff_Mul()[0]), _fold_coefficient)


def _nearest_double(n):
    """The rational n as a Float holding the double nearest to it, rounded once
    (Float(n, 17) rounds to 60 bits first: 2^60 + 2^7 + 1 then lost its last bit).
    Numbers beyond the float range keep their value for _fold_coefficient."""
    sp = _sympy()[0]
    if _extreme(n):
        return sp.Float(n, 17)
    return sp.Float(float(Fraction(int(n.p), int(n.q))), 17)


def _extreme(c) -> bool:
    """c is a number that reads as 0 or ±inf in floats (beyond MIN/MAX_MAGNITUDE).

    Compared as a Python Fraction or float: comparing SymPy numbers with floats
    costs ~10 µs, and the parser asks this of every coefficient it builds."""
    if not c.is_Number:
        return False
    if c.is_Integer:
        return abs(int(c.p)) > MAX_MAGNITUDE
    try:
        if c.is_Rational:
            n, d = abs(int(c.p)), int(c.q)
            magnitude: Fraction | float = (n / d if n <= 2 ** 53 and d <= 2 ** 53
                                           else Fraction(n, d))
        else:
            magnitude = abs(float(c))
            if magnitude == 0:
                return not c.is_zero   # a Float below the double range
    except (TypeError, ValueError, OverflowError):
        return False                   # nan, zoo: refused elsewhere
    return magnitude != 0 and (magnitude > MAX_MAGNITUDE or magnitude < MIN_MAGNITUDE)


def _fold_coefficient(term):
    """c·u^n·rest → sign(c)·(|c|^(1/n)·u)^n·rest, using the power with the largest |n|."""
    sp = _sympy()[0]
    c, rest = term.as_coeff_Mul()
    factors = sp.Mul.make_args(rest)
    powers = [(abs(float(f.exp)) if f.is_Pow and f.exp.is_Number else 1.0, i)
              for i, f in enumerate(factors) if f.has(_sympy()[1])]
    if not powers:
        return term
    _, i = max(powers)
    factor = factors[i]
    base, n = (factor.base, factor.exp) if factor.is_Pow and factor.exp.is_Number else (factor, 1)
    scale = sp.Float(abs(c), 30) ** (sp.Float(1, 30) / sp.Float(n, 30))
    if _extreme(scale):
        return term
    folded = sp.Pow(sp.Mul(sp.Float(scale, 17), base, evaluate=False), n, evaluate=False)
    others = [f for j, f in enumerate(factors) if j != i]
    if c < 0:
        others.insert(0, sp.Integer(-1))
    return sp.Mul(*others, folded, evaluate=False) if others else folded


class Function:
    """A real function of x: what was typed, its SymPy expression, NumPy values.

    ``f(x)`` takes a float (gives a Python float) or an array (gives a float
    array) and returns NaN wherever f has no finite real value: log or sqrt of a
    negative number, asin(2), division by zero, overflow.  ``f.evaluate(x)`` is
    the same but keeps ±inf for poles and overflow (1/x at 0, e^x at 1000).
    No NumPy warning escapes either call.

    The domain is the typed one: ``guards`` are the (condition, u) pairs of
    sub-expressions SymPy rewrote away (exp(ln(x)) is x, but only for x > 0), and a
    derivative is undefined wherever the function it came from is.  A derivative
    SymPy writes as 0/0 at a point where the true one exists (cbrt(x^3) at 0) takes
    the common limit of its values on both sides.
    """

    def __init__(self, text: str, expr, guards=(), parent: Function | None = None):
        self.text = text
        self.expr = expr
        self.guards = tuple(guards)
        self._parent = parent
        self._derivative: Function | None = None
        self._latex: str | None = None
        self._numeric = None
        self._guard_numeric = None
        self._last: tuple[float, float] | None = None

    def __repr__(self) -> str:
        return f"Function({self.text!r})"

    def __getstate__(self) -> dict:
        # Compiled NumPy/mpmath code does not pickle; it is rebuilt on first use.
        state = self.__dict__.copy()
        state.update(_numeric=None, _guard_numeric=None, _last=None)
        state.pop("_precise", None)
        return state

    @property
    def is_constant(self) -> bool:
        """True when f does not depend on x (its derivative is 0)."""
        return not self.expr.free_symbols

    def derivative(self) -> Function:
        """f'(x), symbolically (SymPy), cached; its text is in the typed syntax."""
        if self._derivative is None:
            sp, x, _ = _sympy()
            with _room_to_recurse():
                expr = sp.diff(self.expr, x)
                self._derivative = Function(_to_text(expr), expr, parent=self)
        return self._derivative

    def latex(self) -> str:
        """The expression as LaTeX that matplotlib's mathtext can typeset."""
        if self._latex is None:
            sp = _sympy()[0]
            with _room_to_recurse():
                tex = sp.latex(self.expr, ln_notation=True, inv_trig_style="full")
            self._latex = tex.replace(r"\operatorname{", r"\mathrm{")
        return self._latex

    def _compile(self):
        if self._numeric is None:
            sp, x, _ = _sympy()
            with _room_to_recurse():
                numeric = sp.lambdify(x, _numeric_form(self.expr),
                                      modules=[_NUMPY_NAMES, "numpy"])
                if self.guards:
                    self._guard_numeric = sp.lambdify(
                        x, [_numeric_form(u) for _, u in self.guards],
                        modules=[_NUMPY_NAMES, "numpy"])
            self._numeric = numeric
        return self._numeric

    def _raw(self, points):
        """The compiled expression at points, NaN outside the guards (no parent check)."""
        with np.errstate(all="ignore"):
            try:
                out = np.asarray(self._compile()(points))
                if np.iscomplexobj(out):
                    out = np.where(out.imag == 0, out.real, np.nan)
                out = np.array(np.broadcast_to(out.astype(float), points.shape))
                if self._guard_numeric is not None:
                    args = self._guard_numeric(points)
                    for (condition, _), u in zip(self.guards, args):
                        u = np.broadcast_to(np.asarray(u, dtype=float), points.shape)
                        out[~_GUARD_TESTS[condition](u)] = np.nan
            except (ArithmeticError, ValueError, TypeError, RecursionError, SyntaxError):
                # Nothing a typed function can do may raise out of a call: no value.
                out = np.full(points.shape, np.nan)
        return out

    def _outside_guards(self, x: float) -> bool:
        """x breaks a domain condition of this function or of one it came from."""
        function: Function | None = self
        while function is not None:
            if function.guards:
                function._compile()
                guard_numeric = function._guard_numeric
                assert guard_numeric is not None
                with np.errstate(all="ignore"):
                    try:
                        values = guard_numeric(np.float64(x))
                    except (ArithmeticError, ValueError, TypeError):
                        return True
                for (condition, _), u in zip(function.guards, values):
                    if not bool(_GUARD_TESTS[condition](np.float64(u))):
                        return True
            function = function._parent
        return False

    def evaluate(self, x):
        """f(x) for a float or an array; NaN where undefined, ±inf at poles and overflow."""
        scalar = isinstance(x, (float, int)) and not isinstance(x, bool)
        if scalar:
            last = self._last
            if last is not None and last[0] == x:
                return last[1]
            value = self._scalar(x)
            if value is not None:
                self._last = (x, value)
                return value
        points = np.asarray(x, dtype=float)
        out = self._raw(points)
        if self._parent is not None:
            above = self._parent.evaluate(points if out.ndim else float(points))
            above = np.asarray(above, dtype=float)
            missing = np.isnan(out) & np.isfinite(above)
            if missing.any():
                out = self._fill_removable(points, out, above, missing)
            out[np.isnan(above)] = np.nan
        if out.ndim == 0:
            value = float(out)
            if scalar:
                self._last = (x, value)
            return value
        return np.array(out, dtype=float)

    def _scalar(self, x) -> float | None:
        """The fast path of evaluate for one float (the Newton loop): None when the
        general path must decide (a NaN to look at more closely, an odd result)."""
        point = np.float64(x)
        with np.errstate(all="ignore"):
            try:
                out = self._compile()(point)
                if self._guard_numeric is not None and self._outside_guards(x):
                    return math.nan
                value = float(out)
            except (ArithmeticError, ValueError, TypeError, RecursionError, SyntaxError):
                return None
        if math.isnan(value):
            return None
        if self._parent is not None and math.isnan(self._parent.evaluate(x)):
            return math.nan
        return value

    def _fill_removable(self, points, out, above, missing):
        """Where this derivative reads 0/0 but the function above it is defined: the
        limit of the values on both sides, if they agree and match the one-sided
        difference quotients of the function above (so |x|'' at 0 stays NaN).

        The sides are sampled at several distances h: a limit that is approached
        slowly (x·cbrt(x) has f' = cbrt(x) + x/(3 cbrt(x)²), whose sides at ±10⁻⁶
        are still ±0.013) agrees only very close to the point.  Of the distances
        where everything agrees, the one with the smallest disagreement is taken."""
        at = np.atleast_1d(points)[np.atleast_1d(missing)]
        parent = self._parent
        assert parent is not None
        middle = np.atleast_1d(above)[np.atleast_1d(missing)]
        best = np.full(at.shape, np.nan)
        best_gap = np.full(at.shape, np.inf)
        with np.errstate(all="ignore"):
            for relative in _REMOVABLE_STEPS:
                h = relative * np.maximum(1.0, np.abs(at))
                ahead, behind = at + h, at - h
                left, right = self._raw(behind), self._raw(ahead)
                # the steps floats really took (x + h is rounded)
                forward = (np.asarray(parent.evaluate(ahead)) - middle) / (ahead - at)
                backward = (middle - np.asarray(parent.evaluate(behind))) / (at - behind)
                scale = np.maximum(1.0, np.maximum(np.abs(left), np.abs(right)))
                sides, ahead_gap, behind_gap = (np.abs(left - right), np.abs(forward - right),
                                                np.abs(backward - left))
                agree = (sides <= 1e-4 * scale) & (ahead_gap <= 1e-3 * scale) & (
                    behind_gap <= 1e-3 * scale)
                gap = (sides + ahead_gap + behind_gap) / scale
                better = agree & (gap < best_gap)
                best = np.where(better, 0.5 * (left + right), best)
                best_gap = np.where(better, gap, best_gap)
        result = np.atleast_1d(out).copy()
        result[np.atleast_1d(missing)] = best
        return result.reshape(out.shape)

    def __call__(self, x):
        """f(x) for a float or an array; NaN wherever f has no finite real value."""
        out = self.evaluate(x)
        if isinstance(out, float):
            return out if math.isfinite(out) else math.nan
        out[~np.isfinite(out)] = np.nan
        return out


# Distances (relative to max(1, |x|)) at which _fill_removable looks at both sides.
_REMOVABLE_STEPS = (1e-6, 1e-9, 1e-12, 1e-15)

_GUARD_TESTS = {
    "positive": lambda u: u > 0,
    "nonnegative": lambda u: u >= 0,
    "nonzero": lambda u: u != 0,
    "unit": lambda u: np.abs(u) <= 1,
}


def parse_function(text: str) -> Function:
    """Read a function of x typed by a person, e.g. ``e^x - ln(x)``.

    Accepts + - * / ^ ** (^ is power, right-associative), signs, brackets,
    numbers (1e-3, .5), x, e, pi, implicit products (2x, 3(x+1), 2 sin(x)) and
    the functions in FUNCTION_NAMES (log = ln = natural log).  Raises
    FunctionSyntaxError (a ValueError) with a message and a column otherwise.
    """
    if not isinstance(text, str):
        raise TypeError("parse_function expects a string")
    if len(text) > MAX_LENGTH:
        raise FunctionSyntaxError(f"Too long: at most {MAX_LENGTH:,} characters", MAX_LENGTH)
    with _room_to_recurse():
        try:
            parser = _Parser(text)
            expr, _ = parser.parse()
        except FunctionSyntaxError:
            raise
        except RecursionError:
            raise FunctionSyntaxError(f"Too deeply nested (at most {MAX_DEPTH} levels)",
                                      0) from None
        except (ArithmeticError, ValueError, TypeError, AttributeError, NotImplementedError):
            # A SymPy simplification we did not foresee failed: refuse, never crash.
            raise FunctionSyntaxError("Cannot work with this function", 0) from None
    sp, x, _ = _sympy()
    if expr.has(sp.zoo, sp.oo, -sp.oo, sp.nan, sp.I):
        raise FunctionSyntaxError("This is not a real number anywhere (division by zero?)", 0)
    if _derivative_cost(expr, x, {})[2] > MAX_DIFF_COST:
        raise FunctionSyntaxError("Too complicated to differentiate quickly: "
                                  "use fewer or less deeply nested functions", 0)
    # A domain condition matters only where SymPy rewrote its sub-expression away.
    guards = [(condition, u) for condition, u, node in parser.guards
              if u.has(x) and (node is None or not expr.has(node))]
    return Function(text, expr, _unique(guards))


def _unique(items):
    return list(dict.fromkeys(items))


def _derivative_cost(expr, x, memo) -> tuple[int, int, int]:
    """Rough tree sizes of (f, f', f''), from the chain and product rules.

    The symbolic derivatives of nested functions grow like depth² and depth³
    (every factor of the chain rule repeats the inner expression), and SymPy
    spends ~0.1–0.3 ms per node: sqrt(1+sqrt(1+...)) 20 levels deep took 14 s
    for f''.  This bounds that cost before anyone asks for a derivative.
    """
    if expr in memo:
        return memo[expr]
    if not expr.has(x):
        size = sum(1 for _ in _preorder(expr))
        cost = (size, 1, 1)
    elif expr.is_Symbol:
        cost = (1, 1, 1)
    else:
        kids = [_derivative_cost(arg, x, memo) for arg in expr.args]
        size = 1 + sum(k[0] for k in kids)
        if expr.is_Add:
            d1, d2 = 1 + sum(k[1] for k in kids), 1 + sum(k[2] for k in kids)
        elif expr.is_Mul:
            # (uv)' = u'v + uv',  (uv)'' = u''v + 2u'v' + uv''
            d1 = 1 + sum(k[1] + size - k[0] for k in kids)
            d2 = 1 + sum(k[2] + size - k[0] for k in kids) + sum(
                a[1] + b[1] + size for i, a in enumerate(kids) for b in kids[i + 1:])
        elif expr.is_Pow and not expr.exp.has(x):
            (b, _) = kids
            d1, d2 = 2 * b[0] + b[1] + 3, 3 * b[0] + 2 * b[1] + b[2] + 6
        elif expr.is_Pow:
            (b, p) = kids
            d1 = 2 * size + b[0] + b[1] + p[0] + p[1]
            d2 = 3 * (size + b[0] + b[1] + p[0] + p[1]) + b[2] + p[2]
        else:
            # f(u)' = f'(u)·u', f(u)'' = f''(u)·u'² + f'(u)·u''; sigmoid repeats u most.
            (u,) = kids[:1]
            k1, k2 = (2, 6) if type(expr).__name__ == "sigmoid" else (1, 2)
            d1 = k1 * u[0] + u[1] + 3
            d2 = (k1 + k2) * u[0] + 2 * u[1] + u[2] + 6
        cost = (size, d1, d2)
    memo[expr] = cost
    return cost


def _preorder(expr):
    stack = [expr]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(node.args)

