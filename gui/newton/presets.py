"""The Newton tab's ready-made demos: the lecture's example, then the classic failures.

Each preset is what a lecturer would otherwise type by hand: a function, a mode, a
start x0 and the tolerance/iteration cap. The first entry is the lecture's worked
example (minimise g(x) = e^x − ln x from x0 = 0.05) and is selected at start.
"""
from __future__ import annotations

from dataclasses import dataclass

from core.newton import NewtonMode


@dataclass(frozen=True)
class Preset:
    title: str          # shown in the combo box
    function: str       # typed into the function input, as a student would type it
    mode: NewtonMode    # NewtonMode.ROOT or NewtonMode.MINIMISE
    x0: float
    tol: float = 1e-10
    max_iter: int = 50
    note: str = ""      # tooltip: what the demo shows


PRESETS: tuple[Preset, ...] = (
    Preset("Lecture: minimise eˣ − ln x from 0.05", "exp(x) - ln(x)", NewtonMode.MINIMISE, 0.05,
           note="The worked example of the lecture notes: 0.0972, 0.1832, 0.3205, "
                "0.4773, 0.5578, 0.5671."),
    Preset("Lab: minimise eˣ − ln x from 1.6", "exp(x) - ln(x)", NewtonMode.MINIMISE, 1.6,
           note="The course lab's start: the same minimum from the other side."),
    Preset("Root of x² − 2 from 1 (√2)", "x^2 - 2", NewtonMode.ROOT, 1.0,
           note="Root finding at its best: the number of correct digits doubles "
                "every step."),
    Preset("Cycle: x³ − 2x + 2 from 0", "x^3 - 2*x + 2", NewtonMode.ROOT, 0.0,
           note="The tangents send x from 0 to 1 and back to 0 forever."),
    Preset("Divergence: atan(x) from 1.5", "atan(x)", NewtonMode.ROOT, 1.5,
           note="Each tangent overshoots further: the iterates grow without bound."),
    Preset("Divergence: cbrt(x) from 1", "cbrt(x)", NewtonMode.ROOT, 1.0,
           note="For the cube root, Newton's step doubles the distance to the root."),
    Preset("Zero derivative: x² − 2 from 0", "x^2 - 2", NewtonMode.ROOT, 0.0,
           note="The tangent at 0 is horizontal: it never meets the x-axis."),
    Preset("Leaves the domain: ln(x) from 3", "ln(x)", NewtonMode.ROOT, 3.0,
           note="The first step lands at a negative x, where ln is undefined."),
    Preset("Multiple root: (x − 1)² from 2", "(x-1)^2", NewtonMode.ROOT, 2.0,
           note="At a double root the error only halves each step: linear, "
                "not quadratic, convergence."),
    Preset("Maximum: minimise x³ − 3x from −0.5", "x^3 - 3*x", NewtonMode.MINIMISE, -0.5,
           note="Newton only looks for g' = 0: here it finds the maximum at −1 "
                "(g'' < 0)."),
    Preset("False convergence: x·e⁻ˣ from 2", "x*exp(-x)", NewtonMode.ROOT, 2.0,
           note="f(x) becomes tiny because x runs off to infinity, not because x "
                "nears a root."),
)

LECTURE = 0
