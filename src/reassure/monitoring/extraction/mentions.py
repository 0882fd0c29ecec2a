"""Pair counts with weapon phrases and cues: report text → mentions (see ``engine``)."""

from __future__ import annotations

import re

from reassure.monitoring.extraction.dates import date_spans
from reassure.monitoring.extraction.engine import Mention, Phrase, find_phrases
from reassure.monitoring.extraction.lexicon import Lexicon
from reassure.monitoring.extraction.numbers import CountKind, CountRead, read_count
from reassure.monitoring.extraction.tokens import Token, split_sentences, tokenize, word_set
from reassure.monitoring.report import Count

# "part of the drones", "most of the drones": a share with no figure
_QUANTIFIERS = word_set("part most some many half majority several частину частина більшість решту кілька декілька")
_PREPOSITIONS = word_set(
    "over in on near across above at from by until till before after during overnight по над в у на біля до протягом"
)


class _CueHit:
    __slots__ = ("after", "before", "end", "participle", "start", "tok", "tok_end", "used")

    def __init__(self, start: int, end: int, toks: list[Token], before: str | None, after: str | None, part: bool):
        self.start, self.end = start, end
        self.tok = next((k for k, t in enumerate(toks) if t.start >= start), len(toks))
        self.tok_end = next((k for k, t in enumerate(toks) if t.start >= end), len(toks))
        self.before, self.after, self.participle = before, after, part
        self.used = False


