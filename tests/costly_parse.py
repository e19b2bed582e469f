"""A parser for tests that lets through what the core's cost estimate refuses.

``parse_function`` refuses functions whose f″ SymPy would take seconds to build (its
estimate, ``MAX_DIFF_COST``); the child-process deadline is the guard behind that
estimate. This parser switches the estimate off, so tests can hand the child a
genuinely costly job: preparing ``COSTLY`` (39 linear factors: f″ has ~750 terms)
takes SymPy 7 s in-process here. A module-level function, so it pickles by name into
the child process.
"""
import core.parser

COSTLY = "*".join(f"(x+{i})" for i in range(1, 40))


def parse_without_cost_guard(text: str):
    saved = core.parser.MAX_DIFF_COST
    core.parser.MAX_DIFF_COST = 10 ** 12
    try:
        return core.parser.parse_function(text)
    finally:
        core.parser.MAX_DIFF_COST = saved
