"""Indicator tables -> one status per indicator: met, on schedule (序时进度), not met, not yet counted, or
cannot tell, with the rule stated in Chinese, beside what the report itself says of that indicator.

The rule is qa.targets', shared with the chat's attainment answers (computed.py's `_attainment`): a
percentage target on an indicator named …下降 is met by the fall (降幅) against the base, a "<"/"≤" target or
one named …降至 is a cap on the level, any other number a floor. What this module adds:

- 序时进度: a plan runs five years from its base year (a 2020 base: 2021–2025). By year Y a share
  (Y − base)/5 of the way must be done: for a ">20%" fall, by 2022 a fall of at least 20% × 2/5 = 8%; for a
  floor or a 降至 target, the level at least that share of the way from the base to the target. A "<" cap
  is a limit for every year, so it has no schedule.
- A count target of 0 is a cap (none allowed), and a fall from a base of 0 that stays 0 is met.
- A percentage target against a year cell that is not one (a count, an amount in 万) cannot be compared.
- Year cells that only repeat a bound target (">20%", "≥75%") or are empty mean the figure is not counted
  yet; a bare number repeated ("0", "100%") is taken as the figure it reads as.

The report's own verdicts come from its sentences that list indicators before a verdict
("A、B…这10项指标按照序时进度已达到…", "…等规划指标尚未统计"); names are matched to rows by fuzzy
likeness of their characters, never by a list of this report's names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from rapidfuzz import fuzz

from .targets import Target, fall_meets, is_cap, level_meets, read_target
from .types import Chunk, TableRecord

MET, ON_SCHEDULE, NOT_MET, NOT_COUNTED, UNKNOWN = "已达到", "达到序时进度", "未达到", "尚未统计", "无法判断"
STATUSES = (MET, ON_SCHEDULE, NOT_MET, NOT_COUNTED, UNKNOWN)
PLAN_YEARS = 5  # a 五年规划 runs five years from its base year
# A verdict and the words before it that belong to the list, not to a name ("这10项指标按照序时进度已").
VERDICTS = (("未达到", NOT_MET), ("尚未统计", NOT_COUNTED), ("接近", "接近"), ("达到", MET))
LIST_TAIL = re.compile(r"(?:等)?(?:这?\d+项)?(?:主要|规划)?(?:指标)?(?:均|都|已|按照序时进度|按序时进度)*$")
NAME_SUFFIX = re.compile(r"(?:下降率|下降|降至|统计)$")
NAME_MIN = 85  # rapidfuzz ratio: "较大及以上事故起数" ~ "较大及以上事故发生起数" 95, a neighbour row below 80


@dataclass(frozen=True)
class ReportVerdict:
    """What the report itself says of an indicator, and where."""

    verdict: str  # 已达到 | 未达到 | 接近 | 尚未统计
    on_schedule: bool  # said of 序时进度 ("按照序时进度已达到")
    name: str  # the indicator as the sentence names it
    sentence: str
    doc: str
    lines: tuple[int, int]


@dataclass(frozen=True)
class YearFigure:
    year: int
    actual: str  # as printed
    change: str


@dataclass(frozen=True)
class IndicatorStatus:
    """One indicator row of an indicator table, judged against its target."""

    doc: str
    table: str
    row: int
    indicator: str
    target: str
    base: str
    years: tuple[YearFigure, ...]
    status: str
    rule: str  # why, in Chinese, with the figures compared
    section: tuple[str, ...]
    page: int | None
    lines: tuple[int, int]
    records: tuple[TableRecord, ...]
    report: tuple[ReportVerdict, ...] = ()

    @property
    def agrees(self) -> bool | None:
        """Whether the report's own verdict matches ours; None where it says nothing."""
        if not self.report:
            return None
        return any(_same(v.verdict, self.status) for v in self.report)


def _same(verdict: str, status: str) -> bool:
    if verdict == MET:
        return status in (MET, ON_SCHEDULE)
    if verdict == "接近":
        return status == NOT_MET
    return verdict == status


def indicator_statuses(records: Iterable[TableRecord], passages: Iterable[Chunk] = ()) -> list[IndicatorStatus]:
    """Every row of every table that has a 规划目标 column, judged; the report's verdicts attached."""
    rows: dict[tuple[str, str, tuple[int, int]], list[TableRecord]] = {}
    for r in records:
        rows.setdefault((r.doc, r.table, r.lines), []).append(r)
    statuses = [_judge(row) for row in rows.values() if any(r.measure == "target" for r in row)]
    return _with_report(statuses, report_verdicts(passages))


