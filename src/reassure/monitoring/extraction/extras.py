"""Mentions added after the count pass: negations, corrections, relative clauses, singular and definite phrases,
and "all"/"none" spread over a coordination (for ``mentions``)."""

from __future__ import annotations

import re

from reassure.monitoring.extraction.engine import Mention, Phrase
from reassure.monitoring.extraction.lexicon import MISSILE_FAMILY
from reassure.monitoring.extraction.numbers import CountKind, CountRead, read_count
from reassure.monitoring.extraction.sentence import REMAINDER, Sentence, span_of
from reassure.monitoring.report import Count


def implicit_total(mention: Mention, read: CountRead) -> bool:
    """Return whether a count is "all"/"none" without a noun, referring back to a weapon phrase."""
    return read.kind in ("all_implicit", "none") and mention.pos > mention.phrase.pos


def spread_all(
    mention: Mention, read: CountRead, phrases: list[Phrase], launched: dict[int, int]
) -> list[Mention] | None:
    """Return what "all 18 were shot down" means after "six Kinzhal, nine Kalibr and three S-400 missiles": all of each
    weapon of the coordination whose launched counts add up to 18. None when the count is no such "all N"; no
    mention when the figure is more than was launched of the weapon it refers to and no coordination adds up to it."""
    if read.kind != "all" or mention.count is None or mention.pos < mention.phrase.pos or mention.field == "launched":
        return None
    known = launched.get(id(mention.phrase))
    if known is None or known >= mention.count.value:
        return None
    chain = [p for p in phrases if p.chain == mention.phrase.chain and p.category is not None]
    counts = [launched.get(id(p)) for p in chain]
    if len(chain) < 2 or None in counts or sum(c for c in counts if c is not None) != mention.count.value:
        return []  # "all 18" of a weapon only 3 of which were launched: which 18 is not written
    return [Mention(None, "all_implicit", p, mention.field, mention.pos, mention.sentence) for p in chain]


def continues_all(sent: Sentence, mentions: list[Mention], mention: Mention, read: CountRead) -> bool:
    """Return whether a count is the next item of a coordination that "all" opened ("all 18 missiles and 9 drones")."""
    if not mentions or read.kind != "number" or read.count is None or read.count.qualifier != "exact":
        return False
    last = mentions[-1]
    if last.sentence != sent.index or last.kind != "all" or last.field != mention.field:
        return False
    until = sent.offset + sent.toks[read.start].start
    between = [t.low for t in sent.toks if last.phrase.pos <= sent.offset + t.start < until]
    return bool(between) and between[-1] in sent.lex.joiners and last.phrase.end <= read.start


def negations(sent: Sentence) -> list[Mention]:
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


_CORRECTION = re.compile(
    r"\b(?:revis|rais|updat|correct|lower|increas|adjust)\w*\s+(?:the\s+|its\s+|that\s+|this\s+)?"
    r"(?:figure|number|count|tally|total|toll)\s+(?:to|up\s+to|down\s+to)\s+",
    re.IGNORECASE,
)


def corrections(sent: Sentence, mentions: list[Mention]) -> list[Mention]:
    """Return "later revising the figure to 35" as a correction of the figure before it in the sentence, and "the
    number downed had risen to 90" as a correction of the field its verb names, for the weapon counted last."""
    found = _risen(sent, mentions)
    for match in _CORRECTION.finditer(sent.text):
        earlier = [m for m in mentions if m.sentence == sent.index and m.pos < sent.offset + match.start()]
        tok = next((k for k, t in enumerate(sent.toks) if t.start >= match.end()), None)
        if not earlier or tok is None or earlier[-1].count is None:
            continue
        read = read_count(sent.toks, tok, sent.lex.lang)
        if read is None or read.count is None:
            continue
        last = earlier[-1]
        span = span_of(sent, read.start, read.end)
        found.append(Mention(read.count, "correction", last.phrase, last.field, sent.offset + match.start(),
                             sent.index, span=span))
    return found


