"""Dev set (a): questions generated from the report's typed facts, with answers known by construction.

    .venv/bin/python benchmarks/gen_devset.py      # writes tests/dev/generated.jsonl, prints counts

The facts come from the built index (qa.cli.load_answerer): the typed table cells (a.index.records) and
the prose figures (a.index.figures). From them, deterministically (fixed seed), it generates:

  1. table          every indicator-table cell that holds a value, asked with name variants (full as
                    printed, shortened, colloquial, reordered) x year forms (2021年/21年/前年,
                    2022年/22年/去年) x column words (目标/基数/实际/降幅 …);
  2. census         every row of the census table (普查成果分类统计), by its 小类 and by its category path;
  3. prose_number   prose figures whose subject clearly names what is counted and whose number+unit is
                    the only one the report prints for that subject phrase (in that year);
  4. comparison     computed: 2022 vs 2021, 2021+2022 and vs the 2020 base for indicator rows; sums of
                    census rows with the same unit;
  5. compound       two facts from 1-3 asked in one question (category of the first);
  6. unanswerable   near misses (~15 %): an answerable question plus a place, year or sector the report
                    does not give that figure for.

Every item: id, question, category, answer (short), must_contain (numbers as printed, no %, [] when
unanswerable), evidence (table row as printed or prose sentence, [] when unanswerable), source (which fact,
or why it is unanswerable) and kind (which generator made it). Before writing, every non-computed number
is checked to occur in the report on digit boundaries and inside its evidence.
"""

from __future__ import annotations

import json
import logging
import random
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

REPORT = ROOT / "corpus" / "kunshan-safety-plan-midterm-evaluation-2023.txt"
OUT = ROOT / "tests" / "dev" / "generated.jsonl"
SEED = 20230601
UNANSWERABLE_SHARE = 0.15

# ───────────────────────────── data: reviewable mappings ─────────────────────────────

# The report is dated June 2023, so 去年 = 2022 and 前年 = 2021.
YEAR_FORMS = {2021: ["2021年", "21年", "前年"], 2022: ["2022年", "22年", "去年"]}
BASE_YEAR_FORM = "2020年"

# Indicator rows (table, 序号): name variants and how the row may be asked.
#   short     names without the direction word (下降/降至) and generic prefixes; the first is the canonical one
#   colloq    colloquial templates ({Y} year form, {Q} qualifier slot) — used for base and actual columns
#   bare      "2022年X是多少" (no column word) is unambiguous: no other figure in the report answers it
#   unit      measure word of the counted thing (for computed answers), "" for rates
#   sum       adding the 2021 and 2022 actuals is meaningful (event counts, not stocks or rates)
INDICATORS: dict[tuple[str, int], dict] = {
    ("表2-1", 1): dict(
        short=["生产安全事故起数", "事故起数"],
        bare=True,
        unit="起",
        sum=True,
        colloq=["{Y}{Q}发生了几起生产安全事故", "{Y}{Q}一共出了多少起生产安全事故", "{Q}生产安全事故{Y}有几起"],
    ),
    ("表2-1", 2): dict(
        short=["生产安全事故死亡人数", "事故死亡人数"],
        bare=True,
        unit="人",
        sum=True,
        colloq=["{Y}{Q}生产安全事故死了几个人", "{Y}{Q}生产安全事故死了多少人", "{Q}{Y}因生产安全事故死亡多少人"],
    ),
    ("表2-1", 3): dict(
        short=["亿元地区生产总值生产安全事故死亡率", "亿元GDP生产安全事故死亡率", "亿元GDP事故死亡率"], bare=True
    ),
    ("表2-1", 4): dict(
        short=["较大及以上事故起数", "较大以上事故起数"],
        bare=True,
        unit="起",
        colloq=["{Y}{Q}发生了几起较大及以上事故"],
    ),
    ("表2-1", 5): dict(
        short=["较大及以上事故死亡人数", "较大以上事故死亡人数"],
        bare=True,
        unit="人",
        colloq=["{Y}{Q}较大及以上事故死了几个人"],
    ),
    ("表2-1", 6): dict(short=["工矿商贸就业人员十万人生产安全事故死亡率", "工矿商贸十万人生产安全事故死亡率"]),
    ("表2-1", 7): dict(short=["运营车辆万车死亡率", "万车死亡率"], bare=True),
    ("表2-1", 8): dict(short=["生产经营性火灾事故死亡人数累计数", "生产经营性火灾事故死亡人数"]),
    ("表2-1", 9): dict(short=["年均十万人口火灾死亡率", "十万人口火灾死亡率"]),
    ("表2-1", 10): dict(
        short=["特种设备生产安全事故死亡人数累计数", "特种设备生产安全事故死亡人数", "特种设备事故死亡人数"],
        bare=True,
        unit="人",
        colloq=["{Y}{Q}特种设备事故死了几个人"],
    ),
    # Rows 11-13 print counts (家) under rate names, and the prose prints a 100% rate for 11 and 13:
    # asked only with a column word, or colloquially as a count of enterprises.
    ("表2-1", 11): dict(
        short=["亿元企业二级安全标准化创建率", "二级安全标准化创建率"],
        unit="家",
        colloq=["{Y}{Q}亿元企业二级安全标准化创建了多少家"],
    ),
    ("表2-1", 12): dict(
        short=["工业企业较大以上安全风险报告率", "较大以上安全风险报告率"],
        unit="家",
        colloq=["{Y}{Q}工业企业较大以上安全风险报告了多少家"],
    ),
    ("表2-1", 13): dict(
        short=["重点行业领域安全生产责任险投保率", "安全生产责任险投保率", "安责险投保率"],
        unit="家",
        colloq=["{Y}{Q}重点行业领域安全生产责任险投保了多少家"],
    ),
    ("表2-2", 1): dict(short=["自然灾害直接经济损失占地区生产总值的比例", "自然灾害直接经济损失占GDP比例"]),
    ("表2-2", 2): dict(short=["每百万人口因自然灾害死亡率", "每百万人口自然灾害死亡率"], bare=True),
    ("表2-2", 3): dict(short=["每十万人受灾人次", "年均每十万人受灾人次"], bare=True),
    ("表2-2", 4): dict(
        short=["流域、区域防洪标准", "流域和区域防洪标准"], target_contains=["100年一遇", "50年一遇", "20年一遇"]
    ),
    ("表2-2", 5): dict(
        short=["城市防洪排涝标准"], target_contains=["100年一遇", "200年一遇", "50年一遇"]
    ),  # "治涝按20|年一遇" is cut by a page
    ("表2-2", 6): dict(
        short=["每个城乡社区灾害信息员", "城乡社区灾害信息员"],
        bare=True,
        unit="名",
        colloq=["{Y}{Q}每个城乡社区有几名灾害信息员"],
    ),
    ("表2-2", 7): dict(short=["灾害事故信息发布公众覆盖率"]),
    ("表2-3", 1): dict(short=["消防救援5分钟响应覆盖范围占城市建成区面积", "消防救援5分钟响应覆盖范围"]),
    ("表2-3", 2): dict(
        short=["应急物资储备库数量", "应急物资储备库"], bare=True, unit="个", colloq=["{Y}{Q}有几个应急物资储备库"]
    ),
}

