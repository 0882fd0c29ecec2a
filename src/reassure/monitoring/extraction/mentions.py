"""Pair counts with weapon phrases and cues: report text → mentions (see ``engine``)."""

from __future__ import annotations

import re

from reassure.monitoring.extraction.engine import Mention, Phrase
from reassure.monitoring.extraction.extras import (
    continues_all,
    corrections,
    definite,
    implicit_total,
    negations,
    singulars,
    spread_all,
    which_clauses,
)
from reassure.monitoring.extraction.lexicon import Lexicon
from reassure.monitoring.extraction.lists import ListState, opens_breakdown
from reassure.monitoring.extraction.numbers import CountRead, read_count
from reassure.monitoring.extraction.respectively import respectively
from reassure.monitoring.extraction.sentence import PREPOSITIONS, REMAINDER, CueHit, Sentence, of_at, span_of
from reassure.monitoring.extraction.tokens import Token, split_sentences
from reassure.monitoring.report import Count


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


def extract_mentions(text: str, lex: Lexicon) -> tuple[list[Mention], list[tuple[int, int]]]:
    """Return the mentions of normalised ``text`` in order, and the spans of the sentences that hold them."""
    mentions: list[Mention] = []
    spans: list[tuple[int, int]] = []
    all_phrases: list[Phrase] = []
    launched: dict[int, int] = {}
    lists = ListState()
    for index, (offset, sentence) in enumerate(split_sentences(text)):
        sent = Sentence(sentence, offset, index, lex)
        sent.launched = launched
        all_phrases.extend(sent.phrases)
        before_count = len(mentions)
        lists.first = before_count
        breakdown = lists.enter(sent)
        item_field = sent.default_field
        shared = respectively(sent, all_phrases)
        i = 0
        while i < len(sent.toks):
            if i in shared:  # "shot down 40 and 4, respectively": one count to each weapon, in order
                found, i = shared[i]
                for mention in found:
                    if mention.field == "launched" and mention.count is not None:
                        launched[id(mention.phrase)] = mention.count.value
                mentions.extend(found)
                continue
            read = sent.reads.get(i) if i not in sent.phrase_toks else None
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
                breakdown, sent.default_field, sent.breakdown_at = None, item_field, -1
            if mention.breakdown_of is None and opens_breakdown(sent, end):
                breakdown = (len(mentions), mention.field)
                sent.default_field = mention.field  # "75 targets were neutralised: 70 drones and 5 missiles"
                sent.breakdown_at = end
            if (spread := spread_all(mention, read, all_phrases, launched)) is not None:
                mentions.extend(spread)  # "six Kinzhal, nine Kalibr and three S-400 missiles. All 18 were shot down."
                continue
            if implicit_total(mention, read):  # "2 Kinzhal and 1 Zircon missile; all were shot down": each of them
                mentions.extend(
                    Mention(mention.count, mention.kind, p, mention.field, mention.pos, index, span=mention.span)
                    for p in all_phrases
                    if p.chain == mention.phrase.chain and p is not mention.phrase and p.category is not None
                )
            if continues_all(sent, mentions, mention, read):
                mention.kind = "all"  # "destroyed all of the 18 missiles and nine drones": all of both
            if mention.count is not None and (mention.field == "launched" or mention.kind == "all"):
                launched[id(mention.phrase)] = mention.count.value
            elif mention.total is not None:
                launched[id(mention.phrase)] = mention.total.value
            mentions.append(mention)
        counted = {m.phrase.start for m in mentions[before_count:] if m.sentence == index}
        mentions.extend(definite(sent, counted))
        mentions.extend(singulars(sent, counted))
        mentions.extend(corrections(sent, mentions))
        mentions.extend(which_clauses(sent, mentions))
        mentions.extend(negations(sent))
        lists.leave(sent, mentions[before_count:], breakdown)
        if len(mentions) > before_count:
            spans.append((offset, offset + len(sentence)))
    return mentions, spans


