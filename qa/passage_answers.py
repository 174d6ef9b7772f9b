"""Passage and section answers: the passages that carry a question, and where the report discusses it."""

from __future__ import annotations

import re

import numpy as np

from .answer_base import AnswererBase
from .constraints import DATE_PRINTED, FINER, place_named
from .errors import StoreUnavailable
from .lexicon import LEXICON, any_of
from .lookup import coverage
from .quote import best_sentence, chunk_citation, dedupe_hits, heading_citation, is_heading_chunk
from .sentences import sentences
from .types import Answer, Hit
from .understand import SECTION, Query

LOCATION = any_of("asks", "location_marks")
LISTING = re.compile(LEXICON["intents"]["listing"])
PASSAGE_MIN = 0.30  # below this even a passage answer would be a guess
PARAGRAPH_MORE = 2  # chunks of the best chunk's paragraph shown after it


# How much nearer in meaning (cosine, e5) a heading must be than those over the passages found to lead a
# section answer: measured on the dev sets' section questions, wins were 0.037–0.041 ahead, and headings
# 0.012–0.029 ahead were worse than the passages' own sections.
MEANING_MARGIN = 0.035


PLACE_NAME = re.compile(r"(?:市|县|镇|区|省|州)$")
TYPES = LEXICON["answer_types"]
CAUSE_ASKED, CAUSE_SAID = re.compile(TYPES["cause_asked"]), re.compile(TYPES["cause_said"])
COMPANY_ASKED, COMPANY_SAID = re.compile(TYPES["company_asked"]), re.compile(TYPES["company_said"])
PERSON_ASKED, PERSON_SAID = re.compile(TYPES["person_asked"]), re.compile(TYPES["person_said"])
TIME_ASKED, TIME_SAID = re.compile(TYPES["time_asked"]), re.compile(TYPES["time_said"])
LONG_ASKED, LONG_SAID = re.compile(TYPES["duration_asked"]), re.compile(TYPES["duration_said"])
START_ASKED, START_SAID = re.compile(TYPES["start_asked"]), re.compile(TYPES["start_said"])
NUMERALS = {c: i for i, c in enumerate("零一二三四五六七八九十", 0)} | {"两": 2}
# The names of counted items asked ("那8个乡镇分别是哪几个", "十个展厅都叫什么"), or where or in which
# sector each is ("N起事故出在哪些行业"): the list word asks of the counted noun itself, not of something
# they did ("4家试点企业搞了哪些建设").
NAMES_ASKED = re.compile(
    r"(\d+|[一二两三四五六七八九十])\s*([个项家类大条座所支种处名位起])[\u4e00-\u9fff]{0,10}?"
    r"(?:都|分别|具体|各自)?(?:是|叫|有|为|在|出在|发生在|分布在|位于|放在)?"
    r"(?:哪几个|哪[\d一二两三四五六七八九十几]+\2|哪几|哪些|什么|啥)"
    r"(?:名字|名称|区镇|镇|行业|领域|地方|地点|单位|部门)?[？?吗呢嘛啊。！!]*$"
)
# The name of a document of some kind asked ("协议叫什么", "那个方案全称是啥"): a passage must print a
# title of that kind (《…协议》).
TITLE_ASKED = re.compile(
    r"(协议|方案|规划|预案|办法|通知|规则|细则|意见|指南|手册|标准|文件)(?:的)?(?:名字|名称|全称|题目|标题)?"
    r"(?:叫什么|叫啥|是什么名|是啥名|全称是|名称是|题目是|标题是)"
)
GAZETTEER = set(LEXICON["gazetteer"]["names"])