# Rows the report says are not yet counted (第六部分(一)5.(1)"二是"：…等规划指标尚未统计): their cells only
# repeat the target, so only the target is asked. Rows whose cells all equal the target are added in code.
NOT_COUNTED = {("表2-1", 6), ("表2-1", 8), ("表2-1", 9), ("表2-2", 4), ("表2-2", 5), ("表2-2", 7), ("表2-3", 1)}
# Cells that are extraction debris rather than the column's meaning.
SKIP_CELLS = {
    ("表2-3", 2, "change"): "the 降幅 cells read 1 and 11 — not a change against 2020",
    ("表2-2", 1, "change"): "the 2022 降幅 cell holds the ratio (<0.5%), not a change against 2020",
}

# Column words. {N} name, {Y} year form, {Q} qualifier slot (empty for answerable questions).
TARGET_TEMPLATES = [
    "{Q}{N}的规划目标是多少",
    "{Q}{N}的目标值是多少",
    "规划对{Q}{N}的要求是多少",
    "“十四五”规划里{Q}{N}的目标",
]
BASE_TEMPLATES = ["{Q}{N}的2020年基数是多少", "{Q}{N}基数是多少", "2020年{Q}{N}是多少", "{Q}{N}在2020年是多少"]
ACTUAL_TEMPLATES = ["{Y}{Q}{N}实际数是多少", "{Y}{Q}{N}实际完成多少", "{Q}{N}{Y}实际是多少", "{Y}{Q}{N}的实际完成值"]
BARE_TEMPLATES = ["{Y}{Q}{N}是多少", "{Q}{N}{Y}是多少"]
CHANGE_TEMPLATES = {
    "down": [
        "{Y}{Q}{N}比2020年降幅是多少",
        "{Y}{Q}{N}比2020年下降了百分之多少",
        "{Y}{Q}{N}较2020年变化幅度",
        "{Q}{N}{Y}的降幅",
    ],
    "up": ["{Y}{Q}{N}较2020年变化幅度", "{Y}{Q}{N}比2020年提高了百分之多少", "{Y}{Q}{N}比2020年增幅是多少"],
    "flat": ["{Y}{Q}{N}较2020年变化幅度", "{Y}{Q}{N}比2020年降幅是多少"],
}
# The full printed name, asked as a reference to the table row.
FULL_TEMPLATE = "{T}中“{F}”这一行{C}是多少"
FULL_COLUMN = {"target": "的规划目标", "base": "的2020年基数", "actual": "{Y}的实际数", "change": "{Y}比2020年降幅(±%)"}
CELLS_PER_MEASURE = {"target": 8, "base": 10, "actual": 18, "change": 12}
ZERO_CELL_CAP = 5  # cells reading "0" say little; fewer variants

# Census rows: question measure words by printed unit (None: ask for the 完成调查数量 only).
CENSUS_UNIT_WORDS = {
    "个": "个",
    "栋": "栋",
    "条": "条",
    "条座": None,
    "座": "座",
    "份": "份",
    "公里": "公里",
    "km": "公里",
    "项": "项",
}
# Rows whose category path is printed cleanly; the others were cut by page breaks or shifted cells
# (e.g. 12-14 "危险化学品自然灾害承|灾体"), so only their 行业部门 is used.
CENSUS_PATH_TRUSTED = set(range(1, 12)) | set(range(27, 45))
# 小类 names that read badly after "普查了多少个…".
CENSUS_NOT_COUNTABLE = re.compile(r"(能力|统计表|结果|信息|图斑|调查|报告|钻孔|队伍与装备)$|^不需要")
CENSUS_TEMPLATES = [
    "自然灾害综合风险普查中{name}完成调查多少{u}",
    "普查成果分类统计里{name}的完成调查数量是多少",
    "{name}普查完成了多少{u}",
]
CENSUS_COUNT_TEMPLATES = ["普查了多少{u}{name}", "风险普查一共调查了几{u}{name}"]
CENSUS_PATH_TEMPLATES = ["{dept}普查的{path}里，{name}有多少{u}", "普查成果中{path}类的{name}完成调查数量是多少"]
CENSUS_EXPLICIT_TEMPLATES = [
    "普查成果分类统计表中{name}的完成调查数量是多少",
    "普查成果分类统计里{dept}{name}完成调查多少{u}",
]
CENSUS_PAIRS = 200

# Prose figures.
PROSE_MAX_QUESTIONS = 2
# Words at the end of a subject that are not part of what is counted.
TRAILING_FILLERS = [
    "提高至",
    "下降至",
    "降至",
    "设定为",
    "约为",
    "合计为",
    "总计",
    "合计",
    "共计",
    "累计",
    "达到",
    "超过",
    "达",
    "为",
    "约",
    "共",
    "超",
    "有",
    "计",
    "逾",
    "近",
    "至",
]
LEADING_FILLERS = ["其中", "全市共", "全市", "共计", "累计", "共", "另", "已", "并"]
# A subject whose last word is one of these does not name what is counted.
NOT_A_NOUN = {
    "完成",
    "对",
    "在",
    "向",
    "包含",
    "投入",
    "新建",
    "签订",
    "开展",
    "召开",
    "组织开展",
    "选取",
    "排出",
    "余下",
    "分批推进",
    "发动",
    "连续",
    "修编",
    "共调拨",
    "针对全市",
    "依托全市",
    "覆盖全市",
    "明确",
    "指导",
    "已有",
    "全市",
    "建党",
    "行政处罚",
    "整改",
    "完成整改",
    "已完成整改",
    "关闭取缔",
    "立案",
    "立案调查",
    "媒体曝光",
    "发现问题",
    "投资",
    "投资约",
    "拨付",
    "筹措",
    "拟投入",
    "总计",
    "包括",
    "涉及企业",
    "涉及",
    "企业",
    "单位",
}
NOUNISH_TAGS = ("n", "vn", "nz", "nt", "ns", "nr", "j", "i", "l", "eng", "an")
NOUN_SUFFIX = re.compile(r"(率|数|额|量|金|费|书|单|人次|家次|面积|长度|资金|项目|企业|单位|场所|人员|队伍|隐患|问题)$")