def _pair(sent: Sentence, read: CountRead, phrases: list[Phrase], lex: Lexicon) -> tuple[Mention, int] | None:
    """Return the mention a count makes, or None when it counts something else."""
    toks, j = sent.toks, read.end
    pos = sent.offset + toks[read.start].start
    if j < len(toks) and toks[j].low in ("%", "percent", "per"):
        return _percent_of(sent, read, j, pos)
    if j + 1 < len(toks) and toks[j].low in ("more", "other", "others", "additional") and of_at(toks, j + 1, lex):
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
        k = of_at(toks, j, lex)
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
                total_span = span_of(sent, inner.start, inner.end)
        else:
            implicit = True
    if phrase is not None:
        after_tok = phrase.end
        k = of_at(toks, phrase.end, lex) if total is None and not implicit else None
        outer = read_count(toks, k, lex.lang) if k is not None and k < len(toks) else None
        if (
            outer is not None
            and outer.count is not None
            and outer.end not in sent.by_start
            and outer.kind == "number"
            and outer.start not in sent.consumed
        ):
            # "39 БпЛА із 49", "27 drones out of 30": the total they were taken from
            total, total_span = outer.count, span_of(sent, outer.start, outer.end)
            after_tok = outer.end
    after = sent.after_cue(after_tok)
    if implicit and after is not None and after[0].tok == read.end and _UNTYPED_HITS.fullmatch(
        sent.text[after[0].start : after[0].end]
    ):
        after[0].used = True
        return None  # "9 hits were recorded": hits of no named weapon are nobody's impacted count
    if implicit and read.kind == "all_implicit" and REMAINDER.search(_clause_before(sent, read.start)):
        return None  # "the rest were all lost": as many as were left, a figure the text does not write
    if after is not None:
        after[0].used = True  # even when the cue before wins: "drones launched by Russia" is a modifier
    if after is not None and total is not None and after[0].after == "launched":
        after = None
    before = sent.before_cue(read.start)
    if before is not None and before.tok < sent.breakdown_at <= read.start:
        before = None  # "fired 18 missiles, all of which were shot down: six Kinzhal, ...": the total's verb is theirs
    field: str | None
    if implicit and _shot_them_all_down(toks, read):
        field = "destroyed"
        phrase = _antecedent(phrases, pos)
    elif implicit and (labelled := _labelled_by(sent, read)) is not None:
        phrase = labelled  # "крилаті ракети Х-101 – 10", "БпЛА: 50": the count after the weapon it labels
        field = before.before if before is not None else sent.default_field
    elif implicit:
        field = _implicit_field(sent, read, after, before)
        phrase = _antecedent(phrases, pos, read.count.value if read.count else None, sent.launched)
    elif _totals_after_parts(sent, read.start):
        field = "launched"  # "shot down 18 drones and one missile out of 20 drones and three missiles"
    elif _opens_with_partitive(toks, read.start, lex):
        field = "launched"  # "Of the 50 drones, 30 were shot down": the whole the parts are taken from
        if after is not None:
            after[0].used = False  # "з 44 дронів збито 32": the verb is the part's
    elif after is not None and before is not None and _verb_of_the_next_count(sent, before, read, after_tok, after[0]):
        field = before.before  # "launched 40 drones, and 30 were shot down": the verb after is the next count's
        after[0].used = False
    elif after is not None and (
        after[1]
        or (not lex.after_needs_aux and not (before is not None and _other_count_between(sent, after_tok, after[0])))
        or before is None
        or _weak_before(sent, before, after[0], after_tok)
    ):
        field = after[0].after
    elif before is not None:
        field = before.before
        if after is not None and after[0].tok_end in sent.reads:
            after[0].used = False  # "intercepted 44 drones and jammed 26 more": the verb after governs the next count
    else:
        field = sent.default_field
    if field is None or field == "ignore" or phrase is None:
        return None
    if implicit and read.count is not None and 1990 <= read.count.value <= 2100:
        return None  # a year, not a count
    if implicit and read.start > 0 and toks[read.start - 1].low in _PLACES_BEFORE:
        return None  # "debris fell in three", "hits at five": places, not weapons
    span = span_of(sent, read.start, read.end) if read.count is not None else None
    return Mention(read.count, read.kind, phrase, field, pos, sent.index, total, span=span,
                   total_span=total_span), after_tok


_UNTYPED_HITS = re.compile(r"hits|impacts|влучан\w*|влучань", re.IGNORECASE)
_WEAK = re.compile(r"reported|recorded|detected|tracked", re.IGNORECASE)


_PLACES_BEFORE = frozenset({"in", "at", "across", "near", "у", "в", "на"})
_MORE = frozenset({"more", "others", "other", "additional", "further"})
_AND = frozenset({",", "and", "while", "та", "і", "й", "а"})


def _other_count_between(sent: Sentence, tok: int, cue: CueHit, joiners: frozenset[str] = frozenset({","})) -> bool:
    """Return whether ", 30" stands between a phrase and the cue after it ("запустив 40 шахедів, 30 збито")."""
    toks = sent.toks[tok : cue.tok]
    return any(t.low in joiners for t in toks) and any(t.kind in ("num", "range", "plus") for t in toks)


def _labelled_by(sent: Sentence, read: CountRead) -> Phrase | None:
    """Return the weapon phrase a count stands after as its value ("Іскандер-М – 3,", "БпЛА: 50."), else None: the
    phrase, a dash or colon, the count, then a comma, a joiner or the end (no verb of the count's own)."""
    toks, k = sent.toks, read.start - 1
    if k < 1 or toks[k].low not in ("-", ":") or read.count is None:
        return None
    nxt = toks[read.end] if read.end < len(toks) else None
    if nxt is not None and not (nxt.low in (",", ";", ".", ")") or nxt.low in sent.lex.joiners):
        return None
    return next((p for p in sent.phrases if p.end == k and p.category is not None), None)