class _Sentence:
    """One sentence with its tokens, phrases (by start token), count tokens and cues."""

    def __init__(self, text: str, offset: int, index: int, lex: Lexicon):
        self.text, self.offset, self.index, self.lex = text, offset, index, lex
        self.toks: list[Token] = tokenize(text, date_spans(text))
        self.phrases = find_phrases(self.toks, lex, offset)
        self.by_start = {p.start: p for p in self.phrases}
        self.phrase_toks = {j for p in self.phrases for j in range(p.start, p.end)}
        self.count_toks: set[int] = set()
        self.launched: dict[int, int] = {}  # id(phrase) → launched count stated so far (for antecedents)
        self.subject_toks: set[int] = set()  # "all", "every one": a new subject, so a cue after it is its own
        for i in range(len(self.toks)):
            read = read_count(self.toks, i, lex.lang)
            if read is not None and read.kind == "all_implicit" and i > 0 and (
                self.toks[i - 1].low in lex.joiners or self.toks[i - 1].low in (",", ";", ":")
            ):
                self.subject_toks.add(i)
            if read is not None and read.kind not in ("article", "all_implicit"):
                self.count_toks.update(range(read.start, read.end))  # "all" with no number is a subject, not a count
        self.cues = self._find_cues()
        self._chain_phrases()
        # "54 out of 62 drones and 1 of 5 missiles were destroyed": partitive words inside a coordination
        self.partitive = {w for words in lex.of_words for w in words} | {"the"} | _QUANTIFIERS

    def _chain_phrases(self) -> None:
        """Mark phrases coordinated without a verb between them ("2 Kinzhal missiles and 1 Zircon missile")."""
        for first, second in zip(self.phrases, self.phrases[1:], strict=False):
            if first.chain < 0:
                first.chain = first.pos
            between = self.toks[first.end : second.start]
            joined = any(t.low in self.lex.joiners for t in between)
            verb = any(first.end <= hit.tok < second.start for hit in self.cues)
            if joined and not verb and len(between) <= 6:
                second.chain = first.chain
        if self.phrases and self.phrases[-1].chain < 0:
            self.phrases[-1].chain = self.phrases[-1].pos

    def _find_cues(self) -> list[_CueHit]:
        taken = [False] * len(self.text)
        modifier_chars = {
            c for p in self.phrases for j in p.modifiers for c in range(self.toks[j].start, self.toks[j].end)
        }
        hits: list[_CueHit] = []
        for cue in self.lex.cues:
            for match in cue.pattern.finditer(self.text):
                span = range(match.start(), match.end())
                if any(taken[c] for c in span) or any(c in modifier_chars for c in span):
                    continue
                hits.append(_CueHit(match.start(), match.end(), self.toks, cue.before, cue.after, cue.participle))
                for c in span:
                    taken[c] = True
        return sorted(hits, key=lambda h: h.start)

    def gap(self, a: int, b: int) -> tuple[bool, bool]:
        """Return (only fillers, counts and phrases between tokens a..b, an auxiliary among them)."""
        aux = False
        for k in range(a, b):
            tok = self.toks[k]
            if k in self.subject_toks and k > a:
                return False, aux
            if k in self.phrase_toks or k in self.count_toks or tok.low in ("'", '"'):
                continue
            if tok.low in ("a", "an") and k + 1 in self.phrase_toks:
                continue  # "15 drones and a missile were shot down"
            if tok.low in self.lex.fillers or tok.low in self.lex.joiners - {","} or tok.low in self.partitive:
                aux = aux or tok.low in self.lex.aux
                continue
            if tok.low == "," and k + 1 < b and (k + 1 in self.count_toks or self.toks[k + 1].low in self.lex.joiners):
                continue
            if tok.low == "-" and k == b - 1 and k > 0 and (k - 1 in self.count_toks or k - 1 in self.phrase_toks):
                continue  # "ще 20 – локаційно втрачені", "41 - lost": a dash standing for the verb "were"
            return False, aux
        return True, aux

    def after_cue(self, tok: int) -> tuple[_CueHit, bool] | None:
        """Return the cue that follows token ``tok`` across fillers, and whether an auxiliary came first."""
        hits = [h for h in self.cues if h.tok >= tok]
        if not hits or hits[0].after is None:
            return None
        ok, aux = self.gap(tok, hits[0].tok)
        if not ok:
            return None
        first = hits[0]
        if first.participle and not aux and len(hits) > 1 and hits[1].after is not None:
            between = self.toks[first.tok + 1 : hits[1].tok]
            words = [t.low for t in between]
            if len(words) <= 6 and not any(t.kind == "punct" for t in between) and set(words) & self.lex.aux:
                first.used = True
                return hits[1], True
        return first, aux

    def before_cue(self, tok: int) -> _CueHit | None:
        """Return the nearest unused cue before token ``tok`` in the same clause."""
        found = None
        for hit in self.cues:
            if hit.tok < tok and not hit.used and hit.before is not None and hit.end <= self.toks[tok].start:
                found = hit
        if found is None or self.lex.clause_break.search(self.text[found.end : self.toks[tok].start]):
            return None
        return found


def _of_at(toks: list[Token], j: int, lex: Lexicon) -> int | None:
    for words in lex.of_words:
        if [t.low for t in toks[j : j + len(words)]] == list(words):
            return j + len(words)
    return None


def _antecedent(
    phrases: list[Phrase], pos: int, value: int | None = None, launched: dict[int, int] | None = None
) -> Phrase | None:
    """Return the phrase a count without a noun refers to: the nearest before it, skipping weapons of which
    fewer were launched than the count ("50 drones and 3 missiles ..., and 40 were shot down": the drones)."""
    before = [p for p in phrases if p.pos < pos]
    if not before:
        return None
    if value is not None and launched:
        known = launched.get(id(before[-1]))
        if known is not None and known < value:
            fits = [p for p in reversed(before) if launched.get(id(p), -1) >= value]
            if fits:
                return fits[0]
    return before[-1]


def _span(sent: _Sentence, start: int, end: int) -> tuple[int, int]:
    """Return the normalised-text span of tokens ``start``..``end`` (exclusive) of a sentence."""
    return sent.offset + sent.toks[start].start, sent.offset + sent.toks[end - 1].end


