"""The report's own vocabulary: which question terms it knows, one-character typos mended against it.

A question term the report never prints cannot tell two candidate facts apart, so it is left out of the
scoring instead of counting against every candidate: in round 1 such terms ("这块", "百分之", a typo such
as "事古") took 30–50 % of the weight and turned answerable questions into refusals. Places are the
exception and are handled as constraints (qa.constraints), never dropped silently.
"""

from __future__ import annotations

import importlib.util
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata

from .understand import ABBREVIATED, is_word, synonyms_of, tokenize, word_frequency

CJK = re.compile(r"[\u4e00-\u9fff]")
GLUE = "有是在为了和里中内离距比跟与占"  # verbs, particles, prepositions the tokenizer may glue to the character before
CHANGE_AFTER = "多少增减降升"  # the start of a change said right after a word (事故少了几起)
DETERMINERS = "每各全总该本这那此"
# Characters naming an outlet of a trade (餐饮店, 娱乐厅): the trade word before them is what a report prints.
OUTLET = "店馆铺厅摊"
NAME_END = "率数额量"  # characters that end a quantity's name (检查率, 人数)
VERB_AFTER = "到达是为有了在"  # a verb or particle jieba may glue to such a last character
# jieba's count for a word people write on purpose; typos of report words (平装 for 瓶装: 6) are rarer.
COMMON_WORD = 100
MISHEARD_RATIO = 5  # how much more often the word it sounds like must be printed


@dataclass(frozen=True)
class TermCheck:
    """What the vocabulary made of a question's terms."""

    known: tuple[str, ...]
    corrected: tuple[tuple[str, str], ...]  # (as typed, as the report writes it)
    unknown: tuple[str, ...]


@lru_cache(maxsize=1)
def readings() -> dict[int, str]:
    """pypinyin's readings of each character. Its data module is loaded alone: importing the package
    loads its phrase tables too (about 55 MB resident, against 12 MB for the characters)."""
    dist = metadata.distribution("pypinyin")
    path = next(f for f in dist.files or () if str(f).endswith("pinyin_dict.py"))
    spec = importlib.util.spec_from_file_location("_pypinyin_chars", str(dist.locate_file(path)))
    if spec is None or spec.loader is None:
        raise ImportError("pypinyin's character table was not found")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.pinyin_dict


def _syllables(ch: str) -> set[str]:
    """A character's readings without tones (占 -> {zhan})."""
    said = readings().get(ord(ch), "")
    return {
        "".join(c for c in unicodedata.normalize("NFKD", r) if not unicodedata.combining(c)) for r in said.split(",")
    }


def sounds_alike(a: str, b: str) -> bool:
    """Two words of one length whose differing characters share a reading, tones aside (战地, 占地)."""
    return len(a) == len(b) and all(x == y or _syllables(x) & _syllables(y) for x, y in zip(a, b))


