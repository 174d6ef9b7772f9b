"""Synthetic corpora for scale benchmarks: N report-like documents made from the real report.

Each document names another county-level city (in its title and throughout), shifts every year by a
few years, shuffles the level-2 sections inside each chapter (renumbering them, in the body and in the
table of contents alike) and multiplies the figures of its running text by its own factor, keeping
how each number is printed (decimals, unit). Tables keep their cells, so they parse as before.
For every document a few questions are returned whose expected figure is printed in that document only.

Hand-written: this is test data shaped by the report's own layout, not a job for a library.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from pathlib import Path

from rapidfuzz import fuzz, process

from qa.figures import extract_figures, find_figures
from qa.parse import TOC_ENTRY, heading_of, parse_text

# County-level cities; names that are part of another name or occur in the source text are dropped.
PLACES = [
    "江阴",
    "宜兴",
    "常熟",
    "张家港",
    "太仓",
    "溧阳",
    "丹阳",
    "扬中",
    "句容",
    "如皋",
    "海安",
    "启东",
    "东台",
    "仪征",
    "高邮",
    "靖江",
    "泰兴",
    "兴化",
    "新沂",
    "邳州",
    "义乌",
    "慈溪",
    "余姚",
    "诸暨",
    "海宁",
    "桐乡",
    "温岭",
    "瑞安",
    "乐清",
    "嵊州",
    "永康",
    "平湖",
    "临海",
    "晋江",
    "石狮",
    "南安",
    "福清",
    "寿光",
    "龙口",
    "荣成",
    "胶州",
    "平度",
    "莱西",
    "滕州",
    "邹城",
    "肥城",
    "新泰",
    "招远",
    "青州",
    "诸城",
    "曲阜",
    "乐陵",
    "禹城",
    "安丘",
    "高密",
    "昌邑",
    "莱州",
    "海阳",
    "乳山",
    "栖霞",
    "华阴",
    "韩城",
    "兴平",
    "彬州",
    "长葛",
    "禹州",
    "新郑",
    "巩义",
    "荥阳",
    "登封",
    "新密",
    "偃师",
    "舞钢",
    "汝州",
    "林州",
    "辉县",
    "卫辉",
    "沁阳",
    "孟州",
    "义马",
    "灵宝",
    "邓州",
    "永城",
    "项城",
    "浏阳",
    "醴陵",
    "湘乡",
    "耒阳",
    "常宁",
    "资兴",
    "涟源",
    "汨罗",
    "临湘",
    "沅江",
    "武冈",
    "吉首",
    "宜都",
    "枝江",
    "当阳",
    "汉川",
    "应城",
    "安陆",
    "大冶",
    "仙桃",
    "天门",
    "潜江",
    "赤水",
    "仁怀",
    "福泉",
    "凯里",
    "都匀",
    "兴义",
    "清镇",
    "个旧",
    "开远",
    "弥勒",
    "安宁",
    "宣威",
]
CN_DIGITS = "一二三四五六七八九"
YEAR = re.compile(r"(?<![\d.])((?:19[5-9]|20[0-4])\d)(?=\s?年|\s?[-—～~至到]\s?(?:19|20)\d{2})")
LEVEL2_NUMBER = re.compile(r"^(\s*(?:\*\*)?\s*[（(]\s*)([一二三四五六七八九十]+)(\s*[)）])")
QUESTIONS_PER_DOC = 3
MIN_SUBJECT_HANZI = 8
SAME_WORDS = 70  # rapidfuzz ratio above which two questions would read alike


def generate(source_text: str, n: int, out_dir: Path, seed: int) -> list[dict]:
    """Write n documents made from source_text into out_dir; return, per document, its name, title and questions."""
    source_text = source_text.replace("\r\n", "\n")
    old_place = _place_of(source_text)
    places = _usable_places(source_text)
    if n > len(places):
        raise ValueError(f"at most {len(places)} synthetic documents (asked for {n})")
    rng = random.Random(seed)
    chosen = rng.sample(places, n)
    out_dir.mkdir(parents=True, exist_ok=True)
    docs = []
    for i, place in enumerate(chosen):
        r = random.Random(f"{seed}:{i}")
        factor = round(r.uniform(1.13, 2.87), 4)
        shift = r.choice((-2, -1, 1, 2, 3))
        text = variant(source_text, old_place, place, factor, shift, r)
        name = f"synth-{i:03d}.txt"
        (out_dir / name).write_text(text, encoding="utf-8")
        docs.append({"doc": name, "place": place, "factor": factor, "year_shift": shift, "text": text})
    per_doc = [_numbers(d["text"]) for d in docs]
    # the source counts as one more document, so a question also has no answer in the real report
    docs_with = Counter(tok for numbers in per_doc + [_numbers(source_text)] for tok in numbers)
    out = []
    for i, d in enumerate(docs):
        parsed = parse_text(d.pop("text"), d["doc"])
        unique = {tok for tok, times in per_doc[i].items() if times == 1 and docs_with[tok] == 1}
        questions = _questions(parsed, d["place"], unique, random.Random(f"{seed}:q:{i}"))
        out.append({**d, "title": parsed.title, "questions": questions})
    return out


def variant(text: str, old_place: str, place: str, factor: float, shift: int, rng: random.Random) -> str:
    """One synthetic document: another place, shifted years, shuffled sections, scaled prose figures."""
    if old_place:
        text = text.replace(old_place, place)
    else:
        text = place + "市" + text.lstrip("\n")
    text = YEAR.sub(lambda m: str(int(m.group(1)) + shift), text)
    lines = text.split("\n")
    toc_start, body_start = _toc_span(lines)
    head, toc, body = lines[:toc_start], lines[toc_start:body_start], lines[body_start:]
    toc, body = _shuffle_body(body, toc, rng) or (toc, body)
    return "\n".join(head + toc + [_scale_line(ln, factor) for ln in body])


def _place_of(text: str) -> str:
    """The city named at the start of the title ('昆山' in '昆山市…'), or '' when there is none."""
    first = next((ln.strip() for ln in text.split("\n") if ln.strip()), "")
    m = re.match(r"^(\S{2,3}?)市", first)
    return m.group(1) if m else ""


def _usable_places(source_text: str) -> list[str]:
    names = list(dict.fromkeys(PLACES))
    return [p for p in names if p not in source_text and not any(p != q and p in q for q in names)]


def _toc_span(lines: list[str]) -> tuple[int, int]:
    """(first TOC entry line, first body line); both 0-based, equal when there is no table of contents."""
    at = next((k for k, ln in enumerate(lines[:200]) if re.sub(r"\s", "", ln) == "目录"), None)
    if at is None:
        return 0, 0
    k = at + 1
    while k < len(lines) and (not lines[k].strip() or TOC_ENTRY.match(lines[k].strip())):
        k += 1
    return at + 1, k


def _cn(n: int) -> str:
    """1..99 in Chinese numerals, as section numbers print them."""
    tens, ones = divmod(n, 10)
    if tens == 0:
        return CN_DIGITS[ones - 1]
    return ("" if tens == 1 else CN_DIGITS[tens - 1]) + "十" + (CN_DIGITS[ones - 1] if ones else "")


def _renumber(line: str, number: int) -> str:
    return LEVEL2_NUMBER.sub(lambda m: m.group(1) + _cn(number) + m.group(3), line, count=1)


def _level(text: str) -> tuple[int, str] | None:
    """(level, squeezed title) of a heading line, or None."""
    h = heading_of(text.strip())
    if h is None:
        return None
    return h[0], re.sub(r"[\s.…]", "", h[2])


def _groups(lines: list[str], level_of) -> list[tuple[list[str], list[list[str]], list[str]]]:
    """Split lines into chapters: (chapter lines before its first level-2 part, level-2 parts, their titles)."""
    chapters: list[tuple[list[str], list[list[str]], list[str]]] = [([], [], [])]
    for ln in lines:
        lv = level_of(ln)
        if lv is not None and lv[0] == 1:
            chapters.append(([ln], [], []))
        elif lv is not None and lv[0] == 2:
            chapters[-1][1].append([ln])
            chapters[-1][2].append(lv[1])
        elif chapters[-1][1]:
            chapters[-1][1][-1].append(ln)
        else:
            chapters[-1][0].append(ln)
    return chapters


def _toc_level(line: str) -> tuple[int, str] | None:
    m = TOC_ENTRY.match(line.strip())
    return _level(m.group(1).strip(" \t.…")) if m else None


def _shuffle_body(body: list[str], toc: list[str], rng: random.Random) -> tuple[list[str], list[str]] | None:
    """Shuffle level-2 sections inside each chapter, in the TOC the same way; None if they do not line up."""
    body_ch = _groups(body, lambda ln: None if "\t" in ln else _level(ln))
    toc_ch = _groups(toc, _toc_level) if toc else None
    if toc_ch is not None and [c[2] for c in toc_ch] != [c[2] for c in body_ch]:
        return None
    new_body: list[str] = []
    new_toc: list[str] = []
    for k, (lead, parts, _titles) in enumerate(body_ch):
        order = list(range(len(parts)))
        rng.shuffle(order)
        new_body += lead
        for pos, j in enumerate(order, start=1):
            new_body += [_renumber(parts[j][0], pos)] + parts[j][1:]
        if toc_ch is not None:
            t_lead, t_parts, _ = toc_ch[k]
            new_toc += t_lead
            for pos, j in enumerate(order, start=1):
                new_toc += [_renumber(t_parts[j][0], pos)] + t_parts[j][1:]
    return (new_toc if toc_ch is not None else toc), new_body


def _scale_line(line: str, factor: float) -> str:
    """Multiply the figures of a prose line by factor; headings, table rows and blank lines stay."""
    if not line.strip() or "\t" in line or heading_of(line.strip()):
        return line
    out, pos = [], 0
    for m in find_figures(line):
        out.append(line[pos : m.start(1)])
        out.append(_scale_number(m.group(1), factor, m.group(0).endswith(("%", "％"))))
        pos = m.end(1)
    out.append(line[pos:])
    return "".join(out)


def _scale_number(raw: str, factor: float, percent: bool) -> str:
    decimals = len(raw.split(".")[1]) if "." in raw else 0
    value = float(raw) * factor
    if percent and value > 100:
        return raw  # a share above 100% would read as an error, not as another report
    return f"{value:.{decimals}f}"


def _numbers(text: str) -> Counter:
    """How often each number is printed, whole and as its integer part (how a digit-bounded search sees them)."""
    return Counter(re.findall(r"\d+(?:\.\d+)?", text)) + Counter(re.findall(r"\d+(?=\.\d)", text))


def _questions(doc, place: str, unique: set[str], rng: random.Random) -> list[dict]:
    """Questions about figures printed once in this document and nowhere else, asked by place and year."""
    figures = extract_figures(doc)
    asked = [_asking(f) for f in figures]
    keys = [key for _, key in asked]
    candidates = []
    for k, (f, (subject, key)) in enumerate(zip(figures, asked)):
        number = re.match(r"\d+(?:\.\d+)?", f.raw).group(0)
        if (
            f.value == 0
            or number not in unique
            or len(re.sub(r"\d", "", key)) < MIN_SUBJECT_HANZI
            or re.search(r"\d", re.sub(r"(?:19|20)\d{2}年", "", subject))
        ):
            continue
        # another figure asked about in nearly the same words would make the question ambiguous
        scores = process.cdist([key], keys, scorer=fuzz.ratio)[0]
        if sum(score >= SAME_WORDS for i, score in enumerate(scores) if i != k):
            continue
        unit = re.sub("[余多]", "", f.unit)
        ask = "是多少？" if unit in ("", "%", "％") else f"多少{unit}？"
        who = "" if place in subject else f"{place}市"
        candidates.append(
            {
                "question": f"{who}{subject}{ask}",
                "expected": number,
                "expected_raw": f.raw,
                "doc": doc.name,
                "sentence": f.sentence,
            }
        )
    return rng.sample(candidates, min(QUESTIONS_PER_DOC, len(candidates)))


def _asking(figure) -> tuple[str, str]:
    """The words a question would use for a figure (its year put in front when the clause omits it), and their hanzi."""
    subject = re.sub(r"^(其中|同时|此外|另外|并且|共|累计|涉及)", "", figure.subject)
    years = figure.year.split(",") if figure.year else []
    if len(years) == 1 and years[0] not in subject:
        subject = f"{years[0]}年{subject}"
    return subject, re.sub(r"[^\u4e00-\u9fff\d]", "", subject)