def extract_mentions(text: str, lex: Lexicon) -> tuple[list[Mention], list[tuple[int, int]]]:
    """Return the mentions of normalised ``text`` in order, and the spans of the sentences that hold them."""
    mentions: list[Mention] = []
    spans: list[tuple[int, int]] = []
    all_phrases: list[Phrase] = []
    launched: dict[int, int] = {}
    for index, (offset, sentence) in enumerate(split_sentences(text)):
        sent = _Sentence(sentence, offset, index, lex)
        sent.launched = launched
        all_phrases.extend(sent.phrases)
        before_count = len(mentions)
        breakdown: tuple[int, str] | None = None
        i = 0
        while i < len(sent.toks):
            read = read_count(sent.toks, i, lex.lang) if i not in sent.phrase_toks else None
            if read is None:
                i += 1
                continue
            paired = _pair(sent, read, all_phrases, lex)
            i = read.end if paired is not None or read.kind != "article" else i + 1
            if paired is None:
                continue
            mention, end = paired
            i = max(read.end, end)
            if breakdown is not None and breakdown[1] == mention.field and mention.total is None:
                mention.breakdown_of = breakdown[0]
            elif breakdown is not None:
                breakdown = None
            if mention.breakdown_of is None and _opens_breakdown(sent.toks, end, lex):
                breakdown = (len(mentions), mention.field)
            if implicit_total(mention, read):  # "2 Kinzhal and 1 Zircon missile; all were shot down": each of them
                mentions.extend(
                    Mention(mention.count, mention.kind, p, mention.field, mention.pos, index, span=mention.span)
                    for p in all_phrases
                    if p.chain == mention.phrase.chain and p is not mention.phrase and p.category is not None
                )
            if _continues_all(sent, mentions, mention, read):
                mention.kind = "all"  # "destroyed all of the 18 missiles and nine drones": all of both
            if mention.count is not None and (mention.field == "launched" or mention.kind == "all"):
                launched[id(mention.phrase)] = mention.count.value
            elif mention.total is not None:
                launched[id(mention.phrase)] = mention.total.value
            mentions.append(mention)
        counted = {m.phrase.start for m in mentions[before_count:] if m.sentence == index}
        mentions.extend(_definite(sent, counted))
        mentions.extend(_singulars(sent, counted))
        mentions.extend(_corrections(sent, mentions))
        mentions.extend(_which_clauses(sent, mentions))
        mentions.extend(_negations(sent))
        if len(mentions) > before_count:
            spans.append((offset, offset + len(sentence)))
    return mentions, spans


def implicit_total(mention: Mention, read: CountRead) -> bool:
    """Return whether a count is "all"/"none" without a noun, referring back to a weapon phrase."""
    return read.kind in ("all_implicit", "none") and mention.pos > mention.phrase.pos


def _continues_all(sent: _Sentence, mentions: list[Mention], mention: Mention, read: CountRead) -> bool:
    """Return whether a count is the next item of a coordination that "all" opened ("all 18 missiles and 9 drones")."""
    if not mentions or read.kind != "number" or read.count is None or read.count.qualifier != "exact":
        return False
    last = mentions[-1]
    if last.sentence != sent.index or last.kind != "all" or last.field != mention.field:
        return False
    until = sent.offset + sent.toks[read.start].start
    between = [t.low for t in sent.toks if last.phrase.pos <= sent.offset + t.start < until]
    return bool(between) and between[-1] in sent.lex.joiners and last.phrase.end <= read.start


def _negations(sent: _Sentence) -> list[Mention]:
    """Return destroyed-0 mentions for "the Kh-22 missiles were not shot down" and the like."""
    if sent.lex.negated is None:
        return []
    found: list[Mention] = []
    for match in sent.lex.negated.finditer(sent.text):
        subjects = [p for p in sent.phrases if sent.toks[p.end - 1].end <= match.start() and p.category]
        gap = sent.text[sent.toks[subjects[-1].end - 1].end : match.start()] if subjects else ""
        if re.search(r"\b(?:that|which|who)\b", gap):
            continue  # "what happened to the two missiles that were not destroyed": no figure
        if subjects:
            pos = sent.offset + match.start()
            span = (pos, sent.offset + match.end())
            found.append(Mention(Count(value=0), "none", subjects[-1], "destroyed", pos, sent.index, span=span))
    return found


