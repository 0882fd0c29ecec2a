"""One sentence of a report as the extractor reads it: tokens, weapon phrases, counts and cues (for ``mentions``)."""

from __future__ import annotations

import re

from reassure.monitoring.extraction.dates import date_spans
from reassure.monitoring.extraction.engine import find_phrases
from reassure.monitoring.extraction.lexicon import Lexicon
from reassure.monitoring.extraction.numbers import CountRead, read_count
from reassure.monitoring.extraction.tokens import Token, tokenize, word_set

# "part of the drones", "most of the drones": a share with no figure
_QUANTIFIERS = word_set("part most some many half majority several частину частина більшість решту кілька декілька")
PREPOSITIONS = word_set(
    "over in on near across above at from by until till before after during overnight по над в у на біля до протягом"
)



REMAINDER = re.compile(r"\b(?:rest|others?|remaining|remainder|решт\w*|інш\w*|залишк\w*)\b", re.IGNORECASE)



_EITHER = re.compile(r"\b(?:either|або)\s+$", re.IGNORECASE)
_OR = re.compile(r"\b(?:or|або|чи)\b", re.IGNORECASE)
_BRACKET_TOKENS = 30  # at most this many tokens inside a bracketed breakdown


class CueHit:
    __slots__ = ("after", "before", "end", "participle", "start", "tok", "tok_end", "used")

    def __init__(self, start: int, end: int, toks: list[Token], before: str | None, after: str | None, part: bool):
        self.start, self.end = start, end
        self.tok = next((k for k, t in enumerate(toks) if t.start >= start), len(toks))
        self.tok_end = next((k for k, t in enumerate(toks) if t.start >= end), len(toks))
        self.before, self.after, self.participle = before, after, part
        self.used = False


class Sentence:
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
        # the field of a count no cue gives one: launched, or the field of the total a breakdown or list opened
        # ("75 targets were neutralised: 70 drones and 5 missiles", "Збито – 59 ракет:\n- 50 КР Х-101;")
        self.default_field = "launched"
        self.breakdown_at = -1  # the token where an open breakdown starts: a verb before it is the total's
        self.consumed: set[int] = set()  # count tokens read already (a "respectively" run): no one else's total
        self.reads: dict[int, CountRead] = {}  # the count read at each token where one starts
        for i in range(len(self.toks)):
            read = read_count(self.toks, i, lex.lang)
            if read is not None:
                self.reads[i] = read
            # "..., and all were shot down", "..., and all 18 were shot down": a new subject (no noun after "all 18")
            new_subject = read is not None and (
                read.kind == "all_implicit" or (read.kind == "all" and read.end not in self.by_start)
            )
            if new_subject and i > 0 and (
                self.toks[i - 1].low in lex.joiners or self.toks[i - 1].low in (",", ";", ":")
            ) and not self._coordinated_all(i):
                self.subject_toks.add(i)
            if read is not None and read.kind not in ("article", "all_implicit"):
                self.count_toks.update(range(read.start, read.end))  # "all" with no number is a subject, not a count
        self.cues = self._find_cues()
        self.brackets = self._breakdown_brackets()
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

    def _coordinated_all(self, i: int) -> bool:
        """Return whether "all" at ``i`` is one item of a coordinated subject ("More than 80 drones and all missiles
        were destroyed"): right after a weapon phrase and a bare "and", and before a weapon phrase of its own."""
        toks = self.toks
        k = i + 1 + (i + 1 < len(toks) and toks[i + 1].low == "the")
        return (
            toks[i - 1].low in ("and", "і", "та", "й")
            and i - 2 in self.phrase_toks
            and k in self.by_start
        )

    def _breakdown_brackets(self) -> set[int]:
        """Return the brackets or dashes around a breakdown after a weapon phrase ("All 18 missiles (six Kinzhal, nine
        cruise missiles and three S-400) were shot down", "18 missiles - 6 Kinzhal and 12 Kalibr - were ..."): they
        stand between the phrases and their verb, and hide neither from the other."""
        found: set[int] = set()
        toks = self.toks
        for k, tok in enumerate(toks):
            if tok.low not in ("(", "-") or k - 1 not in self.phrase_toks or k + 1 in self.phrase_toks:
                continue
            close_with = ")" if tok.low == "(" else "-"
            for j in range(k + 1, min(len(toks), k + _BRACKET_TOKENS)):
                low = toks[j].low
                if low == close_with:
                    inner = range(k + 1, j)
                    if any(i in self.count_toks for i in inner) and all(
                        i in self.count_toks or i in self.phrase_toks or toks[i].low in self.lex.joiners for i in inner
                    ):
                        found.update((k, j))
                    break
                if low in (";", "(", ")", ":") or (toks[j].kind == "punct" and low not in self.lex.joiners):
                    break
        return found

    def _find_cues(self) -> list[CueHit]:
        taken = [False] * len(self.text)
        modifier_chars = {
            c for p in self.phrases for j in p.modifiers for c in range(self.toks[j].start, self.toks[j].end)
        }
        hits: list[CueHit] = []
        for cue in self.lex.cues:
            for match in cue.pattern.finditer(self.text):
                span = range(match.start(), match.end())
                if any(taken[c] for c in span) or any(c in modifier_chars for c in span):
                    continue
                hits.append(CueHit(match.start(), match.end(), self.toks, cue.before, cue.after, cue.participle))
                for c in span:
                    taken[c] = True
        hits.sort(key=lambda h: h.start)
        for k, first in enumerate(hits):  # "were either lost to jamming or hit targets": a share of each, no figure
            if not _EITHER.search(self.text[max(0, first.start - 12) : first.start]):
                continue
            found = _OR.search(self.text, first.end, min(len(self.text), first.end + 40))
            if found is None:
                continue
            group = [h for h in hits[k:] if h.start < found.start()]
            second = next((h for h in hits[k:] if found.end() <= h.start < found.end() + 25), None)
            if second is not None and second.after not in {h.after for h in group}:
                for hit in [*group, second]:
                    hit.before = hit.after = "ignore"
        return hits

    def gap(self, a: int, b: int) -> tuple[bool, bool]:
        """Return (only fillers, counts and phrases between tokens a..b, an auxiliary among them)."""
        aux = False
        for k in range(a, b):
            tok = self.toks[k]
            if k in self.subject_toks and k > a:
                return False, aux
            if k in self.phrase_toks or k in self.count_toks or tok.low in ("'", '"') or k in self.brackets:
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

    def after_cue(self, tok: int) -> tuple[CueHit, bool] | None:
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

    def before_cue(self, tok: int) -> CueHit | None:
        """Return the nearest unused cue before token ``tok`` in the same clause."""
        found = None
        for hit in self.cues:
            if hit.tok < tok and not hit.used and hit.before is not None and hit.end <= self.toks[tok].start:
                found = hit
        if found is None or self.lex.clause_break.search(self.text[found.end : self.toks[tok].start]):
            return None
        return found


def of_at(toks: list[Token], j: int, lex: Lexicon) -> int | None:
    for words in lex.of_words:
        if [t.low for t in toks[j : j + len(words)]] == list(words):
            return j + len(words)
    return None


def span_of(sent: Sentence, start: int, end: int) -> tuple[int, int]:
    """Return the normalised-text span of tokens ``start``..``end`` (exclusive) of a sentence."""
    return sent.offset + sent.toks[start].start, sent.offset + sent.toks[end - 1].end