class PassageAnswers(AnswererBase):
    """The passage and section answers of the Answerer (a mixin: it reads the Answerer's indexes)."""

    def _passage(self, query: Query) -> Answer:
        literal = self._literal_hits(query)
        searched = self._search(query)
        headed = self._heading_matches(query)
        section = [Hit(c, 0.0) for c in self._section_chunks(headed[0][1], headed[0][2], 12)] if headed else []
        # Rerank the union by how much of the question each chunk carries; quoted titles and search rank help.
        prior = {h.chunk.id: 0.8 for h in literal}
        for rank, h in enumerate(searched):
            prior[h.chunk.id] = prior.get(h.chunk.id, 0.0) + 0.8 / (1 + rank)
        for h in section:
            prior[h.chunk.id] = prior.get(h.chunk.id, 0.0) + 0.35 * headed[0][0]
        pool = dedupe_hits(literal + searched + section)
        scored = [
            (
                coverage(query.terms, [(h.chunk.text, 1.0), (" ".join(h.chunk.section), 0.5)], self.stats)[0]
                + prior.get(h.chunk.id, 0.0),
                h,
            )
            for h in pool
        ]
        hits = [h for _, h in sorted(scored, key=lambda x: -x[0])]
        if not hits:
            return self._not_found(query, "报告中没有找到相关内容")
        best_cov = max(
            coverage(query.terms, [(h.chunk.text, 1.0), (" ".join(h.chunk.section), 0.8)], self.stats)[0]
            for h in hits[:3]
        )
        if best_cov < PASSAGE_MIN:
            return self._not_found(query, "报告中没有找到与问题直接相关的内容", chunk_citation(hits[0].chunk, self))
        # Only a name that reads as a place (…市/县/镇, or a known one): jieba tags some words as places (新建).
        named = [p for p in query.places if PLACE_NAME.search(p) or p.rstrip("市县") in GAZETTEER]
        elsewhere = [p for p in named if not any(place_named(p, h.chunk.text) for h in hits[:3])]
        if elsewhere:
            # Another place asked about (…市的…怎么样): a passage on the city answers for the wrong place.
            return self._not_found(query, f"报告没有“{elsewhere[0]}”的相关内容", chunk_citation(hits[0].chunk, self))
        unsaid = self._unsaid(query, hits)
        if unsaid:
            return self._not_found(query, unsaid, chunk_citation(hits[0].chunk, self))
        top = hits[0].chunk
        listing = bool(LISTING.search(query.original))
        # A list asked of a heading that has sub-headings ("主要任务有哪几个方面"): that section leads.
        listed = next(((d, p) for sc, d, p, _ in headed if sc >= 0.99 and len(self._children(d, p)) >= 2), None)
        heading = headed[0] if headed and headed[0][0] >= 0.99 and not listing else None
        if heading and tuple(top.section[: len(heading[2])]) != heading[2]:
            # Every word of the question is in one heading (应急指挥系统工程…怎么样): the section under it answers,
            # not a summary elsewhere that names it in passing.
            own = self._section_chunks(heading[1], heading[2], 1)
            top = own[0] if own else top
        where = " > ".join(top.section)
        if listing and listed and len(self._children(top.doc, top.section)) < 2:
            own = self._section_chunks(*listed, 1)
            top = own[0] if own else top
            where = " > ".join(listed[1])
        whole = self._section_chunks(top.doc, top.section, 12)
        # A short section is quoted whole (the answer often spans its 一是…二是…, or a list asked for with
        # 哪些/哪几); otherwise the best three chunks.
        limit, n = (1600, 5) if listing else (900, 3)
        shown = whole if top in whole and sum(len(c.text) for c in whole) <= limit else [h.chunk for h in hits[:n]]
        # The best chunk's paragraph goes on in the chunks after it (狠抓水上交通安全管理。… opens a paragraph whose
        # measures run on past one chunk): they are shown with it.
        own = self._chunks_by_section.get((top.doc, top.section), [])
        after = own[own.index(top) + 1 :] if top in own else []
        going_on = [c for c in after[:PARAGRAPH_MORE] if c.lines[0] == top.lines[1]]
        shown = list(dict.fromkeys(shown + going_on))
        body = "\n\n".join(c.text for c in sorted(shown, key=lambda c: self._position[c.id]))
        lead = best_sentence(query, top.text)
        if top.kind == "table_row" and lead.rstrip("；;。 ") in top.text.split("；", 1)[0]:
            lead = top.text  # a row's name alone, cut at its first "；", would hide the values after it
        children = (
            self._children(*listed)
            if listing and listed and where == " > ".join(listed[1])
            else self._children(top.doc, top.section)
        )
        if listing and len(children) >= 2:
            # A section's opening asked for its items ("六项重点工程都是哪些"): its sub-headings are the list.
            lead = "、".join(re.sub(r"^[（(]?[一二三四五六七八九十\d]+[)）.、．]?\s*", "", c) for c in children)
        if query.intent == "place":
            # Where a thing stands: the sentence naming its place, from the best few passages.
            lead = max(
                (best_sentence(query, h.chunk.text, LOCATION) for h in hits[:3]),
                key=lambda s: sum(1 for t in query.terms if t in s) + (1.5 if LOCATION.search(s) else 0),
            )
        text = f"{lead}\n\n（出处：{where}）\n\n{body}"
        cites = [chunk_citation(c, self) for c in dict.fromkeys([top] + [h.chunk for h in hits[:5]])][:5]
        if listing and len(children) >= 2:
            # Each listed item cites its own heading, so the list can be checked against the report.
            path = listed[1] if listed and where == " > ".join(listed[1]) else top.section
            heads = [
                heading_citation(c, self, path + (child,))
                for child in children
                for c in self._opening(top.doc, path + (child,))
            ]
            cites = heads[:3] + [c for c in cites if c not in heads][:2]
        return Answer(question=query.original, answer=text, kind="passage", citations=tuple(cites[:5]))

    def _unsaid(self, query: Query, hits: list[Hit]) -> str:
        """Why the passages found, though on the question's topic, do not answer what it asks: a cause or a
        company's name or a time they never state, or names of items they only count. '' when they may answer it."""
        said = [s for h in hits[:5] for s in sentences(h.chunk.text)]
        asked = re.sub(r"\s+", "", query.original)
        subject = [
            t
            for t in query.terms
            if not any(p.search(t) for p in (CAUSE_ASKED, COMPANY_ASKED, PERSON_ASKED, TIME_ASKED, LONG_ASKED))
        ]
        # A sentence about the asked thing carries most of its words, not one of them in passing.
        about = [s for s in said if subject and coverage(tuple(subject), [(s, 1.0)], self.stats)[0] >= 0.5]
        if CAUSE_ASKED.search(asked) and not any(CAUSE_SAID.search(s) for s in about):
            return "报告陈述了相关情况，但没有说明原因"
        if COMPANY_ASKED.search(asked) and not any(COMPANY_SAID.search(s) for s in about):
            return "报告没有写明承担单位的名称"
        if PERSON_ASKED.search(asked) and not any(PERSON_SAID.search(s) for s in about):
            return "报告没有写明人员的姓名"
        if FINER.search(asked) and not any(DATE_PRINTED.search(s) for s in about):
            return "报告陈述了相关情况，但没有写明月份或日期"
        if TIME_ASKED.search(asked) and not any(TIME_SAID.search(s) for s in about):
            return "报告陈述了相关情况，但没有写明时间"
        if START_ASKED.search(asked) and not any(START_SAID.search(s) for s in about):
            return "报告只写了计划或完成的时间，没有写明开工的时间"
        if LONG_ASKED.search(asked) and not any(LONG_SAID.search(s) for s in about):
            return "报告陈述了相关情况，但没有给出所用时长"
        kind = TITLE_ASKED.search(asked)
        if kind:
            # A title of that kind in a sentence about the thing asked (灾情会商…《…会商规则》), not any title.
            of = tuple(t for t in subject if kind.group(1) not in t)
            titled = [s for s in said if re.search(f"《[^》]*{kind.group(1)}[^》]{{0,8}}》", s)]
            if not any(not of or coverage(of, [(s, 1.0)], self.stats)[0] >= 0.5 for s in titled):
                return f"报告没有写明这一{kind.group(1)}的名称"
        named = NAMES_ASKED.search(asked)
        if named:
            n = int(named.group(1)) if named.group(1).isdigit() else NUMERALS[named.group(1)]
            top = hits[0].chunk
            listed = max((s.count("、") + 1 for s in said), default=0)
            if n >= 2 and listed < n and len(self._children(top.doc, top.section)) < n:
                return f"报告只给出了数量（{named.group(1)}{named.group(2)}），没有逐一列出名称"
        return ""

    def _section(self, query: Query) -> Answer:
        hits = self._search(query)
        headed = self._heading_matches(query)
        # A heading whose words the question does not use may still say what it means (a question about
        # shortcomings, a heading about the main problems). It leads when no heading matches by words and
        # it is clearly nearer the question than the headings of the passages found (those find where a
        # topic is discussed, by its content).
        meant, found_near = self._headings_by_meaning(query, [h.chunk for h in hits[:3]])
        leading = [m for m in meant[:2] if not headed and m[0] - found_near >= MEANING_MARGIN]
        places: list[tuple[str, tuple[str, ...], int | None]] = []
        for place in (
            [(d, p, pg) for _, d, p, pg in headed + leading]
            + [(h.chunk.doc, h.chunk.section, h.chunk.page) for h in hits]
            + [(d, p, pg) for _, d, p, pg in meant]
        ):
            if place[1] and place[:2] not in [x[:2] for x in places]:
                places.append(place)
        if not places:
            return self._not_found(query, "报告中没有找到相关章节")
        several = len({d for d, _, _ in places[:3]}) > 1
        lines = [
            (f"《{self.titles.get(d, d)}》" if several else "") + " > ".join(p) + (f"（第{pg}页）" if pg else "")
            for d, p, pg in places[:3]
        ]
        tables = {h.chunk.text.split(" 第", 1)[0] for h in hits[:3] if h.chunk.kind == "table_row"}
        lead = "；".join(sorted(tables)) + "，位于 " if tables else ""
        text = f"{lead}{lines[0]}" + ("\n其他相关位置：" + "；".join(lines[1:]) if len(lines) > 1 else "")
        cites = [heading_citation(c, self, p) for d, p, _ in places[:3] for c in self._opening(d, p)]
        cites += [chunk_citation(h.chunk, self) for h in hits if chunk_citation(h.chunk, self) not in cites]
        return Answer(question=query.original, answer=text, kind="passage", citations=tuple(cites[:5]))

    def _heading_matches(self, query: Query) -> list[tuple[float, str, tuple[str, ...], int | None]]:
        """(score, doc, section path, page) whose own heading carries the question, best first."""
        scored, by_path = [], {}
        for (doc, path), page in self._paths.items():
            if query.docs and doc not in query.docs:
                continue
            if path not in by_path:
                by_path[path] = coverage(query.terms, [(path[-1], 1.0), (" ".join(path[:-1]), 0.5)], self.stats)[0]
            if by_path[path] >= 0.5:
                scored.append((by_path[path], doc, path, page))
        return sorted(scored, key=lambda x: (-x[0], -len(x[2])))[:3]

    def _headings_by_meaning(
        self, query: Query, found: list
    ) -> tuple[list[tuple[float, str, tuple[str, ...], int | None]], float]:
        """(similarity, doc, section path, page) of the headings nearest the question's meaning, best first,
        and the best similarity of the headings over the found chunks.

        The heading chunks' own vectors are read from the store once; the question, without its words
        asking where, is embedded as a query."""
        retriever = getattr(self.index, "retriever", None)  # a test double may have words only
        if retriever is None:
            return [], 0.0
        if self._heading_vectors is None:
            heads = [c for c in self.index.chunks if c.kind == "heading" and (c.doc, c.section) in self._paths]
            try:
                stored = retriever.store.vectors([c.id for c in heads])
            except StoreUnavailable:
                stored = {}  # the words still find the section; its meaning is asked again next time
            kept = [c for c in heads if c.id in stored]
            self._heading_vectors = (kept, np.stack([stored[c.id] for c in kept]) if kept else np.zeros((0, 1)))
        heads, matrix = self._heading_vectors
        asked = SECTION.sub("", query.text).strip("，,。？? ")
        if not heads or not asked:
            return [], 0.0
        vector = np.asarray(retriever.embedder.embed_queries([asked])[0], dtype=np.float32)
        scores = matrix @ vector / (np.linalg.norm(matrix, axis=1) * np.linalg.norm(vector) + 1e-9)
        order = np.argsort(-scores)
        best = [
            (float(scores[i]), heads[i].doc, heads[i].section, self._paths[(heads[i].doc, heads[i].section)])
            for i in order[:3]
            if not query.docs or heads[i].doc in query.docs
        ]
        where = {(c.doc, c.section) for c in found}
        near = max((float(scores[i]) for i, h in enumerate(heads) if (h.doc, h.section) in where), default=0.0)
        return best, near

    def _children(self, doc: str, path: tuple[str, ...]) -> list[str]:
        """The headings directly under one section, in reading order."""
        return [p[-1] for d, p in self._paths if d == doc and len(p) == len(path) + 1 and p[: len(path)] == path]

    def _opening(self, doc: str, path: tuple[str, ...]) -> list:
        """The first text chunk at or under a section: its own, or its first sub-section's."""
        own = self._section_chunks(doc, path, 1)
        if own:
            return own
        return next(
            (
                [c]
                for c in self.index.chunks
                if c.doc == doc and c.section[: len(path)] == path and c.kind != "table_row" and not is_heading_chunk(c)
            ),
            [],
        )

    def _section_chunks(self, doc: str, path: tuple[str, ...], n: int) -> list:
        """The first n text chunks of one section of one document, in reading order."""
        return [
            c for c in self._chunks_by_section.get((doc, path), []) if c.kind != "table_row" and not is_heading_chunk(c)
        ][:n]

    def _literal_hits(self, query: Query) -> list[Hit]:
        """Chunks holding a quoted title or document number from the question verbatim."""
        spans = re.findall(
            r"《([^》]{2,})》|“([^”]{2,})”|\"([^\"]{2,})\"|([\u4e00-\u9fff]{1,6}〔\d{4}〕\d+号)", query.original
        )
        literals = [next(x for x in grp if x) for grp in spans]
        out = []
        for lit in literals:
            found = [
                c
                for c in self.index.chunks
                if lit in c.text and not is_heading_chunk(c) and (not query.docs or c.doc in query.docs)
            ]
            found.sort(key=lambda c: -coverage(query.terms, [(c.text, 1.0)], self.stats)[0])
            out += [Hit(c, 2.0) for c in found[:3]]
        return out
