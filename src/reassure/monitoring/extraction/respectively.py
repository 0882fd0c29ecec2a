"""Counts shared out in order by "respectively" / "відповідно" (for ``mentions``).

A run of bare counts ("40 and 4", "40, 4 and 2") with "respectively" beside it gives one count to each weapon of a
coordination, in order:
- the coordination written right after the run: "launched 48 and 5 drones and missiles, respectively";
- else the last coordination before it, in this sentence or an earlier one, with as many weapons as the run has
  counts: "Russia launched 5 missiles and 12 drones; air defence shot down 5 and 12, respectively",
  "Ворог запустив 48 шахедів і 5 ракет Х-101. Збито відповідно 40 та 4."
The field is the run's own: launched after "out of"/"of"/"з" ("out of 48 and 5 launched, respectively"), else the
verb after the run ("40 and 4, respectively, were shot down"), else the verb before it ("shot down 40 and 4 of them
respectively"). When the weapons or the field cannot be told, the run gives no figure at all: counts shared out in
an order the text does not show are never pinned on one weapon.
"""

from __future__ import annotations

from reassure.monitoring.extraction.engine import Mention, Phrase
from reassure.monitoring.extraction.numbers import CountRead
from reassure.monitoring.extraction.sentence import Sentence, span_of

_RESPECTIVELY = frozenset({"respectively", "відповідно"})
_RUN_JOINERS = frozenset({"and", ",", "та", "і", "й"})
_SKIP = frozenset({",", "-", "(", ")"}) | _RESPECTIVELY
_OF_THEM = frozenset({"of", "them", "which", "з", "із", "них", "яких"})
_NEAR = 6  # tokens between a run and its "respectively"


def _runs(sent: Sentence) -> list[list[CountRead]]:
    """Return the runs of two or more plain counts joined by "and" or commas ("40, 4 and 2"), in order."""
    reads: list[CountRead] = []
    i = 0
    while i < len(sent.toks):
        read = sent.reads.get(i) if i not in sent.phrase_toks else None
        if read is None or read.kind != "number" or read.count is None:
            i += 1
            continue
        reads.append(read)
        i = read.end
    runs: list[list[CountRead]] = []
    for read in reads:
        if runs and _joined(sent, runs[-1][-1].end, read.start):
            runs[-1].append(read)
        else:
            runs.append([read])
    return [run for run in runs if len(run) > 1]


def _joined(sent: Sentence, a: int, b: int) -> bool:
    between = [t.low for t in sent.toks[a:b]]
    return 1 <= len(between) <= 2 and all(w in _RUN_JOINERS for w in between)


def _marked(sent: Sentence, run: list[CountRead]) -> bool:
    """Return whether "respectively" stands beside the run: just before it, or after it within its clause."""
    toks = sent.toks
    start, end = run[0].start, run[-1].end
    if start > 0 and toks[start - 1].low in _RESPECTIVELY:
        return toks[start - 1].low != "відповідно" or end >= len(toks) or toks[end].low != "до"
    for k in range(end, min(len(toks), end + _NEAR)):
        low = toks[k].low
        if low in _RESPECTIVELY:
            return not (low == "відповідно" and k + 1 < len(toks) and toks[k + 1].low == "до")
        if low in (";", ".", ":") or toks[k].kind in ("num", "range", "plus"):
            return False
    return False


def _chain_after(sent: Sentence, end: int, size: int) -> list[Phrase] | None:
    """Return the coordination of ``size`` weapons that starts right after the run ("48 and 5 drones and missiles")."""
    first = sent.by_start.get(end)
    if first is None:
        return None
    chain = [p for p in sent.phrases if p.chain == first.chain and p.start >= first.start]
    return chain if len(chain) == size and all(p.category is not None for p in chain) else None


def _chain_before(phrases: list[Phrase], pos: int, size: int) -> list[Phrase] | None:
    """Return the last coordination of weapons before ``pos``, when it has ``size`` weapons."""
    before = [p for p in phrases if p.pos < pos and p.category is not None]
    if not before:
        return None
    chain = [p for p in before if p.chain == before[-1].chain]
    return chain if len(chain) == size else None


def _field(sent: Sentence, run: list[CountRead], after_tok: int) -> str | None:
    toks, lex = sent.toks, sent.lex
    start = run[0].start
    for words in lex.of_words:  # "out of 48 and 5": the totals
        first = start - len(words)
        if first >= 0 and [t.low for t in toks[first:start]] == list(words):
            return "launched"
    k = after_tok
    while k < len(toks) and (toks[k].low in _SKIP or toks[k].low in _OF_THEM or toks[k].low in lex.aux
                             or toks[k].low in lex.fillers):
        k += 1
    hit = next((h for h in sent.cues if h.tok == k), None)
    if hit is not None and hit.after not in (None, "ignore"):
        hit.used = True
        return hit.after
    before = sent.before_cue(start)
    if before is not None and before.before not in (None, "ignore"):
        gap = [t.low for t in toks[before.tok_end : start]]
        if all(w in _SKIP or w in _OF_THEM or w in lex.aux or w in lex.fillers for w in gap):
            return before.before
    return None


def respectively(sent: Sentence, phrases: list[Phrase]) -> dict[int, tuple[list[Mention], int]]:
    """Return, by the token where a "respectively" run starts, its mentions (maybe none) and the token after it.

    ``phrases``: every phrase of the text up to and including this sentence's.
    """
    found: dict[int, tuple[list[Mention], int]] = {}
    if not any(t.low in _RESPECTIVELY for t in sent.toks):
        return found
    for run in _runs(sent):
        if not _marked(sent, run):
            continue
        end = run[-1].end
        chain = _chain_after(sent, end, len(run))
        after_tok = chain[-1].end if chain else end
        if chain is None:
            pos = sent.offset + sent.toks[run[0].start].start
            chain = _chain_before(phrases, pos, len(run))
        field = _field(sent, run, after_tok)
        if field is None and after_tok > end:  # "48 and 5 drones and missiles respectively": no verb, the default
            field = sent.default_field
        sent.consumed.update(range(run[0].start, end))
        mentions: list[Mention] = []
        if chain is not None and field is not None:
            for read, phrase in zip(run, chain, strict=True):
                assert read.count is not None
                pos = sent.offset + sent.toks[read.start].start
                span = span_of(sent, read.start, read.end)
                mentions.append(Mention(read.count, "number", phrase, field, pos, sent.index, span=span))
        found[run[0].start] = (mentions, after_tok)
    return found