def _verb_of_the_next_count(sent: Sentence, before: CueHit, read: CountRead, tok: int, after: CueHit) -> bool:
    """Return whether the cue after a count belongs to a later count ("shot down 44 drones, and 26 more were lost"):
    the count follows its own verb directly and another count stands before the cue, after "and" or a comma."""
    return (
        sent.lex.after_needs_aux
        and sent.gap(before.tok_end, read.start)[0]
        and _other_count_between(sent, tok, after, _AND)
        and not _coordinated_up_to(sent, tok, after)
    )


def _coordinated_up_to(sent: Sentence, tok: int, after: CueHit) -> bool:
    """Return whether only "and"/commas, counts and weapon phrases stand before the cue ("40 drones and 3 missiles
    were shot down"): one coordination sharing the verb after it, unless the next count has no noun of its own."""
    toks = sent.toks[tok : after.tok]
    last_count = max((k for k in range(tok, after.tok) if sent.toks[k].kind in ("num", "range", "plus")), default=-1)
    if last_count < 0 or last_count + 1 not in sent.by_start:
        return False  # "..., and 26 more were lost": a count with no noun starts a clause of its own
    return all(t.low in _AND or t.low in sent.lex.aux or t.low in sent.lex.fillers or k + tok in sent.phrase_toks
               or k + tok in sent.count_toks for k, t in enumerate(toks)) and not any(t.low == "," for t in toks)


def _weak_before(sent: Sentence, before: CueHit, after: CueHit, after_tok: int) -> bool:
    """Return whether "reported" before yields to a cue right after the phrase ("reported 30 drones downed")."""
    return (
        _WEAK.fullmatch(sent.text[before.start : before.end]) is not None
        and after.tok == after_tok
        and after.after in ("destroyed", "suppressed", "neutralized")
    )


def _clause_before(sent: Sentence, tok: int) -> str:
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


def _totals_after_parts(sent: Sentence, start: int) -> bool:
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


def _percent_of(sent: Sentence, read: CountRead, j: int, pos: int) -> tuple[Mention, int] | None:
    """Return the total of "90% of the 68 drones" as launched; the share itself is no count."""
    toks = sent.toks
    k = j + (2 if toks[j].low == "per" else 1)
    k = of_at(toks, k, sent.lex) or -1
    if 0 <= k < len(toks) and toks[k].low == "the":
        k += 1
    inner = read_count(toks, k, sent.lex.lang) if 0 <= k < len(toks) else None
    if inner is None or inner.count is None or inner.end not in sent.by_start:
        return None
    phrase = sent.by_start[inner.end]
    sent.after_cue(phrase.end)  # consumes "launched" in "of the 68 drones launched"
    span = span_of(sent, inner.start, inner.end)
    return Mention(inner.count, "number", phrase, "launched", pos, sent.index, span=span), phrase.end


def _implicit_field(
    sent: Sentence, read: CountRead, after: tuple[CueHit, bool] | None, before: CueHit | None
) -> str | None:
    """Return the field of a count with no noun ("58 of which were shot down", "destroyed 44.")."""
    if (
        after is not None
        and before is not None
        and _other_count_between(sent, read.end, after[0], _AND)
        and sent.gap(before.tok_end, read.start)[0]
    ):
        after[0].used = False
        return before.before  # "downed 30, and another 12 disappeared", "shot down 30 and 12 were lost": its own verb
    if (
        after is not None
        and before is not None
        and sent.lex.after_needs_aux
        and not after[1]
        and after[0].tok_end in sent.reads
        and sent.gap(before.tok_end, read.start)[0]
    ):
        after[0].used = False
        return before.before  # "shooting down 44 and jamming 26": the verb after opens the next count
    if after is not None:
        return after[0].after
    toks, lex = sent.toks, sent.lex
    preceded = read.start >= 2 and toks[read.start - 1].low in lex.anaphora and of_at(toks, read.start - 2, lex)
    end = read.end + (read.end < len(toks) and toks[read.end].low in _MORE)  # "jammed 26 more."
    nxt = toks[end] if end < len(toks) else None
    anaphoric = read.end + 1 < len(toks) and of_at(toks, read.end, lex) is not None
    ends = nxt is None or nxt.kind == "punct" or nxt.low in PREPOSITIONS
    if before is None or not (preceded or anaphoric or ends):
        return None
    if not (preceded or anaphoric) and not sent.gap(before.tok_end, read.start)[0]:
        return None
    return before.before
