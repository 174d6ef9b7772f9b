"""Question -> what is asked: content terms, years, column (measure), unit, operation; follow-ups.

The synonym table is about the language of the domain (how staff say what the report writes), and is
meant to be read and extended by people: colloquial phrasing on the left, the report's words on the right.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import jieba
import jieba.posseg
import zhconv

from .figures import UNITS as MEASURE_UNITS

REPORT_YEAR = 2023      # fallback when a document does not print its own date

# Colloquial phrasing -> the report's wording (regex, replacement).
REWRITES: tuple[tuple[str, str], ...] = (
    (r"死了?多少人|死亡多少人|死了?几个人|死多少人", "死亡人数是多少"),
    (r"死了", "死亡"),
    (r"(?<!处)罚了?多少钱|罚款多少|(?<!处)罚了?多少(?![起次家人件])", "处罚金额是多少"),
    (r"(?:投|投入|投资|花|花费)了?多少钱", "投入资金是多少"),
    (r"多少钱", "多少元"),
    (r"出了?(?:多少|几)起事故|发生了?(?:多少|几)起", "事故起数是多少"),
    (r"注册了?多少家", "注册多少家"),
)

# Each group: words that mean the same thing in this domain. The first is the report's usual form.
SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("死亡人数", "死亡", "亡人", "死了"),
    ("处罚金额", "罚款", "罚金", "处罚"),
    ("地区生产总值", "GDP", "生产总值"),
    ("安全生产责任险", "安责险", "安全生产责任保险", "安责"),
    ("危险化学品", "危化品", "危化"),
    ("危险废物", "危废"),
    ("车辆船舶", "车船", "车辆和船舶"),
    ("降至", "降到", "下降至", "减少到", "减至"),
    ("区镇", "镇区", "镇（区）", "乡镇"),
    ("昆山精细材料产业园", "化工园区", "精细材料产业园", "产业园", "园区"),
    ("事故起数", "起数", "事故数"),
    ("投入", "投资", "投入资金", "资金", "出资", "筹措"),
    ("建筑工地", "工地", "建筑施工"),
    ("应急预案", "预案"),
    ("演练", "演习"),
    ("救援队", "救援队伍", "抢险救援队"),
    ("培训", "教育培训", "受训"),
    ("检查", "排查", "督查", "抽查"),
    ("隐患", "问题隐患", "安全隐患"),
    ("整改", "整治", "治理"),
    ("企业", "单位", "公司"),
    ("文体广旅", "文体旅", "文化娱乐", "文体"),
    ("高新技术", "高新技术企业", "高新"),
    ("封闭化", "封闭"),
    ("气象预警", "预警信号", "预警"),
    ("电梯", "96333"),
    ("执法", "行政执法"),
    ("专业抢险救援队", "专业救援队"),
    ("政府专职消防队", "政府专职消防救援站", "专职消防"),
    ("物资储备库", "储备库", "物资库"),
    ("避难场所", "应急避难场所", "避难所"),
    ("约谈", "集中约谈"),
    ("普查", "风险普查", "调查"),
)

# Words of the domain jieba's general dictionary cuts wrongly.
DOMAIN_WORDS = ("区镇", "两级", "违法行为", "家次", "人次", "隐患点位", "网格员", "安责险", "瓶改", "群租厂房", "涉爆粉尘")

STOPWORDS = set("""的 了 是 多少 几 几个 什么 哪些 哪 哪个 呢 吗 么 全市 全 市 昆山 昆山市 本市 我市 报告 一共 总共 共 共计
累计 有 个 各 和 与 及 在 中 里 这 那 其 过 一下 具体 请问 情况 怎么 怎样 如何 到底 目前 现在 一些 给 把 被 对 为
啥 要 还 也 都 就 又 吧 啊 呀 跟 同 比 较 年 年度 数 数量 多 大 长 能 可以 帮 我 查 问 说 讲 告诉 请 下 上 其中
那个 这个 哪一 个数 是否 实际 实际数 规划 目标 规划目标 目标值 基数 降幅 增幅 起来 加起来 家数 次数 件数 个数
增加 减少 下降 提高 降低 上升 增长 变化 多了 少了 降了 升 降 比较 相比 合计 总计 一节 章节 部分 哪里 内容 哪部分 讲 写 提到
单位 多多少 各是 各为 数是 数为 全年 年度 共有 现有 拥有 面积 领域 方面 行业 市区 这次 本次 此次 长度 数量 多少元 去年 前年 今年 当年 上一年 没有 有没有 达到 如何 怎么样 多长 多大 几名 几座 几支 几家 几项 几次 意思 指 含义 分别
""".split())

UNIT_WORDS = {
    "钱": ("元",), "金额": ("元",), "资金": ("元",), "投资": ("元",), "投入": ("元",), "元": ("元",),
    "人": ("人", "名"), "名": ("名", "人"), "人次": ("人次",), "家": ("家",), "家次": ("家次",),
    "起": ("起",), "条": ("条",), "次": ("次", "场次"), "场": ("场", "场次"), "场次": ("场次", "场"),
    "个": ("个",), "项": ("项",), "处": ("处",), "栋": ("栋",), "座": ("座", "座次"), "艘": ("艘", "艘次"),
    "艘次": ("艘次",), "辆": ("辆", "辆次"), "支": ("支",), "件": ("件",), "台": ("台",), "份": ("份",),
    "公里": ("公里", "km", "千米"), "长": ("公里", "km", "米", "千米"), "面积": ("平方米", "亩"),
    "户": ("户",), "期": ("期",), "篇": ("篇",), "批次": ("批次",), "轮": ("轮",), "分钟": ("分钟",),
    "小时": ("小时",), "个月": ("个月",), "所": ("所",), "套": ("套",), "部": ("部",), "张": ("张", "张次"),
}
ASK_UNIT = re.compile(r"(?:多少|几)(钱|人次|家次|场次|艘次|批次|公里|分钟|小时|个月|[人名家起条次场个项处栋座艘辆支件台份户期篇轮所套部张元])")
MEASURE_WORDS = (
    ("target", ("规划目标", "目标值", "目标", "要求", "规划要求")),
    ("base", ("基数", "基准")),
    ("change", ("降幅", "增幅", "降了多少", "降低多少", "下降多少", "提高多少", "提高了多少", "升是降", "升还是降",
                "变化", "涨了多少", "增长多少", "比2020年", "较2020年", "跟2020年比", "与2020年比", "相比2020年")),
    ("actual", ("实际数", "实际", "完成")),
)
COMPARE = re.compile(r"(?<![占对])比(?!例|重).{0,12}(?:多|少|高|低|增|减|降|升|变化)|相比|差多少|差了|加起来|合计|之和|总和|哪个多|哪个少|哪个高|"
                     r"变化(?:了)?多少|增加了?多少|减少了?多少|达到.{0,8}(?:没有|了吗|吗)|是否达到|有没有达到")
SECTION = re.compile(r"(?<!存)在(?:报告)?(?:的)?哪(?!些)|哪些(?:章节|章|节|部分)|写在|哪一?[节章部段篇]|哪个(?:章节|部分|小节|地方)|第几[个章节部]|位于|哪里(?:讲|写|提|说)|看哪")
OWN_PLACES = ("全市", "本市", "我市", "城市", "县市", "市区", "园区", "社区", "开发区", "高新区", "城区", "辖区", "地区",
              "示范区", "控制区", "景区", "小区", "片区", "厂区", "库区", "港区", "风险区", "功能区", "度假区", "镇区", "区镇", "街区")


@dataclass(frozen=True)
class Query:
    """A question as understood: what to look for and how to answer."""

    original: str
    text: str                        # normalised and rewritten
    terms: tuple[str, ...]           # content terms
    years: tuple[int, ...]           # target years, in the order asked
    base_years: tuple[int, ...]      # years compared against ("比2020年")
    year_note: str                   # how a relative year was read, e.g. "去年 → 2022年"
    measures: tuple[str, ...]
    units: tuple[str, ...]
    intent: str                      # figure | compare | section | passage | who
    places: tuple[str, ...]          # places other than the report's own city
    parts: tuple[str, ...] = ()      # sub-questions split at 和/与 for comparisons
    docs: tuple[str, ...] = ()       # documents the question names by their title; () = all


def normalise(text: str) -> str:
    """NFKC (full-width digits), traditional -> simplified, trimmed, control characters dropped."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C" or ch in "\t\n")
    return zhconv.convert(text, "zh-cn").strip()


