"""What the latency benchmarks report: median and 95th percentile in ms, and
whether they keep within the budget every GUI step must meet."""
from __future__ import annotations

import statistics

MEDIAN_BUDGET_MS = 8.0
P95_BUDGET_MS = 16.0


def percentile(values, q: float) -> float:
    """The sample at rank q % of the sorted values (nearest rank, no interpolation)."""
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def summary_ms(samples) -> tuple[float, float]:
    """(median, 95th percentile) of samples in seconds, in milliseconds."""
    return statistics.median(samples) * 1000, percentile(samples, 95) * 1000


def within_budget(median_ms: float, p95_ms: float) -> bool:
    return median_ms <= MEDIAN_BUDGET_MS and p95_ms <= P95_BUDGET_MS


def verdict(median_ms: float, p95_ms: float) -> str:
    return "OK" if within_budget(median_ms, p95_ms) else "OVER BUDGET"