def _opens_breakdown(toks: list[Token], end: int, lex: Lexicon) -> bool:
    words = [t.low for t in toks[end : end + 3]]
    return any(words[: len(intro)] == list(intro) for intro in lex.breakdown_intro)


def _pair(sent: _Sentence, read: CountRead, phrases: list[Phrase], lex: Lexicon) -> tuple[Mention, int] | None:
    """Return the mention a count makes, or None when it counts something else."""
    toks, j = sent.toks, read.end
    pos = sent.offset + toks[read.start].start
    if j < len(toks) and toks[j].low in ("%", "percent", "per"):
        return _percent_of(sent, read, j, pos)
    if j + 1 < len(toks) and toks[j].low in ("more", "other", "others", "additional") and _of_at(toks, j + 1, lex):
        j += 1  # "six more of the Russian drones were lost"
    phrase = sent.by_start.get(j)
    total: Count | None = None
    total_span: tuple[int, int] | None = None
    implicit = False
    after_tok = j
    if phrase is None and read.kind == "all_implicit" and j < len(toks) and toks[j].low == "the":
        phrase = sent.by_start.get(j + 1)
    if phrase is None and read.kind == "all_implicit" and [t.low for t in toks[read.start : read.end]] == ["every"]:
        return None  # "every night": not a weapon
    if phrase is None:
        k = _of_at(toks, j, lex)
        if k is not None and k < len(toks) and toks[k].low in ("the", "all") and k + 1 < len(toks):
            k += 1
        if k is not None and k < len(toks):
            if toks[k].low in lex.anaphora and k not in sent.by_start:
                implicit, after_tok = True, k + 1
            elif k in sent.by_start:
                phrase = sent.by_start[k]
            else:
                inner = read_count(toks, k, lex.lang)
                if inner is None or inner.end not in sent.by_start or inner.count is None:
                    return None
                phrase, total = sent.by_start[inner.end], inner.count
                total_span = _span(sent, inner.start, inner.end)
        else:
            implicit = True
    if phrase is not None:
        after_tok = phrase.end
        k = _of_at(toks, phrase.end, lex) if total is None and not implicit else None
        outer = read_count(toks, k, lex.lang) if k is not None and k < len(toks) else None
        if outer is not None and outer.count is not None and outer.end not in sent.by_start and outer.kind == "number":
            # "39 БпЛА із 49", "27 drones out of 30": the total they were taken from
            total, total_span = outer.count, _span(sent, outer.start, outer.end)
            after_tok = outer.end
    after = sent.after_cue(after_tok)
    if implicit and after is not None and after[0].tok == read.end and _UNTYPED_HITS.fullmatch(
        sent.text[after[0].start : after[0].end]
    ):
        after[0].used = True
        return None  # "9 hits were recorded": hits of no named weapon are nobody's impacted count
    if implicit and read.kind == "all_implicit" and _REMAINDER.search(_clause_before(sent, read.start)):
        return None  # "the rest were all lost": as many as were left, a figure the text does not write
    if after is not None:
        after[0].used = True  # even when the cue before wins: "drones launched by Russia" is a modifier
    if after is not None and total is not None and after[0].after == "launched":
        after = None
    before = sent.before_cue(read.start)
    field: str | None
    if implicit and _shot_them_all_down(toks, read):
        field = "destroyed"
        phrase = _antecedent(phrases, pos)
    elif implicit:
        field = _implicit_field(sent, read, after, before)
        phrase = _antecedent(phrases, pos, read.count.value if read.count else None, sent.launched)
    elif _totals_after_parts(sent, read.start):
        field = "launched"  # "shot down 18 drones and one missile out of 20 drones and three missiles"
    elif _opens_with_partitive(toks, read.start, lex):
        field = "launched"  # "Of the 50 drones, 30 were shot down": the whole the parts are taken from
        if after is not None:
            after[0].used = False  # "з 44 дронів збито 32": the verb is the part's
    elif after is not None and (
        after[1]
        or (not lex.after_needs_aux and not (before is not None and _other_count_between(sent, after_tok, after[0])))
        or before is None
        or _weak_before(sent, before, after[0], after_tok)
    ):
        field = after[0].after
    elif before is not None:
        field = before.before
    else:
        field = "launched"
    if field is None or field == "ignore" or phrase is None:
        return None
    if implicit and read.count is not None and 1990 <= read.count.value <= 2100:
        return None  # a year, not a count
    span = _span(sent, read.start, read.end) if read.count is not None else None
    return Mention(read.count, read.kind, phrase, field, pos, sent.index, total, span=span,
                   total_span=total_span), after_tok


