"""The indicator dashboard as a table (rows for the app and for .xlsx) and one indicator as a chart (PNG).

The chart is drawn on a bare matplotlib Figure (no pyplot: no global state across the app's threads) with a
Chinese font found on the machine; without one it falls back to ASCII labels so no character shows as a box.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from matplotlib import font_manager, rc_context
from matplotlib.figure import Figure
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from .dashboard import IndicatorStatus, number_of, status_counts
from .targets import read_target

# Families that carry Chinese glyphs, as Debian's fonts-wqy-microhei and fonts-noto-cjk name them.
CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Source Han Sans SC")


def short_table(table: str) -> str:
    """表2-1 for "表2-1 “十四五”以来…统计表"; a title without a number stays whole."""
    head = table.split()[0] if table.split() else table
    return head if head.startswith("表") and any(ch.isdigit() for ch in head) else table


def choice_label(s: IndicatorStatus) -> str:
    """How the chart's chooser names a row: 表2-1 第7行 运营车辆万车死亡率下降."""
    return f"{short_table(s.table)} 第{s.row}行 {s.indicator}"


def years_of(statuses: list[IndicatorStatus]) -> list[int]:
    return sorted({y.year for s in statuses for y in s.years})


def where(s: IndicatorStatus) -> str:
    """The row's source: section, page and lines."""
    lines = f"第{s.lines[0]}行" if s.lines[0] == s.lines[1] else f"第{s.lines[0]}–{s.lines[1]}行"
    page = f"第{s.page}页，" if s.page else ""
    return f"{s.section[-1] if s.section else s.doc}，{page}{lines}"


def report_says(s: IndicatorStatus) -> str:
    """The report's own verdicts on the row, each with its line, and whether ours differs."""
    if not s.report:
        return ""
    said = "；".join(f"{'按序时进度' if v.on_schedule else ''}{v.verdict}（第{v.lines[0]}行）" for v in s.report)
    return said if s.agrees else f"{said}【与本表判断不同】"


def headers(years: list[int]) -> list[str]:
    cols = ["表", "序号", "指标", "目标", "基数"]
    for y in years:
        cols += [f"{y}年实际数", f"{y}年降幅"]
    return cols + ["状态", "报告所述", "依据", "来源"]


def rows(statuses: list[IndicatorStatus], years: list[int], query: str = "") -> list[list]:
    """One row per indicator as the table prints it, keeping those holding every word of the query."""
    out = []
    for s in statuses:
        by_year = {y.year: y for y in s.years}
        cells: list = [short_table(s.table), s.row, s.indicator, s.target, s.base]
        for y in years:
            fig = by_year.get(y)
            cells += [fig.actual if fig else "", fig.change if fig else ""]
        cells += [s.status, report_says(s), s.rule, where(s)]
        out.append(cells)
    words = (query or "").split()
    return [r for r in out if all(any(w in str(c) for c in r) for w in words)]


def counts_rows(statuses: list[IndicatorStatus]) -> list[list]:
    """状态, 数量, of which the report says otherwise."""
    counts = status_counts(statuses)
    return [[name, n, sum(s.status == name and s.agrees is False for s in statuses)] for name, n in counts.items()]


def write_xlsx(statuses: list[IndicatorStatus], path: Path, query: str = "") -> Path:
    """The dashboard table (filtered as shown) as one sheet, plus a sheet of status counts."""
    years = years_of(statuses)
    book = Workbook()
    sheet = book.active
    sheet.title = "指标看板"
    sheet.append(headers(years))
    for row in rows(statuses, years, query):
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for col in sheet.iter_cols(min_row=2):
        for cell in col:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "D2"
    counts = book.create_sheet("状态统计")
    counts.append(["状态", "数量", "其中与报告所述不同"])
    for r in counts_rows(statuses):
        counts.append(r)
    book.save(path)
    return path


@cache
def cjk_font() -> str | None:
    """A font family on this machine that draws Chinese, or None."""
    names = {f.name for f in font_manager.fontManager.ttflist}
    return next((n for n in CJK_FAMILIES if n in names), None)


def chart(s: IndicatorStatus) -> Figure:
    """The indicator's base and yearly values against its target (drawn where it reads as a level)."""
    font = cjk_font()
    with rc_context({"font.family": [font] if font else ["sans-serif"], "axes.unicode_minus": False}):
        return _draw(s, zh=font is not None)


def _draw(s: IndicatorStatus, zh: bool) -> Figure:
    fig = Figure(figsize=(6.4, 3.8), dpi=110, layout="constrained")
    ax = fig.add_subplot()
    base_year = min((y.year for y in s.years), default=2021) - 1
    points = [(base_year, number_of(s.base))] + [(y.year, number_of(y.actual)) for y in s.years]
    shown = [(x, v) for x, v in points if v is not None]
    if shown:
        xs, vs = zip(*shown)
        ax.plot(xs, vs, marker="o", color="#1565c0", label="实际数（含基数）" if zh else "actual (incl. base)")
        for x, v in shown:
            ax.annotate(f"{v:g}", (x, v), textcoords="offset points", xytext=(0, 6), ha="center", fontsize=8)
    else:
        ax.text(0.5, 0.5, "无数值" if zh else "no figures", transform=ax.transAxes, ha="center")
    level, label = _target_level(s, zh)
    if level is not None:
        ax.axhline(level, color="#c62828", linestyle="--", label=label)
    ticks = sorted({base_year, *(y.year for y in s.years)})
    ax.set_xticks(ticks, [str(t) for t in ticks])
    ax.set_xlim(ticks[0] - 0.3, ticks[-1] + 0.3)
    title = f"{short_table(s.table)} 第{s.row}行 {s.indicator}" if zh else f"{short_table(s.table)} row {s.row}"
    ax.set_title(title if len(title) <= 36 else title[:35] + "…", fontsize=10)
    ax.set_xlabel("年份" if zh else "year")
    note = f"状态：{s.status}；目标 {s.target[:20]}" if zh else f"target {s.target[:20]}"
    ax.text(0.01, 0.02, note, transform=ax.transAxes, fontsize=8)
    if level is not None or shown:
        ax.legend(fontsize=8, loc="upper right")
    return fig


def _target_level(s: IndicatorStatus, zh: bool) -> tuple[float | None, str]:
    """The target as a level on the chart's axis: a fall of t% from the base, or the number itself."""
    t = read_target(s.target)
    if t is None:
        return None, ""
    goal, pct = t.goal, t.pct
    base = number_of(s.base)
    if pct and s.indicator.endswith("下降"):
        if not base:
            return None, ""
        level = base * (1 - goal / 100)
        return level, (f"目标水平（比基数下降{s.target}）" if zh else f"target level (-{goal:g}%)")
    values = [y.actual for y in s.years if number_of(y.actual) is not None]
    if pct and values and not all("%" in v or number_of(v) == 0 for v in values):
        return None, ""  # a percentage target over counts: no common axis
    return goal, (f"规划目标 {s.target}" if zh else f"target {goal:g}")


def write_png(s: IndicatorStatus, path: Path) -> Path:
    chart(s).savefig(path, format="png")
    return path