@lru_cache(maxsize=1)
def _jieba() -> jieba.Tokenizer:
    tok = jieba.Tokenizer()
    tok.initialize()
    for group in SYNONYMS:
        for word in group:
            tok.add_word(word, freq=2000)
    for word in DOMAIN_WORDS:
        tok.add_word(word, freq=2000)
    return tok


@lru_cache(maxsize=1)
def _pos() -> jieba.posseg.POSTokenizer:
    """Part-of-speech tagging on the same tokenizer, so jieba's dictionary is loaded once."""
    return jieba.posseg.POSTokenizer(_jieba())


def add_words(words: list[str]) -> None:
    """Teach the tokenizer the report's own terms (table indicators, headings)."""
    tok = _jieba()
    for w in words:
        if 2 <= len(w) <= 12:
            tok.add_word(w, freq=500)


def tokenize(text: str) -> list[str]:
    """jieba tokens, lower-cased, without punctuation."""
    return [t.lower() for t in _jieba().lcut(text) if t.strip() and re.search(r"[\w\u4e00-\u9fff]", t)]


@lru_cache(maxsize=4096)
def synonyms_of(term: str) -> tuple[str, ...]:
    """The term and every word of its synonym group."""
    low = term.lower()
    for group in SYNONYMS:
        if low in (g.lower() for g in group):
            return group
    return (term,)