_UNTYPED_HITS = re.compile(r"hits|impacts|влучан\w*|влучань", re.IGNORECASE)
_REMAINDER = re.compile(r"\b(?:rest|others?|remaining|remainder|решт\w*|інш\w*|залишк\w*)\b", re.IGNORECASE)


_WEAK = re.compile(r"reported|recorded|detected|tracked", re.IGNORECASE)


def _other_count_between(sent: _Sentence, tok: int, cue: _CueHit) -> bool:
    """Return whether ", 30" stands between a phrase and the cue after it ("запустив 40 шахедів, 30 збито")."""
    toks = sent.toks[tok : cue.tok]
    return any(t.low == "," for t in toks) and any(t.kind in ("num", "range", "plus") for t in toks)


def _weak_before(sent: _Sentence, before: _CueHit, after: _CueHit, after_tok: int) -> bool:
    """Return whether "reported" before yields to a cue right after the phrase ("reported 30 drones downed")."""
    return (
        _WEAK.fullmatch(sent.text[before.start : before.end]) is not None
        and after.tok == after_tok
        and after.after in ("destroyed", "suppressed", "neutralized")
    )


_CORRECTION = re.compile(
    r"\b(?:revis|rais|updat|correct|lower|increas|adjust)\w*\s+(?:the\s+|its\s+|that\s+|this\s+)?"
    r"(?:figure|number|count|tally|total|toll)\s+(?:to|up\s+to|down\s+to)\s+",
    re.IGNORECASE,
)


def _corrections(sent: _Sentence, mentions: list[Mention]) -> list[Mention]:
    """Return "later revising the figure to 35" as a correction of the figure before it in the sentence."""
    found: list[Mention] = []
    for match in _CORRECTION.finditer(sent.text):
        earlier = [m for m in mentions if m.sentence == sent.index and m.pos < sent.offset + match.start()]
        tok = next((k for k, t in enumerate(sent.toks) if t.start >= match.end()), None)
        if not earlier or tok is None or earlier[-1].count is None:
            continue
        read = read_count(sent.toks, tok, sent.lex.lang)
        if read is None or read.count is None:
            continue
        last = earlier[-1]
        span = _span(sent, read.start, read.end)
        found.append(Mention(read.count, "correction", last.phrase, last.field, sent.offset + match.start(),
                             sent.index, span=span))
    return found


_WHICH = re.compile(r"^\s*,?\s*(?:which|that)\s+(?:was|were)\s+(?:also\s+|then\s+|later\s+)?", re.IGNORECASE)


def _which_clauses(sent: _Sentence, mentions: list[Mention]) -> list[Mention]:
    """Return "a Kh-59 missile, which was shot down" as the same count in the field of the relative clause."""
    found: list[Mention] = []
    for mention in [m for m in mentions if m.sentence == sent.index and m.field == "launched" and m.count is not None]:
        phrase = mention.phrase
        if phrase.pos < sent.offset or phrase.end > len(sent.toks):
            continue
        rest = sent.text[sent.toks[phrase.end - 1].end :]
        match = _WHICH.match(rest)
        if match is None:
            continue
        at = sent.toks[phrase.end - 1].end + match.end()
        hit = next((h for h in sent.cues if h.start == at), None)
        if hit is None or hit.after in (None, "ignore", "launched"):
            continue
        hit.used = True
        found.append(
            Mention(mention.count, mention.kind, phrase, hit.after, mention.pos, sent.index, span=mention.span)
        )
    return found