# Near misses.
PLACES = ["上海", "苏州", "南京", "无锡", "张浦镇", "花桥镇", "周市镇", "千灯镇"]
PLACE_FORMS = {"上海": "上海市", "苏州": "苏州市", "南京": "南京市", "无锡": "无锡市"}
SECTORS = ["建筑施工领域的", "道路交通领域的", "危险化学品领域的", "冶金工贸领域的", "城镇燃气领域的", "水上交通领域的"]
SECTOR_ROWS = {("表2-1", 1), ("表2-1", 2)}  # city-wide totals with no sector breakdown in the report
# Rows asked for another place: the city-wide safety indicators. Not 表2-2/2-3: per-community or single-site
# figures ("每个城乡社区灾害信息员 1", "应急物资储备库 1", the new 储备库 being in 周市镇) could carry over.
PLACE_ROWS = {("表2-1", k) for k in range(1, 14)}
# Undated prose figures are asked for 2019 only when they count events (a length or area has no year).
EVENT_UNITS = {
    "次",
    "家次",
    "人次",
    "起",
    "条",
    "场",
    "场次",
    "批次",
    "艘次",
    "辆次",
    "份",
    "期",
    "篇",
    "轮",
    "件",
    "档",
}
UNASKED_YEARS = {2019: ["2019年", "19年"], 2023: ["2023年", "今年"]}
# Indicator rows asked for a year the tables lack: only rows with non-zero actuals, and for 2023 not rows
# whose name the report mentions in a 2023 sentence (11: "截至2023年4月…全部申报"; 13: 2023年度 投保率100%).
YEAR_MISS_ROWS = {
    2019: {("表2-1", k) for k in (1, 2, 3, 7, 11, 12, 13)} | {("表2-2", 3)},
    2023: {("表2-1", k) for k in (1, 2, 3, 7, 12)},
}


# ───────────────────────────── helpers ─────────────────────────────


@dataclass
class Item:
    question: str
    category: str
    answer: str
    must_contain: list[str]
    evidence: list[str]
    source: str
    kind: str
    computed: bool = False


@dataclass
class Fact:
    """One answerable fact, kept for compounds and near misses."""

    kind: str  # table | census | prose
    category: str
    questions: list[str]
    answer: str
    must_contain: list[str]
    evidence: list[str]
    source: str
    np: str = ""  # noun phrase naming the figure ("2022年生产安全事故起数实际数"), for compounds
    extra: dict = field(default_factory=dict)

    def items(self) -> list[Item]:
        """One question item per phrasing of this fact."""
        return [
            Item(question, self.category, self.answer, self.must_contain, self.evidence, self.source, self.kind)
            for question in self.questions
        ]


def norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def occurs(needle: str, haystack: str) -> bool:
    """needle in haystack, a number only on digit boundaries (whitespace-separated cells stay apart)."""
    n = unicodedata.normalize("NFKC", needle)
    h = "|".join(unicodedata.normalize("NFKC", p) for p in haystack.split())
    pattern = (r"(?<![\d.])" if n[:1].isdigit() else "") + re.escape(n) + (r"(?![\d])" if n[-1:].isdigit() else "")
    return re.search(pattern, h) is not None


def number_of(raw: str) -> str:
    """The number as printed, without unit, sign or %: '-48.48%' -> '48.48', '5.6 万余件' -> '5.6'."""
    m = re.search(r"\d+(?:\.\d+)?", raw)
    return m.group(0) if m else raw


def cell_must(raw: str) -> str:
    """A cell as printed without % — comparison signs kept ('>20%' -> '>20'), minus signs dropped since the
    question carries the direction ('-48.48%' -> '48.48'), trailing words dropped ('101.84万' -> '101.84')."""
    s = raw.strip().rstrip("%％")
    m = re.match(r"^([<>≥≤]?)\s*[-−+]?(\d+(?:\.\d+)?)", s)
    return (m.group(1) + m.group(2)) if m else s


