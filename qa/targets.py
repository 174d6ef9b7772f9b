"""A planned target as printed (">20%", "<15000", "0.0112") and whether a figure meets it.

One rule for the chat's attainment answers (qa.computed) and the dashboard's statuses (qa.dashboard), so the
two never judge the same row differently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

TARGET = re.compile(r"^([<>≥≤])?\s*(\d+(?:\.\d+)?)\s*(%?)")


@dataclass(frozen=True)
class Target:
    """A target cell read: its comparison sign ("" for none), the number as printed and its value."""

    sign: str
    digits: str
    goal: float
    pct: bool


def read_target(raw: str) -> Target | None:
    """The target a cell prints, or None when it is no number (a target written in words, "/")."""
    m = TARGET.match(raw.strip())
    return Target(m.group(1) or "", m.group(2), float(m.group(2)), bool(m.group(3))) if m else None


def fall_meets(fall: float, t: Target) -> bool:
    """A fall (降幅, as a positive number) against a '>10%' fall target: '>' is strict, else reaching it is enough."""
    return fall > t.goal if t.sign == ">" else fall >= t.goal


def is_cap(t: Target, lowering: bool) -> bool:
    """The target is a ceiling: '<'/'≤', a level to bring down to (…降至), or a bare 0."""
    return t.sign in ("<", "≤") or lowering or (not t.sign and t.goal == 0)


def level_meets(actual: float, t: Target, lowering: bool) -> bool:
    """A level against its target: under a ceiling, or at least a floor ('>' strict)."""
    if is_cap(t, lowering):
        return actual < t.goal if t.sign == "<" else actual <= t.goal
    return actual > t.goal if t.sign == ">" else actual >= t.goal