def _clause_before(sent: _Sentence, tok: int) -> str:
    """Return the text of the clause before token ``tok`` (from the last comma, break or sentence start)."""
    start = 0
    for k in range(tok - 1, -1, -1):
        if sent.toks[k].low in (",", ";", ":", "-", "and", "і", "та", "а"):
            start = sent.toks[k].end
            break
    return sent.text[start : sent.toks[tok].start] if tok < len(sent.toks) else sent.text[start:]


def _shot_them_all_down(toks: list[Token], read: CountRead) -> bool:
    """Return whether the count is "them all" inside "shot them all down" (the verb's parts around it)."""
    return (
        read.kind == "all_implicit"
        and toks[read.start].low == "them"
        and read.start > 0
        and toks[read.start - 1].low in ("shot", "brought", "took", "knocked", "taken")
        and read.end < len(toks)
        and toks[read.end].low == "down"
    )


def _totals_after_parts(sent: _Sentence, start: int) -> bool:
    """Return whether the count at ``start`` is in an "out of N X (and M Y)" run after counted weapons."""
    toks, k = sent.toks, start - 1
    while k >= 0 and toks[k].low == "the":
        k -= 1
    for words in (("out", "of"),):
        first = k - len(words) + 1
        if first >= 1 and [t.low for t in toks[first : k + 1]] == list(words) and first - 1 in sent.phrase_toks:
            return True
    # the next item of such a run: "... out of 20 drones and [three missiles]"
    if k >= 0 and toks[k].low in sent.lex.joiners and k - 1 in sent.phrase_toks:
        phrase = next((p for p in sent.phrases if p.end == k), None)
        if phrase is not None:
            count = next((j for j in range(phrase.start - 1, -1, -1) if toks[j].kind in ("num", "word")), None)
            return count is not None and count < start and _totals_after_parts(sent, count)
    return False


def _opens_with_partitive(toks: list[Token], start: int, lex: Lexicon) -> bool:
    """Return whether the count at ``start`` follows a clause-opening "of (the)" / "out of" / "з"."""
    k = start - 1
    while k >= 0 and toks[k].low in ("the", "all"):
        k -= 1
    for words in lex.of_words:
        first = k - len(words) + 1
        if first >= 0 and [t.low for t in toks[first : k + 1]] == list(words):
            return first == 0 or toks[first - 1].low in (",", ":", ";", "-", "and", "but", "і", "та", "а")
    return False


def _percent_of(sent: _Sentence, read: CountRead, j: int, pos: int) -> tuple[Mention, int] | None:
    """Return the total of "90% of the 68 drones" as launched; the share itself is no count."""
    toks = sent.toks
    k = j + (2 if toks[j].low == "per" else 1)
    k = _of_at(toks, k, sent.lex) or -1
    if 0 <= k < len(toks) and toks[k].low == "the":
        k += 1
    inner = read_count(toks, k, sent.lex.lang) if 0 <= k < len(toks) else None
    if inner is None or inner.count is None or inner.end not in sent.by_start:
        return None
    phrase = sent.by_start[inner.end]
    sent.after_cue(phrase.end)  # consumes "launched" in "of the 68 drones launched"
    span = _span(sent, inner.start, inner.end)
    return Mention(inner.count, "number", phrase, "launched", pos, sent.index, span=span), phrase.end


_UK_SINGULAR_ADJ = re.compile(r"\w+(?:ий|ій|у|ю)")  # "розвідувальний БпЛА", "крилату ракету": one of them