def fmt(value: Decimal, places: int) -> str:
    """Round to the inputs' decimals and drop trailing zeros: Decimal('0.40') -> '0.4', 16 -> '16'."""
    q = value.quantize(Decimal(1).scaleb(-places)) if places else value.quantize(Decimal(1))
    s = format(q, "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def decimals(raw: str) -> int:
    n = number_of(raw)
    return len(n.split(".")[1]) if "." in n else 0


def q(text: str) -> str:
    """Finish a question: one question mark, no doubled spaces."""
    text = re.sub(r"\s+", "", text).rstrip("？?。")
    return text + "？"


def pick(rng: random.Random, groups: dict[str, list[str]], cap: int) -> list[str]:
    """Up to cap distinct questions, taken round-robin over the variant styles so each style shows up."""
    pools = {k: list(dict.fromkeys(v)) for k, v in groups.items() if v}
    for v in pools.values():
        rng.shuffle(v)
    out, seen = [], set()
    while len(out) < cap and any(pools.values()):
        for k in list(pools):
            if pools[k] and len(out) < cap:
                s = pools[k].pop()
                if s not in seen:
                    seen.add(s)
                    out.append(s)
    return out


class Report:
    """The report text, its lines and sentences, for evidence and for near-miss checks."""

    def __init__(self, path: Path):
        self.text = path.read_text("utf-8")
        self.lines = self.text.split("\n")
        self.flat = norm(self.text.replace("**", ""))  # bold marks are dropped by the parser
        body = re.sub(r"\n\s*\n", "\n", self.text)
        self.sentences = [s for s in re.split(r"(?<=[。！？；])|\n", body) if s.strip()]

    def line(self, no: int) -> str:
        return self.lines[no - 1].strip()

    def span(self, first: int, last: int) -> str:
        return "\n".join(self.lines[first - 1 : last])

    def sentences_with(self, phrase: str) -> list[str]:
        p = norm(phrase)
        return [s for s in self.sentences if p in norm(s)]


# ───────────────────────────── 1. table cells ─────────────────────────────


def table_key(rec) -> tuple[str, int]:
    return (rec.table.split()[0] if rec.table.startswith("表") else rec.table, rec.row)


def indicator_rows(records) -> dict[tuple[str, int], list]:
    rows: dict[tuple[str, int], list] = defaultdict(list)
    for r in records:
        if r.measure != "count":
            rows[table_key(r)].append(r)
    return rows


def not_counted(key, cells) -> bool:
    """The report does not count this row, or every cell just repeats the target."""
    target = [c.raw for c in cells if c.measure == "target"]
    others = [c.raw for c in cells if c.measure != "target" and c.raw.strip()]
    return key in NOT_COUNTED or (bool(target) and bool(others) and all(o == target[0] for o in others))


def change_direction(rec) -> str:
    if rec.value is None or rec.value == 0:
        return "flat"
    return "down" if rec.value < 0 else "up"


def table_cell_questions(key, rec, meta, qual: str = "", years: list[str] | None = None) -> dict[str, list[str]]:
    """All question variants for one cell, grouped by style. qual fills the {Q} slot (near misses)."""
    names = meta["short"]
    full = rec.indicator
    tname = key[0]
    groups: dict[str, list[str]] = defaultdict(list)
    m = rec.measure
    if m == "target":
        for n in names:
            groups["short"] += [t.format(N=n, Q=qual) for t in TARGET_TEMPLATES]
        if not qual:
            groups["full"].append(FULL_TEMPLATE.format(T=tname, F=full, C=FULL_COLUMN["target"]))
        return groups
    year_forms = years or ([BASE_YEAR_FORM] if m == "base" else YEAR_FORMS[rec.year])
    if m == "base":
        for n in names:
            groups["short"] += [t.format(N=n, Q=qual) for t in BASE_TEMPLATES]
        for t in meta.get("colloq", []):
            groups["colloq"].append(t.format(Y=BASE_YEAR_FORM, Q=qual))
        if not qual:
            groups["full"].append(FULL_TEMPLATE.format(T=tname, F=full, C=FULL_COLUMN["base"]))
        return groups
    templates = CHANGE_TEMPLATES[change_direction(rec)] if m == "change" else ACTUAL_TEMPLATES
    for y in year_forms:
        for n in names:
            for t in templates:
                style = "reorder" if t.startswith("{Q}{N}") else "short"
                groups[style].append(t.format(Y=y, N=n, Q=qual))
            if m == "actual" and meta.get("bare"):
                for t in BARE_TEMPLATES:
                    groups["bare"].append(t.format(Y=y, N=n, Q=qual))
        if m == "actual":
            for t in meta.get("colloq", []):
                groups["colloq"].append(t.format(Y=y, Q=qual))
        if not qual:
            groups["full"].append(FULL_TEMPLATE.format(T=tname, F=full, C=FULL_COLUMN[m].format(Y=y)))
    return groups


def cell_np(rec, meta) -> str:
    n = meta["short"][0]
    return {
        "target": f"{n}的规划目标",
        "base": f"{n}的2020年基数",
        "actual": f"{rec.year}年{n}实际数",
        "change": f"{rec.year}年{n}较2020年变化幅度",
    }[rec.measure]


def table_items(records, report: Report, rng: random.Random, skipped: Counter) -> tuple[list[Item], list[Fact]]:
    items, facts = [], []
    for key, cells in sorted(indicator_rows(records).items()):
        meta = INDICATORS.get(key)
        if meta is None:
            skipped[f"table row without a name mapping {key}"] += 1
            continue
        counted = not not_counted(key, cells)
        for rec in cells:
            raw = rec.raw.strip()
            if not raw or raw in {"/", "—", "-"}:
                skipped["table cell empty or '/'"] += 1
                continue
            if rec.measure != "target" and not counted:
                skipped["table cell of a row the report does not count (repeats the target)"] += 1
                continue
            if (key[0], key[1], rec.measure) in SKIP_CELLS:
                skipped[f"table cell: {SKIP_CELLS[(key[0], key[1], rec.measure)]}"] += 1
                continue
            if rec.measure == "target" and "target_contains" in meta:
                must = list(meta["target_contains"])
            else:
                must = [cell_must(raw)]
            cap = ZERO_CELL_CAP if rec.value == 0 else CELLS_PER_MEASURE[rec.measure]
            questions = [q(s) for s in pick(rng, table_cell_questions(key, rec, meta), cap)]
            evidence = [report.line(rec.lines[0])]
            source = f"{key[0]} row {key[1]} col {rec.column}"
            answer = f"{meta['short'][0]} {rec.column}：{raw}"
            facts.append(
                Fact(
                    "table",
                    "table",
                    questions,
                    answer,
                    must,
                    evidence,
                    source,
                    np=cell_np(rec, meta),
                    extra=dict(key=key, rec=rec, meta=meta),
                )
            )
            items.extend(facts[-1].items())
    return items, facts


# ───────────────────────────── 2. census rows ─────────────────────────────


def census_path(rec) -> list[str]:
    """行业部门, 大类, 中类 from the record's rendered row ('… 第3行：应急管理局 > 承灾体 > … > 小类；…')."""
    m = re.search(r"第\d+行：(.*?)；", rec.context)
    parts = [p.strip() for p in m.group(1).split(">")] if m else []
    return parts[:-1]


def census_conflicts(rec, figures) -> list[str]:
    """Prose figures that print a different quantity of the same unit for this 小类, the name standing right
    before or right after the number ('完成1333.67公里公路承灾体普查' for 公路)."""
    fam = unit_family(rec.unit)
    out = []
    for f in figures:
        if unit_family(f.unit) != fam or scaled(f) == Decimal(str(rec.value)):
            continue
        i = f.clause.find(f.raw)
        after = re.split(r"[，、；。和及]", f.clause[i + len(f.raw) :])[0] if i >= 0 else ""
        before = SEPARATORS.split(f.subject)[-1]
        if rec.indicator in after or rec.indicator in before:
            out.append(f.raw)
    return out


def census_items(records, figures, report: Report, rng: random.Random, skipped: Counter):
    items, facts = [], []
    for rec in [r for r in records if r.measure == "count"]:
        if rec.value is None:
            skipped["census row without a number"] += 1
            continue
        name = rec.indicator
        u = CENSUS_UNIT_WORDS.get(rec.unit.replace(" ", ""))
        path = census_path(rec)
        dept = path[0] if path else ""
        conflicts = census_conflicts(rec, figures)
        groups: dict[str, list[str]] = defaultdict(list)
        if conflicts:  # the prose prints another figure: name the table
            groups["explicit"] = [
                t.format(name=name, dept=dept, u=u or "") for t in CENSUS_EXPLICIT_TEMPLATES if u or "{u}" not in t
            ]
        else:
            for t in CENSUS_TEMPLATES:
                if u or "{u}" not in t:
                    groups["name"].append(t.format(name=name, u=u or ""))
            if u and not CENSUS_NOT_COUNTABLE.search(name):
                groups["count"] = [t.format(name=name, u=u) for t in CENSUS_COUNT_TEMPLATES]
            if rec.row in CENSUS_PATH_TRUSTED and len(path) >= 3:
                cats = [p for p in path[1:] if p and p != name]
                cats = list(dict.fromkeys(cats))
                groups["path"] = [
                    t.format(dept=dept, path="".join(cats), name=name, u=u or "个")
                    for t in CENSUS_PATH_TEMPLATES
                    if u or "{u}" not in t
                ]
            elif dept:
                groups["path"] = [f"{dept}普查的{name}完成调查数量是多少"]
        questions = [q(s) for s in pick(rng, groups, 8)]
        must = [number_of(rec.raw)]
        evidence = [report.line(rec.lines[0])]
        source = f"{rec.table} row {rec.row} ({name}) col 完成调查数量"
        answer = f"{name}：{rec.raw.replace(' ', '')}"
        facts.append(
            Fact(
                "census",
                "table",
                questions,
                answer,
                must,
                evidence,
                source,
                np=f"普查的{name}数量",
                extra=dict(rec=rec, dept=dept, ambiguous=bool(conflicts), unit_word=u),
            )
        )
        items.extend(facts[-1].items())
        if conflicts:
            skipped[f"census row asked only by table name (prose prints {'/'.join(conflicts)})"] += 1
    return items, facts


# ───────────────────────────── 3. prose figures ─────────────────────────────

SCALE = {"万": Decimal(10000), "亿": Decimal(100000000), "千": Decimal(1000)}
TIME = re.compile(
    r"(?:截至|截止|自)?\s*(20\d{2})\s*年(?:\s*[、和至]\s*20\d{2}\s*年)?(?:\s*\d{1,2}\s*月)?"
    r"(?:底|末|以来|至今|上半年|下半年|度)?"
)
ASIDES = re.compile(r"《[^》]*》|<[^>]*>|（[^）]*）|\([^)]*\)|〔[^〕]*〕")
SEPARATORS = re.compile(r"[，,、；;：:（(）)《》<>“”\"‘’【】]")
TOPIC = re.compile(r"^\**([\u4e00-\u9fff“”（）]{2,14}?)(?:方面)?\**[：:]")


def unit_family(unit: str) -> str:
    return re.sub(r"^[万亿千]|[余多]", "", unit.replace(" ", ""))


def scaled(f) -> Decimal:
    d = Decimal(number_of(f.raw))
    u = f.unit.replace(" ", "")
    return d * SCALE[u[0]] if u[:1] in SCALE else d


def question_unit(unit: str) -> str:
    """What to ask for: '5.6万余件' -> 件, '2051.02万元' -> 万元, '%' -> ''."""
    u = unit.replace(" ", "").replace("余", "").replace("多", "")
    if u in ("%", "％", ""):
        return ""
    if u.endswith("元") or u.endswith("平方米"):
        return u
    return re.sub(r"^[万亿千]", "", u)


def figure_position(f) -> int:
    """Offset of the figure in its sentence."""
    c0 = f.sentence.find(f.clause)
    idx = f.clause.find(f.raw)
    while idx >= 0 and f.clause[:idx].strip("，；：。 ") != f.subject:
        idx = f.clause.find(f.raw, idx + 1)
    return max(c0, 0) + max(idx, 0)


def time_phrase(f) -> str:
    """The last time expression before the figure in its sentence, as printed ('截至2022年底', '2021年')."""
    before = ASIDES.sub(lambda m: "#" * len(m.group(0)), f.sentence[: figure_position(f)])
    found = ""
    for m in TIME.finditer(before):
        pre = before[max(0, m.start() - 1) : m.start()]
        post = before[m.end() : m.end() + 2]
        if pre in ("较", "比", "-", "—", "~", "～") or post.startswith(("基数", "-", "—", "版")):
            continue
        found = re.sub(r"\s+", "", m.group(0))
    return found


def plain_year(t: str) -> int | None:
    m = re.fullmatch(r"(20\d{2})年", t)
    return int(m.group(1)) if m else None


def strip_fillers(s: str) -> str:
    changed = True
    while changed:
        changed = False
        for w in TRAILING_FILLERS:
            if s.endswith(w) and len(s) > len(w):
                s, changed = s[: -len(w)], True
        for w in LEADING_FILLERS:
            if s.startswith(w) and len(s) > len(w) + 1:
                s, changed = s[len(w) :], True
    return s


def subject_phrase(f) -> str:
    """The words naming what is counted: the subject's last segment, time words and fillers removed."""
    seg = SEPARATORS.split(f.subject)[-1]
    seg = TIME.sub("", seg)
    seg = re.sub(r"^[，。、\s]+", "", seg)
    return strip_fillers(seg.strip())


def last_noun_phrase(phrase: str, pseg) -> str:
    """Trailing run of noun-like words of a phrase ('区镇两级累计检查企业' -> '企业'); '' if it ends in a verb."""
    if not phrase or phrase in NOT_A_NOUN or phrase[-1] in "的和及等与或内对在向":
        return ""
    words = list(pseg.cut(phrase))
    run = []
    for w in reversed(words):
        if w.flag.startswith(NOUNISH_TAGS) or NOUN_SUFFIX.search(w.word):
            run.insert(0, w.word)
        else:
            break
    np = "".join(run)
    cjk = len(re.findall(r"[\u4e00-\u9fff]", np))
    if cjk < 2 or np in NOT_A_NOUN:
        return ""
    return np


def prose_cloze(f, t: str) -> str:
    """The clause up to the figure, its time phrase taken out ('2022年全市累计检查点位' -> '全市累计检查点位')."""
    before = f.clause[: f.clause.find(f.raw)] if f.raw in f.clause else f.subject
    before = before.strip().lstrip("，；：、*").strip()
    if t:
        before = before.replace(t, "", 1)
    if not t or plain_year(t):
        before = TIME.sub("", before)
    before = re.sub(r"^[，、：\s]+", "", before)
    return re.sub(r"^其中", "", before)


def ask_for(f, cloze: str) -> tuple[str, str]:
    """(cloze, ask): '…率达' + '多少'; '…检查点位' + '多少个'; '…死亡率为' + '多少'."""
    u = question_unit(f.unit)
    for w in ("约为", "合计为", "设定为", "达到", "达", "为", "约"):
        if cloze.endswith(w) and not u:
            return cloze, "多少"
    return cloze, (f"多少{u}" if u else "是多少")


def paragraph_topic(f) -> str:
    m = TOPIC.match(f.lead or "")
    return m.group(1) if m else ""


def previous_clause(f) -> str:
    """The clause before the figure's clause in its sentence, if short enough to give context."""
    cls = [c for c in re.split(r"(?<=[，；])", f.sentence) if c.strip()]
    for i, c in enumerate(cls):
        if f.clause.strip("，；。") and f.clause.strip("，；。") in c and i > 0:
            prev = cls[i - 1].strip().rstrip("，；").replace("**", "")
            prev = re.sub(r"^[^，。：]{2,14}：", "", prev)  # the paragraph's topic label
            cjk = len(re.findall(r"[\u4e00-\u9fff]", prev))
            return prev if cjk >= 4 and len(prev) <= 40 else ""
    return ""


def figure_ok(f) -> str:
    """'' if a figure may be asked, else the reason it is skipped."""
    pos = figure_position(f) + len(f.raw)
    after = f.sentence[pos : pos + 1]
    if re.match(r"[\u4e00-\u9fffA-Za-z0-9]", after):
        return "prose figure modifies the word after it (counted thing follows the number)"
    if f.subject.count("《") != f.subject.count("》") or f.subject.count("“") > f.subject.count("”"):
        return "prose figure inside a title or quotation"
    if f.subject.count("（") > f.subject.count("）") or f.subject.count("(") > f.subject.count(")"):
        return "prose figure inside a parenthetical aside (e.g. 2020年基数, 有效避难面积)"
    if "双" in f.subject[-2:]:
        return "prose figure shared by two rates (实现双100%)"
    if len(f.year.split(",")) > 1 and not time_phrase(f):
        return "prose figure with several years and no time phrase before it"
    return ""


def same_words(a: str, b: str) -> bool:
    """Same characters in another order ('各类隐患问题' / '各类问题隐患')."""
    return len(a) >= 4 and sorted(a) == sorted(b)


MIN_CLOZE_CHARS = 10  # shorter clauses ('试题多少道', '长度多少米') are asked only with their context


def prose_items(figures, records, report: Report, rng: random.Random, skipped: Counter):
    import jieba
    import jieba.posseg as pseg

    jieba.setLogLevel(logging.WARNING)
    candidates = []
    for f in figures:
        why = figure_ok(f)
        if why:
            skipped[why] += 1
            continue
        s = subject_phrase(f)
        np = last_noun_phrase(s, pseg)
        if not np:
            skipped["prose subject does not name what is counted (verb, pronoun or <2 characters)"] += 1
            continue
        candidates.append((f, s, np, time_phrase(f)))
    segments = [(g, subject_phrase(g)) for g in figures]

    def conflicting(f, s, t) -> bool:
        """Another printing of the same subject phrase (or its words reordered) with the same unit family and a
        different number, not told apart by explicit years; or a table cell under that name with another value."""
        fam, v, y = unit_family(f.unit), scaled(f), plain_year(t)
        for g, gs in segments:
            if g is f or unit_family(g.unit) != fam or scaled(g) == v:
                continue
            if s not in g.clause and not same_words(s, gs):
                continue
            gy = plain_year(time_phrase(g))
            if y and gy and y != gy:
                continue
            return True
        for r in records:
            if (
                r.value is not None
                and s in r.indicator
                and (y is None or r.year in (None, y))
                and Decimal(str(r.value)) != v
            ):
                return True
        return False

    items, facts, seen = [], [], set()
    for f, s, np, t in candidates:
        key = (s, scaled(f), unit_family(f.unit), t)
        if key in seen:
            continue
        seen.add(key)
        if conflicting(f, s, t) or (len(np) >= 4 and conflicting(f, np, t)):
            skipped["prose subject printed with another number elsewhere (ambiguous)"] += 1
            continue
        cloze, ask = ask_for(f, prose_cloze(f, t))
        chars = len(re.findall(r"[\u4e00-\u9fff]", cloze))
        if chars < 2:
            skipped["prose clause too short to ask"] += 1
            continue
        topic, prev = paragraph_topic(f), previous_clause(f)
        if t and prev:
            prev = prev.replace(t, "", 1).lstrip("，、 ") if t in prev else prev
        context = "，".join(x for x in (f"{topic}方面" if topic and topic not in cloze else "", prev) if x)
        variants: dict[str, list[str]] = defaultdict(list)
        if chars >= MIN_CLOZE_CHARS:
            variants["cloze"].append(f"{t}{cloze}{ask}")
        if context and (chars < MIN_CLOZE_CHARS or len(context) <= 30):
            lead = f"{t}，" if t else ""
            variants["context"].append(
                f"{context}，{lead}{cloze}{ask}" if topic and not prev else f"{lead}{context}，{cloze}{ask}"
            )
        if not variants:
            skipped["prose clause too short to ask and no context to add"] += 1
            continue
        questions = [q(x) for x in pick(rng, variants, PROSE_MAX_QUESTIONS)]
        must = [number_of(f.raw)]
        evidence = [f.sentence.strip()]
        source = f"prose line {f.lines[0]}: {f.clause.strip()[:40]}"
        clause = re.sub(r"\s+", "", f.clause.strip("，；。：*"))
        answer = clause if not t or t in clause else f"{t}，{clause}"
        facts.append(
            Fact(
                "prose",
                "prose_number",
                questions,
                answer,
                must,
                evidence,
                source,
                extra=dict(fig=f, subject=s, np=np, time=t, cloze=cloze, ask=ask),
            )
        )
        items.extend(facts[-1].items())
    return items, facts


# ───────────────────────────── 4. comparisons ─────────────────────────────


def dec(raw: str) -> Decimal:
    return Decimal(number_of(raw))


def indicator_comparisons(records, report: Report, rng: random.Random) -> list[Item]:
    items = []
    for key, cells in sorted(indicator_rows(records).items()):
        meta = INDICATORS.get(key)
        if not meta or not_counted(key, cells):
            continue
        by = {(c.measure, c.year): c for c in cells}
        a21, a22, base = by.get(("actual", 2021)), by.get(("actual", 2022)), by.get(("base", 2020))
        if not (a21 and a22) or a21.value is None or a22.value is None or a21.value == a22.value:
            continue
        n = meta["short"][0]
        unit = meta.get("unit", "")
        name = n if key not in {("表2-1", 11), ("表2-1", 12), ("表2-1", 13)} else f"{n}实际数"
        evidence = [report.line(a21.lines[0])]
        src = f"{key[0]} row {key[1]}"
        # (a) 2022 vs 2021
        d = dec(a22.raw) - dec(a21.raw)
        places = max(decimals(a21.raw), decimals(a22.raw))
        word = "少" if d < 0 else "多"
        res = fmt(abs(d), places)
        forms = list(zip(YEAR_FORMS[2022], YEAR_FORMS[2021]))
        qs = [f"{y2}{name}比{y1}{word}了多少{unit}" for y2, y1 in forms]
        qs += [f"{name}{y2}和{y1}相差多少" for y2, y1 in forms[:1]]
        if key in {("表2-1", 1)}:
            qs += [f"{y2}生产安全事故比{y1}{word}了几起" for y2, y1 in forms[1:]]
        if key in {("表2-1", 2)}:
            qs += [f"{y2}生产安全事故死亡人数比{y1}{word}了几个人" for y2, y1 in forms[1:]]
        for question in pick(rng, {"d": qs}, 4):
            items.append(
                Item(
                    q(question),
                    "comparison",
                    f"{a22.raw}−{a21.raw}={fmt(d, places)}{unit}",
                    [res],
                    evidence,
                    f"{src}: 2022年实际数 {a22.raw} − 2021年实际数 {a21.raw}",
                    "comparison_years",
                    computed=True,
                )
            )
        # (a) sum of the two years, only for event counts
        if meta.get("sum"):
            s = dec(a21.raw) + dec(a22.raw)
            res = fmt(s, places)
            qs = [f"{y1}和{y2}{name}一共是多少{unit}" for y2, y1 in forms]
            if key == ("表2-1", 1):
                qs += ["21年和22年一共发生了多少起生产安全事故", "前年和去年加起来出了几起生产安全事故"]
            if key == ("表2-1", 2):
                qs += ["21年和22年生产安全事故一共死了多少人", "前年和去年生产安全事故死亡人数合计多少"]
            for question in pick(rng, {"s": qs}, 4):
                items.append(
                    Item(
                        q(question),
                        "comparison",
                        f"{a21.raw}+{a22.raw}={res}{unit}",
                        [res],
                        evidence,
                        f"{src}: 2021年实际数 {a21.raw} + 2022年实际数 {a22.raw}",
                        "comparison_sum",
                        computed=True,
                    )
                )
        # (a) against the 2020 base
        if base is not None and base.value is not None:
            for a in (a21, a22):
                if a.value == base.value:
                    continue
                d = dec(a.raw) - dec(base.raw)
                places = max(decimals(a.raw), decimals(base.raw))
                res = fmt(abs(d), places)
                if unit:
                    verb = "减少" if d < 0 else "增加"
                    qs = [f"{y}{name}比2020年{verb}了多少{unit}" for y in YEAR_FORMS[a.year]]
                else:
                    qs = [f"{y}{name}和2020年基数相差多少" for y in YEAR_FORMS[a.year]]
                for question in pick(rng, {"b": qs}, 2):
                    items.append(
                        Item(
                            q(question),
                            "comparison",
                            f"{a.raw}−{base.raw}={fmt(d, places)}{unit}",
                            [res],
                            evidence,
                            f"{src}: {a.year}年实际数 {a.raw} − 2020年基数 {base.raw}",
                            "comparison_base",
                            computed=True,
                        )
                    )
    return items


def census_pairs(census_facts: list[Fact], rng: random.Random) -> list[Item]:
    """Random pairs of census rows printed with the same unit: 'A和B一共多少个'."""
    by_unit: dict[str, list[Fact]] = defaultdict(list)
    for f in census_facts:
        if not f.extra["ambiguous"] and f.extra["unit_word"] and f.extra["rec"].value:
            by_unit[f.extra["rec"].unit.replace(" ", "")].append(f)
    pairs = []
    for fs in (by_unit[u] for u in sorted(by_unit)):
        for i in range(len(fs)):
            for j in range(i + 1, len(fs)):
                pairs.append((fs[i], fs[j]))
    rng.shuffle(pairs)
    # keep every pair of the small unit groups, sample the rest
    small = [p for p in pairs if len(by_unit[p[0].extra["rec"].unit.replace(" ", "")]) <= 5]
    rest = [p for p in pairs if p not in small]
    chosen = small + rest[: max(0, CENSUS_PAIRS - len(small))]
    items = []
    templates = [
        "普查中{a}和{b}一共多少{u}",
        "自然灾害综合风险普查里{a}加上{b}总共调查了多少{u}",
        "{a}和{b}的完成调查数量合计是多少",
    ]
    for fa, fb in chosen:
        ra, rb = fa.extra["rec"], fb.extra["rec"]
        s = dec(ra.raw) + dec(rb.raw)
        res = fmt(s, max(decimals(ra.raw), decimals(rb.raw)))
        t = rng.choice(templates)
        items.append(
            Item(
                q(t.format(a=ra.indicator, b=rb.indicator, u=fa.extra["unit_word"])),
                "comparison",
                f"{ra.raw.replace(' ', '')}+{rb.raw.replace(' ', '')}={res}{fa.extra['unit_word']}",
                [res],
                fa.evidence + fb.evidence,
                f"{ra.table} rows {ra.row}+{rb.row}: {ra.indicator} {ra.raw} + {rb.indicator} {rb.raw}",
                "comparison_census_sum",
                computed=True,
            )
        )
    return items


# ───────────────────────────── 5. compounds ─────────────────────────────


def compound_items(facts: list[Fact], n: int, rng: random.Random) -> list[Item]:
    pool = [
        f
        for f in facts
        if not f.extra.get("ambiguous")
        and f.must_contain
        and not any(m in ("0", "1") for m in f.must_contain)
        and len(f.must_contain) == 1
    ]
    items, seen = [], set()
    tries = 0
    while len(items) < n and tries < n * 50:
        tries += 1
        a, b = rng.sample(pool, 2)
        if a.source == b.source or a.must_contain == b.must_contain or (a.source, b.source) in seen:
            continue
        if a.kind == "table" and b.kind == "table" and a.extra["key"] == b.extra["key"]:
            continue  # same row: a follow-up, not two facts
        seen.add((a.source, b.source))
        if a.np and b.np and rng.random() < 0.6:
            form = rng.choice(["{x}是多少？{y}呢", "{x}和{y}各是多少"])
            question = form.format(x=a.np, y=b.np)
        else:
            qa_, qb = rng.choice(a.questions).rstrip("？"), rng.choice(b.questions).rstrip("？")
            question = f"{qa_}？另外，{qb}"
        items.append(
            Item(
                q(question),
                a.category,
                f"{a.answer}；{b.answer}",
                a.must_contain + b.must_contain,
                a.evidence + b.evidence,
                f"compound: {a.source} + {b.source}",
                f"compound_{a.kind}",
            )
        )
    return items


# ───────────────────────────── 6. near misses ─────────────────────────────


def place_is_near(place: str, texts: list[str]) -> bool:
    return any(place in t for t in texts)


def table_row_texts(key, cells, report: Report) -> list[str]:
    """The row as printed and every sentence naming the indicator."""
    meta = INDICATORS[key]
    texts = [report.line(cells[0].lines[0])]
    for n in meta["short"] + [cells[0].indicator]:
        texts += report.sentences_with(n)
    return texts


def plain_question(questions: list[str], cloze: str) -> str:
    """The variant with the least context before the clause (a near miss should read like the plain question)."""
    return min(questions, key=lambda x: (x.find(cloze) if cloze in x else 999, x))


def unanswerable_candidates(facts: list[Fact], report: Report, rng: random.Random) -> dict[str, list[Item]]:
    """Near-miss questions by kind; each says in source why the report cannot answer it."""
    out: dict[str, list[Item]] = defaultdict(list)

    def add(kind: str, question: str, why: str):
        out[kind].append(Item(q(question), "unanswerable", "报告中没有这个数据。", [], [], why, kind))

    for f in facts:
        if f.kind == "table":
            key, rec, meta = f.extra["key"], f.extra["rec"], f.extra["meta"]
            if rec.measure not in ("actual", "base", "change") or not rec.value or key not in PLACE_ROWS:
                continue
            texts = table_row_texts(key, [rec], report)
            for place in PLACES:
                if place_is_near(place, texts):
                    continue
                qual = PLACE_FORMS.get(place, place)
                groups = table_cell_questions(key, rec, meta, qual=qual)
                for s in pick(rng, groups, 2):
                    add(
                        "unanswerable_place",
                        s,
                        f"UNANSWERABLE: the report gives {f.source} ({f.must_contain[0]}) "
                        f"for 昆山市 as a whole only; nothing for {qual}",
                    )
            if key in SECTOR_ROWS and rec.measure in ("actual", "base"):
                for sector in SECTORS:
                    if place_is_near(sector.replace("领域的", ""), texts):
                        continue
                    groups = table_cell_questions(key, rec, meta, qual=sector)
                    for s in pick(rng, groups, 1):
                        add(
                            "unanswerable_sector",
                            s,
                            f"UNANSWERABLE: {f.source} is a city-wide total; the report "
                            f"has no breakdown for {sector.rstrip('的')}",
                        )
            if rec.measure == "actual" and rec.year == 2022:
                for year, forms in UNASKED_YEARS.items():
                    if key not in YEAR_MISS_ROWS[year]:
                        continue
                    groups = table_cell_questions(key, rec, meta, years=forms)
                    for s in pick(rng, groups, 3):
                        add(
                            "unanswerable_year",
                            s,
                            f"UNANSWERABLE: {key[0]} row {key[1]} has 2020 base and "
                            f"2021/2022 actuals only; no {year} figure anywhere in the report",
                        )
        elif f.kind == "census":
            if f.extra["ambiguous"] or not f.extra["rec"].value:
                continue
            rec = f.extra["rec"]
            census_text = [report.span(402, 457)]
            for place in PLACES:
                if place_is_near(place, census_text):
                    continue
                qual = PLACE_FORMS.get(place, place)
                question = rng.choice(f.questions).rstrip("？")
                add(
                    "unanswerable_place",
                    f"{qual}{question}",
                    f"UNANSWERABLE: the census table ({rec.table} row {rec.row}) gives {rec.indicator} "
                    f"{rec.raw} for 昆山市 as a whole only; nothing for {qual}",
                )
        elif f.kind == "prose":
            fig, s, t, cloze, ask = (f.extra[k] for k in ("fig", "subject", "time", "cloze", "ask"))
            if scaled(fig) == 0 or (fig.unit in ("%", "％") and scaled(fig) == 100):
                continue  # 0 / 100% city-wide also holds for any part of it
            para = report.span(*fig.lines)
            near = [para] + report.sentences_with(s)
            if "全市" in fig.sentence:  # city-wide figure: a place makes it a near miss
                for place in PLACES:
                    if place_is_near(place, near):
                        continue
                    qual = PLACE_FORMS.get(place, place)
                    base = plain_question(f.questions, cloze)
                    if cloze not in base:
                        continue
                    add(
                        "unanswerable_place",
                        base.replace(cloze, qual + cloze.replace("全市", "", 1), 1),
                        f"UNANSWERABLE: {f.source} is a city-wide figure ({fig.raw}); the report gives nothing "
                        f"for {qual} (not named in that paragraph or any sentence with '{s}')",
                    )
            y = plain_year(t)
            if t and y is None:
                continue  # '截至…', '…以来': leave the period alone
            if not t and unit_family(fig.unit) not in EVENT_UNITS:
                continue  # an undated length or area does not change by year
            swaps = [2019] + ([x for x in (2021, 2022) if x != y] if y else [])
            for other in swaps:
                if any(str(other) in x for x in near):
                    continue
                base = plain_question(f.questions, cloze)
                base = base.replace(t, "", 1) if t else base
                if cloze not in base:
                    continue
                question = re.sub(r"^[，、\s]+", "", base.replace(cloze, f"{other}年{cloze}", 1)).replace("，，", "，")
                add(
                    "unanswerable_year",
                    question,
                    f"UNANSWERABLE: {f.source} is {'for ' + t if t else 'undated'} ({fig.raw}); no sentence "
                    f"with '{s}' mentions {other}",
                )
    return out


def sample_unanswerable(cands: dict[str, list[Item]], n: int, rng: random.Random) -> list[Item]:
    """n near misses, spread over the kinds (year, place, sector) and over the facts."""
    pools = {k: v[:] for k, v in sorted(cands.items())}
    for v in pools.values():
        rng.shuffle(v)
    out, seen = [], set()
    while len(out) < n and any(pools.values()):
        for k in pools:
            if pools[k] and len(out) < n:
                it = pools[k].pop()
                if it.question not in seen:
                    seen.add(it.question)
                    out.append(it)
    return out


# ───────────────────────────── checks and output ─────────────────────────────


def check(items: list[Item], report: Report) -> list[str]:
    problems = []
    questions = Counter(it.question for it in items)
    for question, k in questions.items():
        if k > 1:
            problems.append(f"duplicate question: {question}")
    for it in items:
        if it.category == "unanswerable":
            if it.must_contain or it.evidence or not it.source.startswith("UNANSWERABLE"):
                problems.append(f"bad unanswerable: {it.question}")
            continue
        if not it.must_contain or not it.evidence:
            problems.append(f"answerable without must_contain/evidence: {it.question}")
        for ev in it.evidence:
            if norm(ev) not in report.flat:
                problems.append(f"evidence not in report: {ev[:40]}")
        for m in it.must_contain:
            if not occurs(m, it.answer):
                problems.append(f"{it.question}: '{m}' not in its answer '{it.answer}'")
        if it.computed:
            continue
        for m in it.must_contain:
            if not occurs(m, report.text):
                problems.append(f"{it.question}: '{m}' not in report")
            if not any(occurs(m, ev) for ev in it.evidence):
                problems.append(f"{it.question}: '{m}' not in its evidence")
    return problems


def main() -> int:
    from qa.cli import load_answerer

    for name in ("jieba", "chromadb", "sentence_transformers", "transformers"):
        logging.getLogger(name).setLevel(logging.ERROR)
    rng = random.Random(SEED)
    report = Report(REPORT)
    a = load_answerer()
    records = list(a.index.records)
    figures = list(a.index.figures)
    skipped: Counter = Counter()

    t_items, t_facts = table_items(records, report, rng, skipped)
    c_items, c_facts = census_items(records, figures, report, rng, skipped)
    p_items, p_facts = prose_items(figures, records, report, rng, skipped)
    cmp_items = indicator_comparisons(records, report, rng) + census_pairs(c_facts, rng)
    facts = t_facts + c_facts + p_facts
    answerable = t_items + c_items + p_items + cmp_items
    compound = compound_items(facts, n=max(100, len(answerable) // 4), rng=rng)
    answerable += compound
    # drop repeated questions (the same wording can come from two variant routes)
    seen, unique = set(), []
    for it in answerable:
        if it.question not in seen:
            seen.add(it.question)
            unique.append(it)
    answerable = unique
    want = round(len(answerable) * UNANSWERABLE_SHARE / (1 - UNANSWERABLE_SHARE))
    cands = unanswerable_candidates(facts, report, rng)
    for k in cands:
        cands[k] = [it for it in cands[k] if it.question not in seen]
    unanswerable = sample_unanswerable(cands, want, rng)
    items = answerable + unanswerable

    problems = check(items, report)
    if problems:
        print("\n".join(problems[:50]), file=sys.stderr)
        print(f"{len(problems)} problems — nothing written", file=sys.stderr)
        return 1

    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8") as fh:
        for i, it in enumerate(items, 1):
            fh.write(
                json.dumps(
                    {
                        "id": f"G{i:04d}",
                        "question": it.question,
                        "category": it.category,
                        "answer": it.answer,
                        "must_contain": it.must_contain,
                        "evidence": it.evidence,
                        "source": it.source,
                        "kind": it.kind,
                    },
                    ensure_ascii=False,
                )
                + "\n"
            )

    print(f"wrote {len(items)} questions to {OUT.relative_to(ROOT)}")
    print("by category:")
    for k, v in sorted(Counter(it.category for it in items).items()):
        print(f"  {k:14s} {v:5d}")
    print("by kind:")
    for k, v in sorted(Counter(it.kind for it in items).items()):
        print(f"  {k:24s} {v:5d}")
    print(f"facts used: table cells {len(t_facts)}, census rows {len(c_facts)}, prose figures {len(p_facts)}")
    print("skipped:")
    for k, v in skipped.most_common():
        print(f"  {v:4d}  {k}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
