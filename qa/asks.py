"""A message -> the asks in it: "X是多少？Y呢？" is two questions, "A和B各几座" is two.

Each ask inherits the year and the subject of the ask before it when it names none of its own, and the
request frame of a briefing ("我在整理材料，麻烦查一下…") is dropped. The patterns are about how
people put several questions in one message, not about particular questions; the frame words are data
in lexicon.toml.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .lexicon import LEXICON, any_of
from .understand import (
    COUNT_MEASURE,
    RELATIVE_YEARS,
    SECTION,
    YEAR_TEXT,
    content_terms,
    expand_year_lists,
    find_places,
    names_something,
    normalise,
    rewrite,
)

# 几 after 那/这 points back (那几个能力提升培训), it does not ask.
ASK_MARK = re.compile(rf"(?!(?<=[那这])几)(?:{any_of('asks', 'question_words').pattern})")
EACH = re.compile(
    r"各(?:是|为|有|自)?(?=多少|几|多大|多长|多高|建|完成|有|是)|各(?=[^，,。？?各]{1,6}?(?:多少|几))|分别"
)
NAMES_WANTED = re.compile(r"(?:哪几|哪些|哪[一二两三四五六七八九十\d]|叫什么|叫啥|什么名|是什么名)")
YEAR_WORDS = re.compile(YEAR_TEXT.pattern + "|" + "|".join(RELATIVE_YEARS))


CHATTER = any_of("frames", "chatter")
SINCE = any_of("periods", "since")


def drop_chatter(text: str, known: Callable[[str], bool]) -> str:
    """Remove the clauses that talk to the reader (老师您好，我第一周还不太熟悉，…): a clause with a word of
    address or of the asker, no question word, number or place, and no word the report prints."""
    kept = []
    for piece in re.split(r"(?<=[，,。！!？?；;])", text):
        core = piece.strip("，,。！!？?；; ")
        if (
            core
            and CHATTER.search(core)
            and not ASK_MARK.search(core)
            and not re.search(r"\d", core)
            and not _places(core)
            and not any(known(t) for t in content_terms(core))
        ):
            continue
        kept.append(piece)
    return "".join(kept).strip("，,。 ") or text


def drop_frame(text: str) -> str:
    """Remove the request frame around the questions (我要写…材料，帮我查一下，…给我)."""
    for pattern in LEXICON["frames"]["patterns"]:
        text = re.sub(pattern, "，", text).lstrip("，,。 ")  # a frame dropped at the start starts the text anew
    text = re.sub(r"[，,]+(?=[？?。！!，,])", "", text)  # what a dropped frame left before other punctuation
    return text.strip("，,。 ")


def _pieces(text: str) -> list[str]:
    """Clauses at sentence and clause punctuation; an enumeration comma splits only between two asks."""
    out: list[str] = []
    # A space between words ends a clause too, the way people type quickly instead of a comma.
    for piece in re.split(r"[？?；;。！!\n，]|(?<!\d),|,(?!\d{3})|(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff\d])", text):
        piece = piece.strip(" ：:")
        if not piece:
            continue
        sub = re.split(r"、", piece)
        if len(sub) > 1 and all(ASK_MARK.search(s) for s in sub):
            out.extend(s.strip() for s in sub if s.strip())
        else:
            out.append(piece)
    return out


def _each(ask: str, names: tuple[str, ...] = ()) -> list[str]:
    """'A和B各几座' -> ['A几座', 'B几座']; other asks unchanged. names: row names that hold a 和 or a 、
    themselves (A调查和B调查、C调查), which are one item."""
    m = EACH.search(ask)
    if not m:
        return [ask]
    held = [n for n in names if n in ask]
    if held:
        masked = ask
        for i, n in enumerate(held):
            masked = masked.replace(n, f"\x00{i}\x00")
        out = _each(masked)
        for i, n in enumerate(held):
            out = [o.replace(f"\x00{i}\x00", n) for o in out]
        return out
    head, tail = ask[: m.start()], re.sub(r"^(?:各|分别)(?:是|为|有|自)?", "", ask[m.start() :])
    if NAMES_WANTED.match(tail):
        # "…的那8个乡镇分别是哪几个" asks the names of one counted set; a 和 before it is inside its modifier.
        return [ask]
    # A clause before the items sets the scene for each of them ("普查里，A和B各…").
    scene, comma, own = head.rpartition("，")
    if scene and not re.search(r"和|与|及|、|跟", own) and re.search(r"和|与|及|、", scene.rpartition("，")[2]):
        # "A和B，比前年分别少了多少": the items are in the clause before, the rest is asked of each.
        tail = own + tail
        scene, comma, own = scene.rpartition("，")
    parts = re.split(r"(和|与|及|以及|、|跟)", own)
    items, years = [], ""
    for k in range(0, len(parts), 2):
        if YEARS_ONLY.fullmatch(parts[k].strip()):
            # Years joined (X、Y两年…) are the scene of the item after them, not items of their own.
            years += parts[k] + (parts[k + 1] if k + 1 < len(parts) else "")
        elif parts[k].strip():
            items.append(years + parts[k].strip())
            years = ""
    if len(items) < 2:
        return [head + tail]
    return [scene + comma + i.strip() + tail for i in items]


def split_asks(
    question: str,
    report_year: int,
    generic: Callable[[str], bool] | None = None,
    names: tuple[str, ...] = (),
    known: Callable[[str], bool] | None = None,
) -> list[str]:
    """The separate asks of one message, each made to stand alone; one element for a simple question.

    names: item names that hold a joining word themselves (never split); known: whether the documents print
    a word, for telling talk to the reader from a scene clause."""
    text = drop_frame(expand_year_lists(normalise(question)))
    if known:
        text = drop_chatter(text, known)
    words = text.split()
    if len(words) >= 3 and not ASK_MARK.search(text) and all(content_terms(w) for w in words):
        # Keywords typed with spaces ("应急避难场所 容纳人数 有效避难面积"): a subject, then what is
        # wanted of it; when a later word is no measure ("普查 加油站加气站 完成调查数量"), one subject.
        if all(GENERIC.search(w) for w in words[1:]):
            return [f"{words[0]}{w}" for w in words[1:]]
        return ["".join(words)]
    # A bracketed aside that asks nothing ("（具体数，不是目标）") is one remark, not a clause of its own.
    text = re.sub(
        r"[（(][^）)]*[，,][^）)]*[）)]",
        lambda m: m.group(0) if ASK_MARK.search(m.group(0)) else re.sub("[，,]", "", m.group(0)),
        text,
    )
    if ASK_MARK.search(text):
        text = re.sub(r"\s*(和|与|及|跟|、)\s*", r"\1", text)  # "A(点) 和 B 各几个": spaces around a join are typing
    joined = ASKLESS_JOIN.search(text)
    if joined and not ASK_MARK.search(text) and ASKED_MEASURE_END.search(text):
        # Two measures named with no question word ("…执法检查家次和立案起数"): each is asked.
        text = text[: joined.end(1)] + "和" + text[joined.end() :] + "分别是多少"
    pieces = _pieces(text)
    # (ask, is an item of an enumeration: names its own subject, the whole ask the item came from)
    asks: list[tuple[str, bool, str]] = []
    context, restated = "", False
    quoted_scene = ""  # "<year A>…<N><unit><thing>，<year B>" once restated as an ask of year B
    for k, piece in enumerate(pieces):
        last = k == len(pieces) - 1
        # A named figure with no question word ("事故起数的降幅") is the scene of a next ask that names no
        # subject of its own ("去年比前年多降了几个百分点").
        sets_scene = (
            not last
            and not ASK_MARK.search(piece)
            and bool(re.search(r"多少|几", pieces[k + 1]))
            and all(
                GENERIC.search(t) or CHANGE_WORD.match(t) for t in content_terms(YEAR_WORDS.sub(" ", pieces[k + 1]))
            )
        )
        # "几大重点工程里，…": a clause ending in a scene word is where the ask is, not an ask (几大 counts nothing).
        scene_only = (
            not last
            and SCENE_CLAUSE.search(piece)
            and not re.search(r"多少|吗|呢|是否|哪", piece)
            and not _bare_ask(piece)  # …这项规划目标里: the column is asked
        )
        if (
            (not ASK_MARK.search(piece) and not _bare_ask(piece))
            or (COMPARE_SETUP.search(piece) and not last)
            or sets_scene
            or scene_only
        ):
            # A clause that only sets the scene ("…方面", "跟X年比呢") belongs to the next ask.
            context += re.sub(r"呢$", "", piece) + "，"
            continue
        if asks and quoted_scene and DIFF_ONLY.fullmatch(piece):
            # "21年…17起，22年呢？少了几起": year B's count is one ask; its difference from the count quoted for
            # year A, another.
            asks.append((quoted_scene + piece, True, quoted_scene + piece))
            quoted_scene = ""
            continue
        if (
            asks
            and DIFF_ONLY.fullmatch(piece)
            and (
                re.search(r"(?<!分)比(?![例重率较])|哪(?:个|一个|年|一年|家|项)", asks[-1][0])
                or len(set(YEAR_WORDS.findall(asks[-1][0]))) >= 2
            )
        ):
            # "A比B还多吗？差多少条": the size of the comparison just asked, one ask; so is "前年N家次，去年
            # 多少？<差>多少": the two years just named.
            asks[-1] = (asks[-1][0] + "，" + piece, *asks[-1][1:])
            continue
        if asks and (WHICH_ONES.fullmatch(piece) or ONLY_WHETHER.fullmatch(piece)):
            # A count, then "which ones": naming the items counted is the same ask, answered by one list.
            asks[-1] = (asks[-1][0] + "，" + piece, *asks[-1][1:])
            continue
        other_year = OTHER_YEAR.fullmatch(piece)
        if other_year and context.count("，") == 1 and YEAR_WORDS.search(context) and QUOTED_COUNT.search(context):
            # "<year A>…<N><unit><thing>，那<year B>呢": the same count, of year B.
            quoted_scene = context + other_year.group(1)
            piece = QUOTED_COUNT.sub("多少", YEAR_WORDS.sub(other_year.group(1), context, count=1), count=1)
            piece = piece.rstrip("，")
            context, restated = "", True
        items = _each(_measures_each(context + piece), names)
        asks.extend((i, len(items) > 1 and k > 0, context + piece) for k, i in enumerate(items))
        context = ""
    if context and asks:
        asks[-1] = (asks[-1][0] + "，" + context.rstrip("，"), *asks[-1][1:])
    if len(asks) <= 1:
        return [asks[0][0] if restated else (text or question)]  # the question without its request frame
    return _inherit(asks, report_year, generic or (lambda term: False))


# Two measures joined and asked at once (<A>数和<B>金额是多少): each is an ask of its own.
MEASURE_END = r"(?:数|金额|总额|面积|长度|比例|占比|率)"
JOINED_MEASURES = re.compile(
    rf"{MEASURE_END}(?:和|与|及|以及)[^，,。？?和与及]{{1,12}}?{MEASURE_END}(?=(?:是|为|有)?(?:多少|几))"
)


def _measures_each(ask: str) -> str:
    """'A数和B金额是多少' -> 'A数和B金额各是多少', for _each to split; other asks unchanged."""
    m = JOINED_MEASURES.search(ask)
    if not m or EACH.search(ask):
        return ask
    return ask[: m.end()] + "各" + ask[m.end() :]


def _bare_ask(piece: str) -> bool:
    """A clause with a column word asks even without a question word ('2022年实际数').

    Not one that states a figure ("规划目标为0.0112") or sets up a comparison ("跟2020年基数比")."""
    if re.search(r"\d+(?:\.\d+)?\s*%|\d+(?:\.\d+)?[^\d年]{0,2}$", piece) or re.search(
        r"(?:跟|与|和|同|较|对)\S*(?:比|相比|比较)$", piece
    ):
        return False
    return bool(re.search(r"目标|基数|实际数|降幅|增幅", piece))


QUANTITY_NOUN = any_of("asks", "counting_nouns")
CHANGE_WORD = re.compile(r"^[多少]?(?:降|减|增|升|涨|跌|提高|下降|减少|增加)")
GENERIC = any_of("asks", "which_figure")


def _another_kind(ask: str, subject: str) -> bool:
    """ "<X>企业呢" after an ask about <Y>企业: a thing of the same kind named anew, not the same one again."""
    m = re.fullmatch(r"(?:那|那么)?([\u4e00-\u9fff]{2,8}?)([\u4e00-\u9fff]{2})(?:的话)?呢[？?]?", ask)
    return bool(m and subject and re.sub(r"[的，,]+$", "", subject).endswith(m.group(2)) and m.group(1) not in subject)


def _inherit(asks: list[tuple[str, bool, str]], report_year: int, generic: Callable[[str], bool]) -> list[str]:
    """Give each ask the year and the subject of the one before when it names at most one word of its own."""
    out: list[str] = []
    prev_year, prev_subject, prev_tail, prev_total, prev_ask, prev_measure = "", "", "", False, "", ""
    item_subject, prev_places = "", ""
    for ask, item, whole in asks:
        ask = rewrite(ask)
        years = YEAR_WORDS.findall(ask)
        # A short term made of a which-figure word (建筑面积, 死亡人数) names no subject; a long one does.
        own = [t for t in content_terms(YEAR_WORDS.sub(" ", ask)) if not (GENERIC.search(t) and len(t) <= 4)]
        text = ask
        short = len(re.sub(r"呢|吗|多少|几|多大|多长|多高|多久|是|有|[？?，,。]", "", YEAR_WORDS.sub("", ask))) <= 3
        fresh = NEW_TOPIC.match(ask)  # 另外/此外 starts a question of its own
        # An ask whose words are all common in the documents (查出多少隐患) names no subject of its own.
        # Nor one naming only who is asking and a place compared with ("我们比X市…"): it compares the earlier subject.
        compared = [p for p in find_places(ask) if re.search(f"(?:比|跟|和|与|较|同){re.escape(p)}", ask)]
        nouns = [t for t in own if names_something(t) and t not in compared]
        vague = not item and (not nouns or all(generic(t) for t in nouns)) and not _another_kind(ask, prev_subject)
        other_place = re.fullmatch(r"(?:那|那么)?([^，,。？?]{1,8}?)(?:的|的话)?呢[？?]?", ask)
        if (
            other_place
            and prev_ask
            and (find_places(other_place.group(1)) or CITY_WORDS.fullmatch(other_place.group(1)))
            and _places(prev_ask)
        ):
            # "<place A>…多少<unit>？<place B>呢": the ask before, of place B.
            text = prev_ask
            for k, p in enumerate(_places(prev_ask)):
                text = text.replace(p, other_place.group(1) if k == 0 else "")
            years = YEAR_WORDS.findall(text)
            prev_places = ""  # the place named now (the report's own city, maybe) is the ask's place
        elif not own and prev_ask and SECTION.search(ask) and not fresh:
            # "X讲了什么？写在哪部分": a where-in-the-report ask without a subject is about the ask before it.
            text = prev_ask + "，" + text
        elif (not own or short or vague) and (item_subject if item else prev_subject) and not fresh:
            # The part names what it counts (起数呢) but not of what: the earlier part's subject, minus its own
            # counting noun, supplies that.
            # An item of "A和B各…" is of the first item's subject; a later ask, of the items together.
            source_subject = item_subject if item else prev_subject
            subject = QUANTITY_NOUN.sub("", source_subject) if QUANTITY_NOUN.search(ask) else source_subject
            if "，" in subject and _names_its_count(ask):
                # "<scene>，<A>报了多少条，<B>多少条": the later ask names what it counts itself;
                # of the earlier subject it keeps the scene (before its comma), not what that one counted.
                subject = subject.rsplit("，", 1)[0]
            if (_places(ask, compared) or CITY_WORDS.search(ask)) and not COMPARING.search(ask):
                # "上海…几个人？昆山呢": the place asked now replaces the one before.
                for p in _places(subject):
                    subject = subject.replace(p, "")
                if not content_terms(subject) and prev_tail and re.search(r"呢[？?]?$", ask):
                    subject, text = "", re.sub(r"呢[？?]?$", "", text) + prev_tail  # "花桥有几个？全市呢"
            if (
                CHANGE_ASKED.search(ask)
                and not GENERIC.search(COLUMN_WORD.sub("", ask))
                and not QUANTITY_NOUN.search(ask)
            ):
                # A difference, then a change with no measure of its own (a column word, 降幅, names none):
                # the change is of the same measure.
                subject += COLUMN_WORD.sub("", prev_measure)
            text = subject + text
            if prev_total and not TOTAL_WORDS.search(text) and not CHANGE_ASKED.search(ask):
                # "A和B一共多少<unit>、多少<other unit>": the later measure is a total of the same items too
                # (a change asked next is not).
                text = re.sub(r"(多少|几)", r"一共\1", text, count=1)
        elif prev_tail and re.search(r"呢[？?]?$", ask) and not ASK_MARK.search(re.sub(r"呢[？?]?$", "", ask)):
            # "A有几个？B呢" asks of B what was asked of A; of a rate (B达标率呢), its value, not A's count.
            text = re.sub(r"呢[？?]?$", "", text)
            text += "是多少" if re.search(r"(?:率|比例|占比|比重)$", text) else prev_tail
        # Places compared with (比苏州市) are not where the ask is.
        own_places = [p for p in _places(text) if not re.search(f"(?:比|较){re.escape(p)}", text)]
        if own_places or CITY_WORDS.search(ask):
            prev_places = "、".join(own_places)
        elif prev_places and not fresh and not (other_place and find_places(other_place.group(1))):
            # "昆山跟太仓签过协议吗？协议叫什么": a later ask naming no place is of the place named before.
            text = prev_places + text
        # A column asked (目标是多少) is of no year; a change against the base (相对基数降了) is of the earlier year.
        column_only = (
            re.search(r"目标|要求|基数", re.sub(r"(?:相对于?|比|较|跟|与|同|对比)基数", "", ask)) and not years
        )

        only_bases = years and all(_is_base(y, ask) for y in years)
        # "…较前一年减少了几起" after "2022年…": the year compared is the earlier ask's.
        # 另外/此外 starts a question of its own: the year of the one before is not its year either.
        if prev_year and not column_only and not fresh and (not years or only_bases):
            pair = YEAR_PAIR.search(prev_year)
            # After "22年比21年…", an ask naming only its base ("按21年算") is of the later year.
            text = (pair.group(1) if pair and only_bases else prev_year) + text
        out.append(text)
        if years and not only_bases:
            asked_years = [y for y in years if not _is_base(y, ask)]
            # Of a year quoted with its count and one asked (前年17起，去年几起), the one asked is in the clause
            # holding the question word.
            mark = ASK_MARK.search(ask)
            at_mark = YEAR_WORDS.findall(re.split(r"[，,]", ask[: mark.start()])[-1]) if mark else []
            first = at_mark[0] if at_mark and at_mark[0] in asked_years else asked_years[0]
            prev_year = first if re.search(r"\d|年", first) else prev_year
            since = re.search(re.escape(first) + f"({SINCE.pattern})", ask)
            if since and prev_year == first:
                prev_year += since.group(1)  # "2020年以来…？追究刑事责任几人": the span goes on, not the year
            if len(asked_years) > 1 and re.search(r"年\s*[、和与及]\s*" + re.escape(asked_years[1]), ask):
                prev_year = "、".join(asked_years)  # a list of years asked together stays together
            pair = YEAR_PAIR.search(ask)
            bases = [y for y in years if _is_base(y, ask)]
            if pair:
                # "22年（…起数）比21年": the next ask compares the same years.
                prev_year = f"{pair.group(1)}{pair.group(2)}{pair.group(3)}"
            elif bases:
                # a year compared with a base year: the next ask compares the same two.
                prev_year = f"{prev_year}比{bases[0]}"
        named = _subject(YEAR_WORDS.sub("", ask))
        if not item:
            item_subject = named
        if own or (not prev_subject and named and not re.fullmatch(f"(?:{GENERIC.pattern})+", named)):
            # After "A、B各几处", a following "合计呢" is of A and B together, not of B.
            source = rewrite(EACH.sub("", whole)) if whole != ask and EACH.search(whole) else ask
            # An ask that opens with its question word (几家无证无照的) keeps the subject before it.
            # A count the ask quotes (事故17起) is what it knows, not what it is about.
            said = _subject(YEAR_WORDS.sub("", source))
            unquoted = re.sub(QUOTED_UNIT, "", said)
            prev_subject = (unquoted.strip("，, ") if unquoted != said else said) or prev_subject
            prev_measure = _measure(YEAR_WORDS.sub("", source))
        prev_total = bool(TOTAL_WORDS.search(text))
        prev_ask = re.sub(r"[？?。，,]+$", "", text)
        mark = ASK_MARK.search(text)
        if mark and not text.endswith("呢"):
            prev_tail = re.sub(r"[？?。，,]+$", "", text[mark.start() :])
    return out


OWN_COUNT = re.compile(r"([\u4e00-\u9fff]{2,8}?)(?:有|是|为|共)?(?:多少|几)")


def _names_its_count(ask: str) -> bool:
    """The ask names the thing it counts right before its question word (<noun>多少条), not only a measure."""
    m = OWN_COUNT.search(YEAR_WORDS.sub("", ask))
    words = content_terms(m.group(1)) if m else ()
    return bool(words) and names_something(words[-1]) and not GENERIC.fullmatch(words[-1])


def _places(text: str, leave: list[str] | tuple[str, ...] = ()) -> list[str]:
    """Places named that read as places (…市/县/镇/区, or a known one), not words a tagger took for one."""
    named = [re.sub(r"^[和与及跟在的]", "", p) for p in find_places(text) if p not in leave]
    return [p for p in named if PLACE_END.search(p) or p in GAZETTEER]


def _is_base(year: str, ask: str) -> bool:
    """The year is what the ask compares with (比/跟…<year>, 按<year>算), not the year it asks about."""
    y = re.escape(year)
    return bool(
        re.search(
            rf"(?:比|较|跟|与|相比|相对于?|对比){y}|(?:按|以){y}(?:算|计算|来算|为基|为准)|{y}的?基数"
            rf"|(?:是|为|相当于){y}的(?:几|多少|百分之)",  # 是21年的几倍: a multiple of that year's
            ask,
        )
    )


def _measure(ask: str) -> str:
    """What an ask asks of its subject (起数 of 事故起数, 投入资金), or ''."""
    head, subject = _subject(ask, strip_measure=False), _subject(ask)
    return head[len(subject) :] if head.startswith(subject) else ""


def _subject(ask: str, strip_measure: bool = True) -> str:
    """The words of an ask before its question word: what it is about."""
    m = ASK_MARK.search(ask)
    head = ask[: m.start()] if m else ask
    head = re.sub(r"(?:的)?(?:规划目标|目标值|目标|要求|基数|实际数|降幅|增幅)(?:达到|是|为)?", "", head)
    # 较大/较高 (an adjective: 较大以上风险) and 比例/比重 compare nothing.
    # "…比多创建了", "…离规划上限还差": the comparison is not the subject
    head = re.split(
        r"(?:跟|与|同)?(?:比(?![例重])|较(?![大高低多少为好差])|相比)|(?:离|距离|距)(?=[^，,]{0,8}(?:目标|上限|要求))",
        head,
    )[0]
    # nor is the arithmetic asked of it (…加起来，X一共…): the piece that names something is
    pieces = [p.strip("，,、 ") for p in re.split(r"一共|总共|合计|共计|加起来", head)]
    k = next((i for i, p in enumerate(pieces) if content_terms(p)), None)
    if k is not None:
        # <subject>一共<measure>: a measure right after the total word is still what is asked of the subject.
        after = re.sub(r"(?:是|有|为)+$", "", pieces[k + 1]) if k + 1 < len(pieces) else ""
        head = pieces[k] + (after if after and len(after) <= 6 and GENERIC_END.search(after) else "")
    head = re.sub(r"^(?:和|与|及|跟|、)", "", head)
    head = PLACE_VERB.sub("", head.strip("，,：: "))
    head = re.sub(r"(是|有|为|的|了|共|一共|总共|共有|达到|在|能|要|还剩|还有|剩下|剩余|还|百分之)+$", "", head)
    # A year said bare (…死亡率2020基数) is the ask's own, not part of what the next ask inherits.
    head = re.sub(r"(?<!\d)(?:19|20)\d{2}$", "", head)
    # What was asked of the subject (投入资金, 建筑面积) is not the subject.
    while strip_measure and (m := GENERIC_END.search(head)) and m.start() > 0:
        head = re.sub(r"的$", "", head[: m.start()])
    return head


OTHER_YEAR = re.compile(f"(?:那|那么)?({YEAR_WORDS.pattern})(?:的话)?(?:呢|的呢)[？?]?")
QUOTED_COUNT = re.compile(r"(?<![\d.])\d+(?:\.\d+)?(?=[万亿千]?(?!年)[\u4e00-\u9fff%])")
QUOTED_UNIT = QUOTED_COUNT.pattern + rf"[万亿千]?(?:{COUNT_MEASURE})"
PLACE_END = re.compile(r"^[\u4e00-\u9fff]{1,3}(?:(?<![超门集菜夜])市|县|镇|省|州)$|^[\u4e00-\u9fff]{2,4}(?:区|街道)$")
GAZETTEER = set(LEXICON["gazetteer"]["names"])
# An ask comparing with the earlier one (咱昆山低多少, 和昆山比怎么样) keeps the earlier ask's place.
COMPARING = re.compile(r"比|相比|差距|怎么样|(?:低|高|多|少|差)(?:了)?多少")
CITY_WORDS = re.compile("|".join(LEXICON["own_places"]["whole_city"]) + "|市里|市级|全市")
TOTAL_WORDS = re.compile("一共|总共|合计|共计|加起来|总计")
DIFF_ONLY = re.compile(r"(?:那|那么)?(?:差|多|少|多出|少了|多了|相差|差了)(?:了)?(?:多少|几)[\u4e00-\u9fff]{0,2}[？?]?")
SCENE_CLAUSE = re.compile(r"(?:里|里面|里头|当中|之中|方面|这块|那块|这一块)$")
COLUMN_WORD = re.compile(r"目标|基数|实际|降幅|增幅|涨幅|绝对值")
CHANGE_ASKED = re.compile(r"降|增|升|减|少了|多了|变化|幅度|百分之")
# A clause that only names what to compare with (跟/和/与 … 比/相比): the scene of the asks after it.
COMPARE_SETUP = re.compile(r"^[^，,]{0,12}?(?:跟|与|和|同|较|对)[^，,]{1,10}?(?:比|相比|比较)(?:的话|起来)?呢?$")
# 哪几项/哪些/什么, alone: asks which items a count just asked for are.
WHICH_ONES = re.compile(r"(?:都|分别|具体)?(?:是|有)?(?:哪几[项个条家类种]|哪些|什么)呢?")
# 有没有/有吗/写了吗, alone: whether the report says what was just asked, the same ask again.
ONLY_WHETHER = re.compile(
    r"(?:报告|文中|文件|材料)?(?:里|中|上)?(?:有没有|有吗|有没有写|写了吗|提到没有|提了吗|有没有提)(?:写|提到)?"
)
YEARS_ONLY = re.compile(f"(?:{YEAR_TEXT.pattern}|(?<!\\d)\\d{{2}}|[、和与及]|两年|三年)+")
YEAR_PAIR = re.compile(f"({YEAR_WORDS.pattern})[^，,。？?]{{0,16}}?(比|较|和|与|相比)\\s*({YEAR_WORDS.pattern})")
# A measure ending a noun phrase (…实际数, …家次, …金额) and the joining word after it.
NAMED_MEASURE = rf"(?:{GENERIC.pattern}|数|家次|人次)"
ASKED_MEASURE_END = re.compile(rf"{NAMED_MEASURE}[？?。\s]*$")
ASKLESS_JOIN = re.compile(rf"({NAMED_MEASURE})\s*(?:和|与|以及|及|还有|，|,)\s*(?=[\u4e00-\u9fff\d])")
GENERIC_END = re.compile(f"(?:{GENERIC.pattern})$")
NEW_TOPIC = any_of("asks", "new_topic")
PLACE_VERB = re.compile(f"(?:{any_of('asks', 'place_words').pattern})$")
