"""Lists and breakdowns whose items have no verb of their own: each item takes the field of the total before it.

- A breakdown after a total in one sentence: "75 targets were neutralised: 70 drones and five missiles" (neutralized,
  not launched), "Air defence shot down or suppressed 75 of them: 70 drones and 5 missiles".
- A list after a header line that ends with a colon, one item a line or between semicolons:
  "Збито – 59 ракет та 54 БпЛА:\\n- 50 КР Х-101/Х-555;\\n- 9 Калібр;" (each item destroyed), "Shot down:\\n- 40
  drones". The list goes on while each item starts with a bullet or the one before ended with ";" or ":".
  An item that has a verb of its own keeps it ("- 8 БпЛА локаційно втрачено").
"""

from __future__ import annotations

from dataclasses import dataclass

from reassure.monitoring.extraction.engine import Mention
from reassure.monitoring.extraction.sentence import PREPOSITIONS, Sentence
from reassure.monitoring.extraction.tokens import Token

BULLETS = frozenset("-•*+·▪●")
Breakdown = tuple[int, str]  # index of the total's mention, its field
_PLACE_WORDS = 6  # at most this many words of place or time between the total and its breakdown
_VERB_WORDS = 6  # at most this many words of the total's own verb ("were shot down", "launched by Russia")
_CLAUSE_ENDS = frozenset({";", ".", "and", "but", "while", "та", "і", "а", "але"})


def opens_breakdown(sent: Sentence, end: int) -> bool:
    """Return whether a breakdown (":", "including", "з них" ...) follows the count that ends at token ``end``,
    across the count's own verb ("75 targets were neutralised: ...")."""
    toks, lex = sent.toks, sent.lex
    k = end
    while k < min(len(toks), end + _VERB_WORDS) and (
        toks[k].low in lex.aux
        or toks[k].low in lex.fillers
        or toks[k].low in PREPOSITIONS
        or any(h.tok <= k < h.tok_end for h in sent.cues)
    ):
        k += 1  # "all 18 missiles launched by Russia overnight: ..."
    if _intro_at(toks, end, sent) or (k > end and _intro_at(toks, k, sent)):
        return True
    for j in range(k, min(len(toks), k + _PLACE_WORDS)):  # "18 missiles at Kyiv overnight, including ..."
        if j in sent.count_toks or j in sent.phrase_toks or toks[j].low in _CLAUSE_ENDS:
            return False
        if _intro_at(toks, j, sent):
            return True
    return False


def _intro_at(toks: list[Token], k: int, sent: Sentence) -> bool:
    words = [t.low for t in toks[k : k + 3]]
    return any(words[: len(intro)] == list(intro) for intro in sent.lex.breakdown_intro)


@dataclass
class ListState:
    """What a list header opened: the field its items take and the total they break down."""

    field: str | None = None  # None: no list is open
    breakdown: Breakdown | None = None
    last_char: str = ""  # the last character of the sentence before
    last: Breakdown | None = None  # the last count of the sentence before ("Russia launched 18 missiles.")
    first: int = 0  # the index of the sentence's first mention (set by the caller)

    def enter(self, sent: Sentence) -> Breakdown | None:
        """Start a sentence: when it is an item of the open list, give it the list's field; return the breakdown
        it continues (None when it is no list item). A sentence that opens with "Among them" / "They included" /
        "Серед них" breaks down the last count of the sentence before."""
        item = self.field is not None and (sent.text[:1] in BULLETS or self.last_char in (";", ":"))
        if not item and self.last is not None and _opens_with_intro(sent):
            sent.default_field = self.last[1]
            return self.last
        if not item or self.field is None:
            self.field, self.breakdown = None, None
            return None
        sent.default_field = self.field
        return self.breakdown

    def leave(self, sent: Sentence, mentions: list[Mention], breakdown: Breakdown | None) -> None:
        """End a sentence (``mentions``: its own): open a list after a header ending with ":", keep one going."""
        text = sent.text.rstrip()
        self.last_char = text[-1:]
        last = mentions[-1] if mentions else None
        self.last = None
        if last is not None and last.count is not None and last.breakdown_of is None and last.phrase.category:
            self.last = (self.first + len(mentions) - 1, last.field)
        if self.last_char == ":":
            self.field = mentions[-1].field if mentions else _last_verb(sent)
        elif self.field is None and self.last_char == ";" and ":" in text and mentions:
            self.field = mentions[-1].field  # "Збито: 50 КР Х-101; 9 Калібр; 54 БпЛА.": items share the header
        if self.field is not None:
            self.breakdown = breakdown

_SENTENCE_INTROS = (("among", "them"), ("they", "included"), ("these", "included"), ("they", "were"),
                    ("these", "were"), ("серед", "них"), ("з", "них"), ("зокрема",))


def _opens_with_intro(sent: Sentence) -> bool:
    """Return whether a sentence opens with "Among them" / "They included" / "Серед них" (a breakdown)."""
    words = [t.low for t in sent.toks[:2]]
    return any(words[: len(intro)] == list(intro) for intro in _SENTENCE_INTROS)


def _last_verb(sent: Sentence) -> str:
    """Return the field of the last verb of a header with no count ("Збито/подавлено:"), else launched."""
    fields = [h.before for h in sent.cues if h.before not in (None, "ignore")]
    return str(fields[-1]) if fields else "launched"
