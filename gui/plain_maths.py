"""LaTeX of a caption's inline maths as plain Unicode text, for screen readers and
tooltips: \\partial L/\\partial w_{11} → ∂L/∂w₁₁, \\hat{y} → ŷ, x^2 → x², \\frac{a}{b} → a/b."""
from __future__ import annotations

import re
import unicodedata

from core.notation import subscript, superscript

_SYMBOLS = {
    r"\partial": "∂", r"\cdot": "·", r"\alpha": "α", r"\lambda": "λ", r"\sigma": "σ",
    r"\Delta": "Δ", r"\leftarrow": "←", r"\to": "→", r"\rightarrow": "→", r"\times": "×",
    r"\approx": "≈", r"\infty": "∞", r"\neq": "≠", r"\leq": "≤", r"\geq": "≥",
    r"\ln": "ln", r"\log": "log", r"\arctan": "arctan", r"\sqrt[3]": "∛", r"\sqrt": "√",
    r"\,": " ", r"\;": " ", r"\quad": " ", r"\left": "", r"\right": "", r"\!": "",
}
_SUB_OK = re.compile(r"[0-9\-]+")


def plain_maths(latex: str) -> str:
    """Best-effort Unicode rendering of simple LaTeX (what lessons use)."""
    text = re.sub(r"\\hat\{(\w)\}",
                  lambda m: unicodedata.normalize("NFC", m.group(1) + "\u0302"), latex)
    text = re.sub(r"\\frac\{([^{}]*)\}\{([^{}]*)\}",
                  lambda m: f"{_group(m.group(1))}/{_group(m.group(2))}", text)
    for name in sorted(_SYMBOLS, key=len, reverse=True):
        text = re.sub(re.escape(name) + r"(?![A-Za-z])", _SYMBOLS[name], text)
    text = re.sub(r"_\{([^{}]*)\}|_(\w)", lambda m: _script(m.group(1) or m.group(2), subscript,
                                                            "_"), text)
    text = re.sub(r"\^\{([^{}]*)\}|\^(\w)", lambda m: _script(m.group(1) or m.group(2),
                                                              superscript, "^"), text)
    text = text.replace("{", "").replace("}", "").replace("\\", "").replace("∂ ", "∂")
    return re.sub(r"\s+", " ", text).strip()


def _group(part: str) -> str:
    """A fraction's numerator or denominator, bracketed when it is not one term."""
    single = part.replace("\\partial ", "").strip()
    return f"({part})" if re.search(r"[ +\-]", single) else part.strip()


def _script(body: str, convert, marker: str) -> str:
    if _SUB_OK.fullmatch(body):
        return convert(body)
    if marker == "_" and body in ("k", "k+1"):
        return {"k": "ₖ", "k+1": "ₖ₊₁"}[body]
    return f"{marker}({body})" if len(body) > 1 else f"{marker}{body}"
