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

import numpy as np

__all__ = ["FunctionSyntaxError", "Function", "parse_function", "FUNCTION_NAMES",
           "CONSTANT_NAMES", "MAX_LENGTH", "MAX_DEPTH", "MAX_EXPONENT", "MAX_MAGNITUDE",
           "MAX_DIFF_COST"]

MAX_LENGTH = 1000        # characters of typed text
MAX_DEPTH = 100          # nesting of brackets, signs and powers
MAX_EXPONENT = 1000      # |p| of a constant exponent on a base other than 0, 1, -1
MAX_MAGNITUDE = 1e300    # |value| of any constant sub-expression
MAX_DIFF_COST = 2500     # estimated size of f'' (see _derivative_cost): ~0.5 s of SymPy here

FUNCTION_NAMES = ("exp", "log", "ln", "log10", "sqrt", "cbrt", "abs", "sin", "cos", "tan",
                  "asin", "acos", "atan", "arcsin", "arccos", "arctan",
                  "sinh", "cosh", "tanh", "sigmoid")
CONSTANT_NAMES = ("e", "pi")

# Typographic characters people paste from slides, read as their ASCII meaning.
_LOOKALIKES = {"\u2212": "-", "\u2013": "-", "\u00d7": "*", "\u00b7": "*", "\u22c5": "*",
               "\u2217": "*", "\u00f7": "/", "\u03c0": "pi"}
_SUPERSCRIPTS = {"\u00b2": "2", "\u00b3": "3"}   # x² reads as x^2
_NUMBER = re.compile(r"(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


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
        elif ch in _SUPERSCRIPTS:
            yield _Token("op", "^", i)
            yield _Token("number", _SUPERSCRIPTS[ch], i)
            i += 1
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

        def _latex(self, printer, exp=None):
            tex = rf"\sigma\left({printer._print(self.args[0])}\right)"
            return tex if exp is None else rf"{tex}^{{{exp}}}"

    x = sp.Symbol("x", real=True)
    functions = {
        "exp": sp.exp, "log": sp.log, "ln": sp.log, "log10": lambda a: sp.log(a, 10),
        "sqrt": sp.sqrt, "cbrt": cbrt, "abs": sp.Abs,
        "sin": sp.sin, "cos": sp.cos, "tan": sp.tan,
        "asin": sp.asin, "acos": sp.acos, "atan": sp.atan,
        "arcsin": sp.asin, "arccos": sp.acos, "arctan": sp.atan,
        "sinh": sp.sinh, "cosh": sp.cosh, "tanh": sp.tanh, "sigmoid": sigmoid,
    }
    return sp, x, functions


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
        self.sp, self.x, self.functions = _sympy()

    # -- helpers ------------------------------------------------------------
    def advance(self) -> _Token:
        tok = self.tok
        if tok.kind != "end":
            self.tok = next(self.tokens)
        return tok

    def fail(self, message: str, column: int):
        raise FunctionSyntaxError(message, column)

    def checked(self, value: float, column: int) -> float:
        if not math.isfinite(value) or abs(value) > MAX_MAGNITUDE:
            self.fail("Number too large", column)
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
            factors.append(self.sp.Pow(factor, -1) if divide else factor)
            if value is not None and factor_value is not None:
                value = self.checked(value / factor_value if divide else value * factor_value,
                                     column)
            else:
                value = None
        if len(factors) == 1:
            return expr, value
        expr = self.sp.Mul(*factors)
        if value is None and expr.is_Mul and abs(expr.as_coeff_Mul()[0]) > MAX_MAGNITUDE:
            self.fail("Number too large", column)
        return expr, value

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
            value = self.checked(float(tok.text), tok.column)
            exact = Decimal(tok.text)
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
                    value = self.checked(result, tok.column)
                return self.functions[name](arg), value
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
        if bv is not None and pv is not None:
            if bv == 0 and pv < 0:
                self.fail("Division by zero (0 to a negative power)", column)
            if bv < 0 and pv != int(pv):
                self.fail("A negative number to a fractional power is not real (try cbrt)",
                          column)
            if (bv not in (0.0, 1.0, -1.0)
                    and pv * math.log10(abs(bv)) > math.log10(MAX_MAGNITUDE)):
                self.fail("Number too large", column)
            value = self.checked(float(bv) ** float(pv), column)
            return sp.Pow(b, p), value
        if pv is not None and b.is_Mul:
            # SymPy distributes integer powers over products, (10x)^900 = 10^900 x^900:
            # bound that numeric factor before it is computed.
            coefficient = abs(float(b.as_coeff_Mul()[0]))
            if (coefficient not in (0.0, 1.0)
                    and pv * math.log10(coefficient) > math.log10(MAX_MAGNITUDE)):
                self.fail("Number too large", column)
        return sp.Pow(b, p), None


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


class Function:
    """A real function of x: what was typed, its SymPy expression, NumPy values.

    ``f(x)`` takes a float (gives a Python float) or an array (gives a float
    array) and returns NaN wherever f has no finite real value: log or sqrt of a
    negative number, asin(2), division by zero, overflow.  ``f.evaluate(x)`` is
    the same but keeps ±inf for poles and overflow (1/x at 0, e^x at 1000).
    No NumPy warning escapes either call.
    """

    def __init__(self, text: str, expr):
        self.text = text
        self.expr = expr
        self._derivative: Function | None = None
        self._latex: str | None = None
        self._numeric = None

    def __repr__(self) -> str:
        return f"Function({self.text!r})"

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
                self._derivative = Function(_to_text(expr), expr)
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
            expr = self.expr
            # Python integers beyond float range make NumPy ufuncs raise: use floats.
            huge = {n: sp.Float(n) for n in expr.atoms(sp.Rational)
                    if abs(n.p) > 2 ** 53 or n.q > 2 ** 53}
            if huge:
                expr = expr.xreplace(huge)
            with _room_to_recurse():
                self._numeric = sp.lambdify(x, expr, modules=[_NUMPY_NAMES, "numpy"])
        return self._numeric

    def evaluate(self, x):
        """f(x) for a float or an array; NaN where undefined, ±inf at poles and overflow."""
        points = np.asarray(x, dtype=float)
        with np.errstate(all="ignore"):
            try:
                out = np.asarray(self._compile()(points))
                if np.iscomplexobj(out):
                    out = np.where(out.imag == 0, out.real, np.nan)
                out = np.broadcast_to(out.astype(float), points.shape)
            except (ArithmeticError, ValueError, TypeError, RecursionError, SyntaxError):
                # Nothing a typed function can do may raise out of a call: no value.
                out = np.full(points.shape, np.nan)
        if out.ndim == 0:
            return float(out)
        return np.array(out, dtype=float)

    def __call__(self, x):
        """f(x) for a float or an array; NaN wherever f has no finite real value."""
        out = self.evaluate(x)
        if isinstance(out, float):
            return out if math.isfinite(out) else math.nan
        out[~np.isfinite(out)] = np.nan
        return out


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
            expr, _ = _Parser(text).parse()
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
    return Function(text, expr)


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