_RISEN = re.compile(
    r"\b(?:figure|number|count|tally|total)\b(?P<mid>[^.;]{0,30}?)\s+(?:had\s+|has\s+|was\s+|later\s+)*"
    r"(?:rose|risen|rises|increased|grew|climbed|went\s+up|been\s+(?:revised|raised|updated))\s+(?:up\s+)?to\s+",
    re.IGNORECASE,
)


def _risen(sent: Sentence, mentions: list[Mention]) -> list[Mention]:
    found: list[Mention] = []
    for match in _RISEN.finditer(sent.text):
        cue = next((h for h in sent.cues if match.start("mid") <= h.start < match.end("mid")), None)
        field = cue.after or cue.before if cue is not None else None
        weapons = [m for m in mentions if m.pos < sent.offset + match.start() and m.phrase.category is not None]
        tok = next((k for k, t in enumerate(sent.toks) if t.start >= match.end()), None)
        if field in (None, "ignore") or not weapons or tok is None:
            continue
        read = read_count(sent.toks, tok, sent.lex.lang)
        if read is None or read.count is None:
            continue
        if cue is not None:
            cue.used = True
        span = span_of(sent, read.start, read.end)
        found.append(Mention(read.count, "correction", weapons[-1].phrase, str(field), sent.offset + match.start(),
                             sent.index, span=span))
    return found


_WHICH = re.compile(r"^\s*,?\s*(?:which|that)\s+(?:was|were)\s+(?:also\s+|then\s+|later\s+)?", re.IGNORECASE)


def which_clauses(sent: Sentence, mentions: list[Mention]) -> list[Mention]:
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


_UK_SINGULAR_ADJ = re.compile(r"\w+(?:ий|ій|у|ю)")  # "розвідувальний БпЛА", "крилату ракету": one of them


_UK_GENITIVE_ADJ = re.compile(r"\w+ої")  # "балістичної ракети": of one missile
_UK_GENITIVE_NOUNS = frozenset({"влучання", "влучанням", "збиття", "знищення", "перехоплення", "пуск", "пуску"})


def _genitive_singular(sent: Sentence, start: int) -> bool:
    """Return whether "ракети" at a phrase starting at ``start`` is "of one missile", not "missiles": after a noun that
    governs the genitive ("влучання ракети") or with a singular genitive adjective ("балістичної ракети")."""
    first = sent.toks[start]
    return _UK_GENITIVE_ADJ.fullmatch(first.low) is not None or (
        start > 0 and sent.toks[start - 1].low in _UK_GENITIVE_NOUNS
    )


def singulars(sent: Sentence, counted: set[int]) -> list[Mention]:
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
        words = {t.low for t in sent.toks[phrase.start : phrase.end]}
        genitive = "ракети" in words and phrase.category in MISSILE_FAMILY and _genitive_singular(sent, phrase.start)
        if words & {"ракет", "ракетами"} or ("ракети" in words and not genitive):
            continue
        if not (singular or genitive):
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


def definite(sent: Sentence, counted: set[int]) -> list[Mention]:
    """Return all-of-them mentions for "the ballistic missiles reached their targets" (no number)."""
    found: list[Mention] = []
    for phrase in sent.phrases:
        if phrase.start in counted or phrase.category is None:
            continue
        if phrase.start == 0 or sent.toks[phrase.start - 1].low != "the":
            continue
        if phrase.start >= 2 and sent.toks[phrase.start - 2].low in ("of", "з", "із"):
            continue  # "part of the drones were shot down": a share, no figure
        if any(REMAINDER.fullmatch(t.low) for t in sent.toks[phrase.start : phrase.end]):
            continue  # "the other drones were lost": how many is not written
        after = sent.after_cue(phrase.end)
        if after is None or after[0].after in (None, "ignore", "launched"):
            continue
        after[0].used = True
        kind: CountKind = "all_implicit" if phrase.plural else "the_one"  # "the missile": the one launched
        found.append(Mention(None, kind, phrase, str(after[0].after), phrase.pos, sent.index))
    return found