def _singulars(sent: _Sentence, counted: set[int]) -> list[Mention]:
    """Return one-unit mentions for a Ukrainian singular phrase after its verb: "збито ракету Іскандер-М".

    Ukrainian has no article, so the singular form is what says "one"; the figure's span is the phrase.
    """
    found: list[Mention] = []
    for phrase in sent.phrases:
        if phrase.start in counted or phrase.category is None or phrase.start in sent.count_toks:
            continue
        if sent.lex.lang == "en":
            definite = phrase.start > 0 and sent.toks[phrase.start - 1].low == "the" and not phrase.plural
            cue = sent.before_cue(phrase.start - 1) if definite else None
            if cue is not None and cue.before not in (None, "ignore", "launched") and sent.gap(
                cue.tok_end, phrase.start - 1
            )[0]:  # "destroyed the missile and 18 of the drones": the one launched
                found.append(Mention(None, "the_one", phrase, cue.before, phrase.pos, sent.index))
            continue
        if phrase.start > 0 and sent.toks[phrase.start - 1].kind in ("num", "range", "plus"):
            continue
        first = sent.toks[phrase.start]
        singular = not phrase.plural or (first.kind == "word" and _UK_SINGULAR_ADJ.fullmatch(first.low) is not None)
        if not singular or any(t.low in ("ракети", "ракет", "ракетами") for t in sent.toks[phrase.start : phrase.end]):
            continue
        span = (sent.offset + first.start, sent.offset + sent.toks[phrase.end - 1].end)
        cue = sent.before_cue(phrase.start)
        if cue is not None and cue.before not in (None, "ignore") and sent.gap(cue.tok_end, phrase.start)[0]:
            found.append(Mention(Count(value=1), "article", phrase, cue.before, phrase.pos, sent.index, span=span))
            continue
        after = sent.after_cue(phrase.end)  # "Ракету та частину дронів збито"
        if after is not None and after[0].after not in (None, "ignore"):
            found.append(Mention(Count(value=1), "article", phrase, after[0].after, phrase.pos, sent.index, span=span))
    return found


def _definite(sent: _Sentence, counted: set[int]) -> list[Mention]:
    """Return all-of-them mentions for "the ballistic missiles reached their targets" (no number)."""
    found: list[Mention] = []
    for phrase in sent.phrases:
        if phrase.start in counted or phrase.category is None:
            continue
        if phrase.start == 0 or sent.toks[phrase.start - 1].low != "the":
            continue
        if phrase.start >= 2 and sent.toks[phrase.start - 2].low in ("of", "з", "із"):
            continue  # "part of the drones were shot down": a share, no figure
        if any(_REMAINDER.fullmatch(t.low) for t in sent.toks[phrase.start : phrase.end]):
            continue  # "the other drones were lost": how many is not written
        after = sent.after_cue(phrase.end)
        if after is None or after[0].after in (None, "ignore", "launched"):
            continue
        after[0].used = True
        kind: CountKind = "all_implicit" if phrase.plural else "the_one"  # "the missile": the one launched
        found.append(Mention(None, kind, phrase, str(after[0].after), phrase.pos, sent.index))
    return found


def _implicit_field(
    sent: _Sentence, read: CountRead, after: tuple[_CueHit, bool] | None, before: _CueHit | None
) -> str | None:
    """Return the field of a count with no noun ("58 of which were shot down", "destroyed 44.")."""
    if (
        after is not None
        and before is not None
        and _other_count_between(sent, read.end, after[0])
        and sent.gap(before.tok_end, read.start)[0]
    ):
        return before.before  # "downed 30, and another 12 disappeared": the verb before is this count's
    if after is not None:
        return after[0].after
    toks, lex = sent.toks, sent.lex
    preceded = read.start >= 2 and toks[read.start - 1].low in lex.anaphora and _of_at(toks, read.start - 2, lex)
    nxt = toks[read.end] if read.end < len(toks) else None
    anaphoric = read.end + 1 < len(toks) and _of_at(toks, read.end, lex) is not None
    ends = nxt is None or nxt.kind == "punct" or nxt.low in _PREPOSITIONS
    if before is None or not (preceded or anaphoric or ends):
        return None
    if not (preceded or anaphoric) and not sent.gap(before.tok_end, read.start)[0]:
        return None
    return before.before