def content_terms(text: str) -> tuple[str, ...]:
    """Terms that carry meaning: no stopwords, years, bare numbers, units or single characters."""
    out = []
    for t in tokenize(text):
        t = re.sub(r"了$", "", t)
        if len(t) >= 3:
            t = re.sub(r"是$", "", t)      # jieba glues a trailing 是/了 onto some words ("数是", "发了")
        if re.sub(r"^[万亿千]", "", t) in MEASURE_UNITS:
            continue
        if not t or t in STOPWORDS or re.match(r"^(几|多少)", t) or re.fullmatch(r"\d+(\.\d+)?|(19|20)\d{2}年?|\d+年", t):
            continue
        if len(t) == 1 and re.match(r"[\u4e00-\u9fff]", t):
            continue
        if t not in out:
            out.append(t)
    return tuple(out)


def read_years(text: str, report_year: int) -> tuple[list[int], list[int], str]:
    """Years asked about and years compared against; relative years are resolved against the report."""
    years, bases, notes = [], [], []
    relative = {"前年": report_year - 2, "去年": report_year - 1, "上一年": report_year - 1, "今年": report_year, "当年": report_year}
    for word, y in relative.items():
        if word in text:
            notes.append(f"{word} → {y}年（按报告成文时间{report_year}年）")
            text = text.replace(word, f"{y}年")
    for m in re.finditer(r"(?<!\d)((?:19|20)\d{2}|\d{2})\s*年(?:度)?", text):
        y = int(m.group(1))
        if y < 100:
            if not (10 <= y <= 40):
                continue
            y += 2000
        before = text[max(0, m.start() - 3): m.start()]
        if re.search(r"(比|较|跟|与|和|相比|对比)$", before) and re.search(r"比|较|相比|变化|升|降|增|减", text[m.end():m.end() + 8] + before):
            bases.append(y)
        elif y not in years:
            years.append(y)
    return years, bases, "；".join(notes)