def unmet(records: Iterable[TableRecord], passages: Iterable[Chunk] = ()) -> list[IndicatorStatus]:
    """The indicators not met: by our rule (未达到), or by the report's own word (未达到, 接近), each with its
    records (status.records) to cite."""
    return [s for s in indicator_statuses(records, passages) if ASKED["未达到"][0](s)]


def said_by_report(s: IndicatorStatus, *verdicts: str) -> bool:
    return any(v.verdict in verdicts for v in s.report)


# What a question about statuses asks for (its status word, read by qa.answer) -> which indicators, and how the
# answer names them. 未达到 takes the report's 接近 too: close is not there.
ASKED = {
    "尚未统计": (lambda s: s.status == NOT_COUNTED or said_by_report(s, NOT_COUNTED), "尚未统计的指标"),
    "接近": (lambda s: said_by_report(s, "接近"), "报告称接近规划目标的指标"),
    "未达到": (
        lambda s: s.status == NOT_MET or said_by_report(s, NOT_MET, "接近"),
        "未达到或接近（未完全达到）规划目标的指标",
    ),
    "已达到": (lambda s: s.status in (MET, ON_SCHEDULE), "已达到规划目标或序时进度的指标"),
}


def asked_kind(word: str) -> str:
    """The key of ASKED a status word of a question means (没有达到 -> 未达到, 没统计 -> 尚未统计)."""
    if "统计" in word:
        return "尚未统计"
    if "接近" in word:
        return "接近"
    return "未达到" if re.search(r"没|未|不", word) else "已达到"


def status_counts(statuses: Iterable[IndicatorStatus]) -> dict[str, int]:
    """How many indicators have each status, in the order of STATUSES."""
    counts = dict.fromkeys(STATUSES, 0)
    for s in statuses:
        counts[s.status] += 1
    return counts


def _judge(row: list[TableRecord]) -> IndicatorStatus:
    first = row[0]
    target = next(r for r in row if r.measure == "target")
    base = next((r for r in row if r.measure == "base"), None)
    years = sorted({r.year for r in row if r.year and r.measure in ("actual", "change")})
    figures = tuple(
        YearFigure(
            y,
            next((r.raw for r in row if r.year == y and r.measure == "actual"), ""),
            next((r.raw for r in row if r.year == y and r.measure == "change"), ""),
        )
        for y in years
    )
    status, rule = _rule(first.indicator, target, base, figures)
    return IndicatorStatus(
        doc=first.doc,
        table=first.table,
        row=first.row,
        indicator=first.indicator,
        target=target.raw,
        base=base.raw if base else "",
        years=figures,
        status=status,
        rule=rule,
        section=first.section,
        page=first.page,
        lines=first.lines,
        records=tuple(row),
    )


def number_of(raw: str) -> float | None:
    """The number a printed cell starts with ("101.84万" -> 101.84); None for "/", ">20%", ""."""
    m = re.match(r"^([-−+]?\d+(?:\.\d+)?)", raw.strip())
    return float(m.group(1).replace("−", "-")) if m else None


def _fmt(x: float) -> str:
    return f"{x:.4f}".rstrip("0").rstrip(".")


def _rule(indicator: str, target: TableRecord, base: TableRecord | None, years: tuple[YearFigure, ...]) -> tuple:
    """(status, rule text) for one row."""
    cells = [c for y in years for c in (y.actual, y.change) if c.strip()]
    # A bound (">20%") printed again under a year is no count; a bare number ("0", "100%") may be one.
    bound = target.raw.strip()[:1] in "<>≥≤"
    if not cells or (bound and all(c.strip() == target.raw.strip() for c in cells)):
        shown = f"只重复目标“{target.raw}”" if cells else "为空"
        return NOT_COUNTED, f"各年实际数{shown}，尚无统计数"
    t = read_target(target.raw)
    if t is None:
        return UNKNOWN, "规划目标不是数值，无法与实际数比较"
    pct = t.pct
    base_year = base.year if base and base.year else min(y.year for y in years) - 1
    end = base_year + PLAN_YEARS
    base_value = number_of(base.raw) if base else None
    fall = bool(pct) and indicator.endswith("下降")
    dated = [y for y in years if (number_of(y.change) if fall else number_of(y.actual)) is not None]
    if fall and base_value == 0 and dated and all(number_of(y.actual) == 0 for y in dated):
        return MET, f"{base_year}年基数为0，各年实际数仍为0，无从下降，保持为0视为达到"
    if not dated:
        return UNKNOWN, "各年实际数都不是数值（如“/”），无法判断"
    lowering = indicator.endswith("降至")
    checks = [_check(y, t, fall, lowering, base_value, base_year, end, target.raw) for y in dated]
    status = checks[-1][0]
    return status, "；".join(text for _, text in checks) + f"（以最近的{dated[-1].year}年为准）"