class Vocabulary:
    """Words and text of the indexed documents, for telling known terms from unknown ones."""

    def __init__(self, texts: list[str]):
        self.text = "\n".join(t.lower() for t in texts)
        self.words = Counter(w for t in texts for w in tokenize(t) if CJK.search(w) and len(w) >= 2)
        self._by_len: dict[int, list[str]] = {}
        for w in self.words:
            self._by_len.setdefault(len(w), []).append(w)

    def knows(self, term: str) -> bool:
        return any(f.lower() in self.text for f in synonyms_of(term))

    def check(self, terms: tuple[str, ...], question: str) -> TermCheck:
        """Split terms into known ones (typos mended) and ones the documents never print."""
        known: list[str] = []
        corrected: list[tuple[str, str]] = []
        unknown: list[str] = []
        for t in terms:
            if (
                len(t) == 2
                and known
                and t[0] in NAME_END
                and t[1] in VERB_AFTER
                and (known[-1] + t[0]).lower() in self.text
            ):
                # 检查率到了 -> 检查/率到: the suffix of a quantity's name goes back to it, the verb is dropped.
                known[-1] += t[0]
                continue
            if t in ABBREVIATED and known and self.knows(known[-1] + t) and (known[-1] + t) in question:
                # 民生/保险 is one compound (民生保险), which the report may also shorten (民生险).
                known[-1] += t
                continue
            if self.knows(t) and not self._misheard(t, question):
                known.append(t)
                continue
            if len(t) == 2 and t[1] in GLUE and t[0] in question and self.knows(t[0]):
                # The tokenizer glued a word's last character to the verb after it (中间库有 -> 中间/库有,
                # 停工单开 -> 停工/单开): not a thing the report lacks. The character goes back to its word when
                # the report has it.
                if known and (known[-1] + t[0]).lower() in self.text:
                    known[-1] += t[0]
                continue
            fix = self.mend(t, question)
            if not fix and len(t) >= 3 and t[-1] in GLUE + CHANGE_AFTER:
                # A typo glued to the verb after it (事古少了 -> 事古/少): the word is mended without it.
                fix = self.mend(t[:-1], question, homophone=True)
            if fix:
                corrected.append((t, fix))
                known.append(fix)
            elif len(t) == 2 and known and (known[-1] + t[0]).lower() in self.text and CJK.search(t[1]):
                # Not a typo either: the tokenizer glued a word's last character to the next verb (停工单开 ->
                # 停工/单开); the character goes back to its word, which the report prints.
                known[-1] += t[0]
            elif len(t) >= 3 and t[-1] in OUTLET and self.knows(t[:-1]):
                known.append(t[:-1])  # 餐饮店 where the report says 餐饮场所/餐饮用户: the trade is what is named
            else:
                unknown.append(t)
        return TermCheck(tuple(dict.fromkeys(known)), tuple(corrected), tuple(unknown))

    def _misheard(self, term: str, question: str) -> bool:
        """A two-character term printed only inside other words (规化 in 正规化) that sounds like a word the
        documents print far more often (规划): an input-method slip, not the rarer word."""
        if len(term) != 2 or self.words.get(term) or not CJK.search(term):
            return False
        printed = self.text.count(term)
        return any(
            sum(a != b for a, b in zip(w, term)) == 1
            and sounds_alike(term, w)
            and self.text.count(w) >= MISHEARD_RATIO * printed
            for w in self._by_len.get(2, [])
        )

    def mend(self, term: str, question: str, homophone: bool = False) -> str | None:
        """The report's word one substituted character away (or with 1–2 characters left out), if one fits;
        homophone: a two-character word may also be the one report word that sounds like it."""
        if len(term) < 2 or not CJK.search(term):
            return None
        if term[0] in DETERMINERS and self.knows(term[1:]):
            return None  # a determiner on a known word (每平方米) is meant, not a typo of 万平方米
        # An enumeration said as one word (水电气 for 水、电、气): the report's own form.
        listed = re.search("[、和及与]?".join(map(re.escape, term)), self.text)
        if listed and listed.group(0) != term:
            return listed.group(0)
        at = question.find(term)
        before = question[max(0, at - 2) : at] if at >= 0 else ""
        after = question[at + len(term) : at + len(term) + 2] if at >= 0 else ""
        options = []
        # A word of the report inside the term (普查 in 普查表) is not mistyped: changing it is a guess.
        inner = {term[i : i + 2] for i in range(len(term) - 1)} if len(term) >= 3 else set()
        for w in self._by_len.get(len(term), []):
            if sum(a != b for a, b in zip(w, term)) == 1 and not any(p in self.words and p not in w for p in inner):
                options.append(w)
        if len(term) >= 3 and not is_word(term):
            # One character mistyped in a word the tokenizer splits (定捡率 for 定检率), found in the text.
            for i in range(len(term)):
                wild = re.escape(term[:i]) + "[\u4e00-\u9fff]" + re.escape(term[i + 1 :])
                options += [m.group(0) for m in re.finditer(wild, self.text)]
        if len(term) >= 3:
            # Words left out in the question ("电动车" for 电动自行车, "在编人员" for 在编在岗人员), found in the text.
            gap = "[\u4e00-\u9fff]{0,2}"
            pattern = re.compile(gap.join(map(re.escape, term)))
            options += [m.group(0) for m in pattern.finditer(self.text) if len(m.group(0)) <= len(term) + 2]
        options = list(dict.fromkeys(options))  # each candidate word once, in the order first found
        if not options:
            return None

        # The question's neighbouring characters decide between candidates (平装液化气 -> 瓶装, not 平安).
        def fit(w: str) -> tuple[int, int]:
            context = sum(self.text.count(s) for s in (before[-1:] + w, w + after[:1]) if len(s) > len(w))
            return context, self.words[w] or self.text.count(w)

        best = max(options, key=fit)
        if word_frequency(term) >= COMMON_WORD and not sounds_alike(term, best):
            # A common word is a typo only as a homophone an input method offers (战地 for 占地, 有线 for
            # 有限); otherwise it is meant (受伤 is not 受灾).
            return None
        split = term[1] + after[:1]
        if len(term) == 2 and self.words.get(split) and self.text.count(split) > 2 * self.text.count(best + after[:1]):
            # 占查|改 cut from 占|查改 (查改 is the report's word, 排查改 is not): the tokenizer's split, not a typo;
            # 战地|面积 is a typo (占地面 is printed more often than 地面).
            return None
        # A 2-character guess needs its neighbours to agree, or, for a typo the tokenizer glued to the verb after
        # it (事古少了), to be the one word that sounds like it; otherwise it is a guess between many words.
        if len(term) == 2 and fit(best)[0] == 0:
            alike = [w for w in options if sounds_alike(term, w)]
            return alike[0] if homophone and len(alike) == 1 else None
        return best