def understand(question: str, report_year: int = REPORT_YEAR) -> Query:
    """Read a question into a Query."""
    text = normalise(question)
    years, bases, note = read_years(text, report_year)
    units: list[str] = []
    for m in ASK_UNIT.finditer(text):
        units.extend(u for u in UNIT_WORDS.get(m.group(1), ()) if u not in units)
    if re.search(r"多长|长度", text):
        units.extend(["公里", "km", "米"])
    if re.search(r"百分之|比例|占比|百分比|%", text):
        units.append("%")
    rewritten = text
    for pattern, repl in REWRITES:
        rewritten = re.sub(pattern, repl, rewritten)
    if re.search(r"处罚金额|金额|资金", rewritten) and not units:
        units.append("元")
    measures = []
    for measure, words in MEASURE_WORDS:
        if any(w in rewritten for w in words):
            measures.append(measure)
    if bases and "change" not in measures and all(b == 2020 for b in bases) and not COMPARE.search(rewritten):
        measures.append("change")
    implied = re.search(r"(次数|人数|家数|起数|金额|面积|长度)", rewritten)
    if implied:
        units.extend({"次数": ("次",), "人数": ("人", "名"), "家数": ("家",), "起数": ("起",), "金额": ("元",),
                      "面积": ("平方米", "亩"), "长度": ("公里", "km", "米")}[implied.group(1)])
    places = tuple(p for p in dict.fromkeys(w for w, f in _pos().lcut(rewritten) if f == "ns" and len(w) >= 3
                                            and w[-1] in "市县省区镇州")
                   if not any(o in p for o in OWN_PLACES))
    vs_base = bases and all(b == 2020 for b in bases) and len(years) <= 1 and not re.search(
        r"哪个|加起来|合计|之和|达到|差多少", rewritten)
    if SECTION.search(rewritten):
        intent = "section"
    elif re.search(r"哪些|哪几|什么|啥|怎么|如何|怎样", rewritten) and not re.search(r"多少|几[个名座支家项次条人处栋台件份起户场]", rewritten.split("哪")[0] if "哪" in rewritten else ""):
        intent = "passage"
    elif vs_base:
        intent = "figure"
        if "change" not in measures:
            measures.append("change")
    elif COMPARE.search(rewritten) or (len(years) >= 2 and re.search(r"比|相比|变化|增|减|多了|少了", rewritten)
                                        and not re.search(r"各是|分别|各多少", rewritten)):
        intent = "compare"
    elif re.search(r"多少|几[个名座支家项次条人处栋台件份起户场]|几|数量|多长|多大|多高|比例|占比|是多少|百分之|哪一?年", rewritten) or implied:
        intent = "figure"
    elif re.search(r"是谁|谁是|哪位|姓名|叫什么名字", rewritten):
        intent = "who"
    else:
        intent = "passage"
    year_free = re.sub(r"(?:19|20)\d{2}\s*年(?:度|底|末|初)?|\d{2}年", " ", rewritten)
    parts = tuple(p for p in re.split(r"[和与跟及、]|以及", year_free) if content_terms(p)) if intent == "compare" else ()
    units = list(dict.fromkeys(units))
    return Query(
        original=question, text=rewritten, terms=content_terms(year_free), years=tuple(years),
        base_years=tuple(bases), year_note=note, measures=tuple(measures), units=tuple(units),
        intent=intent, places=places, parts=parts,
    )


def is_followup(question: str) -> bool:
    """Short questions that lean on the previous turn: '那2021年呢？', '死亡人数呢？'."""
    q = normalise(question)
    return len(q) <= 20 and bool(re.search(r"呢[?？]?$|^(那|那么|还有|另外)", q))


def resolve_followup(question: str, history: list[str], report_year: int = REPORT_YEAR) -> str:
    """Fill a follow-up from the previous question: swap in its new year or its new subject."""
    if not history or not is_followup(question):
        return question
    prev = normalise(history[-1])
    q = re.sub(r"^(那么|那|还有|另外)|呢[?？]?$", "", normalise(question)).strip(" ，,")
    q_years, _, _ = read_years(q, report_year)
    q_terms = content_terms(re.sub(r"(?:19|20)\d{2}\s*年|\d{2}年|去年|前年|今年", " ", q))
    if q_years and not q_terms:
        resolved_prev = prev
        for word, y in {"前年": report_year - 2, "去年": report_year - 1, "今年": report_year}.items():
            resolved_prev = resolved_prev.replace(word, f"{y}年")
        new_year = q_years[0]
        p_years, _, _ = read_years(resolved_prev, report_year)
        if p_years:
            return re.sub(rf"{p_years[0]}\s*年|{str(p_years[0])[2:]}年", f"{new_year}年", resolved_prev, count=1)
        return f"{new_year}年{resolved_prev}"
    p_years, _, _ = read_years(prev, report_year)
    prefix = "".join(f"{y}年" for y in p_years if str(y) not in q)
    return f"{prefix}{q}" if prefix else q