def _check(y: YearFigure, t: Target, fall, lowering, base_value, base_year, end, target_raw) -> tuple[str, str]:
    """One year's figure against the target, the full target first, then the 序时进度 share."""
    sign, goal, pct = t.sign, t.goal, t.pct
    share = (y.year - base_year) / (end - base_year)
    part = f"{y.year - base_year}/{end - base_year}"
    if fall:
        done = -(number_of(y.change) or 0.0)
        due = goal * share
        said = f"{y.year}年比{base_year}年下降{_fmt(done)}%，目标到{end}年下降{target_raw}"
        if fall_meets(done, t):
            return MET, f"{said}，已达到"
        if done >= due:
            return ON_SCHEDULE, f"{said}，序时进度（过{part}）应下降≥{_fmt(due)}%，达到序时进度"
        return NOT_MET, f"{said}，序时进度（过{part}）应下降≥{_fmt(due)}%，未达到"
    actual = number_of(y.actual)
    assert actual is not None  # dated years have a numeric actual
    if pct and "%" not in y.actual and actual != 0:
        return UNKNOWN, f"{y.year}年实际数{y.actual}不是百分比，与目标{target_raw}单位不同，无法比较"
    if is_cap(t, lowering=False):
        met = level_meets(actual, t, lowering=False)
        limit = "<" if sign == "<" else "≤"
        said = f"{y.year}年实际数{y.actual}，上限{limit}{_fmt(goal)}{'%' if pct else ''}（每年都须满足）"
        return (MET, f"{said}，已达到") if met else (NOT_MET, f"{said}，未达到")
    return _toward(y, actual, t, not lowering, base_value, share, part, target_raw)


def _toward(y: YearFigure, actual, t: Target, rising, base_value, share, part, target_raw) -> tuple[str, str]:
    """A level to reach from the base (rising: a floor; else 降至): at the target, or the 序时进度 share of
    the way there."""
    goal = t.goal
    met = level_meets(actual, t, lowering=not rising)
    said = f"{y.year}年实际数{y.actual}，目标{target_raw}"
    if met:
        return MET, f"{said}，已达到"
    if base_value is None:
        return NOT_MET, f"{said}，未达到（无基数，无法计算序时进度）"
    due = base_value + (goal - base_value) * share
    on = actual >= due if rising else actual <= due
    word = "≥" if rising else "≤"
    return (ON_SCHEDULE if on else NOT_MET), (
        f"{said}，序时进度（过{part}）应{word}{_fmt(due)}，{'达到序时进度' if on else '未达到'}"
    )


def report_verdicts(passages: Iterable[Chunk]) -> list[ReportVerdict]:
    """The report's sentences that list indicators before a verdict, one ReportVerdict per name."""
    out: list[ReportVerdict] = []
    seen: set[tuple[str, str]] = set()
    for chunk in passages:
        for sentence in re.findall(r"[^。！？]*[。！？]?", chunk.text):
            if "指标" not in sentence and "序时进度" not in sentence:
                continue
            for clause in re.split(r"[，；]", sentence):
                for word, verdict in VERDICTS:
                    at = clause.find(word)
                    if at <= 0:
                        continue
                    before = LIST_TAIL.sub("", clause[:at]).strip("“”*")
                    names = [n.strip("“”*《》 ") for n in before.split("、") if n.strip()]
                    if not names or any(len(n) < 4 or len(n) > 40 for n in names):
                        break
                    for name in names:
                        if (name, verdict) not in seen:
                            seen.add((name, verdict))
                            on_schedule = "序时进度" in clause
                            out.append(ReportVerdict(verdict, on_schedule, name, sentence, chunk.doc, chunk.lines))
                    break
    return out


def _stem(name: str) -> str:
    return NAME_SUFFIX.sub("", re.sub(r"[、，和及与\s]", "", name))


def _with_report(statuses: list[IndicatorStatus], verdicts: list[ReportVerdict]) -> list[IndicatorStatus]:
    """Each verdict given to the one row of its document whose name is most like the name it gives."""
    given: dict[int, list[ReportVerdict]] = {}
    for v in verdicts:
        scored = [(fuzz.ratio(_stem(v.name), _stem(s.indicator)), k) for k, s in enumerate(statuses) if s.doc == v.doc]
        score, best = max(scored, default=(0.0, -1))
        if score >= NAME_MIN:
            given.setdefault(best, []).append(v)
    return [replace(s, report=tuple(given[k])) if k in given else s for k, s in enumerate(statuses)]
