"""Find weapon phrases, counts and cues in report sentences and pair them into mentions.

A *phrase* is a weapon noun phrase ("112 Russian strike and decoy drones" → drone, mixed). A *mention*
is a count tied to a phrase and a field: explicit ("28 drones"), partitive ("28 of the 31 drones",
which also states the total launched), or implicit ("58 of which", "84 were intercepted", the phrase
is the nearest one before). A mention's field comes from a cue after it ("were shot down"), else the
nearest unused cue before it in the same clause ("air defence shot down 28 drones"), else launched.
"""

from __future__ import annotations

from dataclasses import dataclass

from reassure.monitoring.extraction.lexicon import (
    DRONE_FAMILY,
    MISSILE_FAMILY,
    Head,
    Lexicon,
    clean_model,
    model_categories,
)
from reassure.monitoring.extraction.numbers import CountKind, parse_number_words
from reassure.monitoring.extraction.tokens import Token
from reassure.monitoring.report import Category, Count


@dataclass
class Phrase:
    """A weapon noun phrase; ``category`` None means an aggregate ("targets") or unclassified."""

    category: Category | None
    model: str | None
    mixed: bool
    nation: str | None
    start: int
    end: int
    pos: int
    modifiers: frozenset[int] = frozenset()
    plural: bool = True
    other: bool = False  # "12 other missiles": not the weapons counted before
    chain: int = -1  # phrases coordinated in one noun phrase ("2 Kinzhal and 1 Zircon missile") share this


@dataclass
class Mention:
    """A count tied to a phrase and a field (launched, destroyed, ...)."""

    count: Count | None  # None: "all" without a number; the value is the launched count
    kind: CountKind
    phrase: Phrase
    field: str
    pos: int
    sentence: int
    total: Count | None = None
    breakdown_of: int | None = None
    span: tuple[int, int] | None = None  # where the count is written (normalised-text offsets)
    total_span: tuple[int, int] | None = None


def categorize(family: str, flags: set[str], models: list[str], parts: list[set[str]]) -> tuple[Category | None, bool]:
    """Return (category, mixed) for a phrase's head family, modifier flags, models and head parts."""
    cats: set[str] = set()
    for model in models:
        cats |= model_categories(model)
    if family == "aggregate":
        return None, False
    if family == "model":
        family = "drone" if cats and cats <= DRONE_FAMILY else "bomb" if "guided_bomb" in cats else "missile"
    if family == "bomb":
        guided = "guided_bomb" in cats or flags & {"guided", "glide", "air"}
        return ("guided_bomb", False) if guided else (None, False)
    if family == "drone":
        decoy_parts = [("decoy" in p) for p in parts] or [False]
        strike = "strike" in flags or "drone" in cats or not all(decoy_parts)
        decoy = any(decoy_parts) or "decoy_drone" in cats
        if decoy and not strike:
            return "decoy_drone", False
        return "drone", decoy and strike
    specific = cats & (MISSILE_FAMILY - {"missile"})
    if len(specific) == 1:
        return specific.pop(), False  # type: ignore[return-value]
    if specific or "missile" in cats:
        return "missile", False
    for flag, category in (("ballistic", "ballistic_missile"), ("cruise", "cruise_missile"),
                           ("antiradar", "guided_air_missile")):  # fmt: skip
        if flag in flags:
            return category, False  # type: ignore[return-value]
    if "guided" in flags and "defence" not in flags:
        return "guided_air_missile", False
    return "missile", False


def _is_mod(tok: Token, lex: Lexicon) -> bool:
    return tok.kind == "model" or (tok.kind == "word" and lex.is_modifier(tok.low)) or tok.text == '"'


def _head_at(toks: list[Token], i: int, lex: Lexicon) -> Head | None:
    tok = toks[i]
    if tok.kind != "word":
        return None
    head = lex.head(tok.low)
    if head is None:
        return None
    if tok.low == "vehicles" and not (i > 0 and toks[i - 1].low in ("aerial", "unmanned", "air")):
        return None
    if i + 1 < len(toks) and toks[i + 1].low in lex.compound_blockers:
        return None
    if i + 1 < len(toks) and toks[i + 1].kind == "word" and lex.is_modifier(tok.low) and lex.head(toks[i + 1].low):
        return None  # "decoy drones": the first word is a modifier here
    return head


def _model_follows(toks: list[Token], k: int) -> bool:
    """Return whether a model name (maybe in quotes) starts at token ``k``."""
    if k < len(toks) and toks[k].low == '"':
        k += 1
    return k < len(toks) and toks[k].kind == "model"


def _extend_forward(
    toks: list[Token], k: int, lex: Lexicon, family: str, parts: list[set[str]], start: int = 0
) -> int:
    """Return the end of a phrase whose head ends at ``k``: trailing models, types, a second head."""
    n = len(toks)
    while k < n:
        low = toks[k].low
        if toks[k].kind == "model" or low == '"' or (low == "," and _model_follows(toks, k + 1)):
            k += 1
        elif (
            toks[k].kind == "word"
            and lex.is_modifier(low)
            and lex.head(low) is None
            and any(_model_follows(toks, j) for j in range(k + 1, min(n, k + 3)))
            and all(lex.is_modifier(t.low) or t.low == '"' for t in toks[k + 1 : next(
                (j for j in range(k + 1, min(n, k + 3)) if _model_follows(toks, j)), k + 1)])
        ):
            k += 1  # "крилаті ракети повітряного базування Х-101": a modifier between head and model
        elif low == "(":
            close = next((j for j in range(k + 1, min(n, k + 10)) if toks[j].low == ")"), None)
            if close is None or any(t.kind in ("num", "range") for t in toks[k + 1 : close]):
                break
            k = close + 1
        elif _type_run(toks, k + 1 if low in ("of", "з") else k, lex) > k + (low in ("of", "з")):
            k = _type_run(toks, k + 1 if low in ("of", "з") else k, lex)
        elif low in lex.joiners and k + 1 < n and toks[k + 1].kind in ("word", "model", "punct"):
            j = k + 1
            flags: set[str] = set()
            while j < n and _is_mod(toks[j], lex) and _head_at(toks, j, lex) is None:
                flags |= lex.flags(toks[j].low)
                j += 1
            second = _head_at(toks, j, lex) if j < n else None
            if second is None or second.family != family or family != "drone":
                break
            if any(t.kind == "model" for t in toks[start:k]) and _model_follows(toks, j + 1):
                break  # "Shahed drones and an Orlan-10 drone": two weapons, not one phrase
            parts.append(flags | second.flags)
            k = j + 1
        else:
            break
    return k


_TYPE_FILLERS = frozenset({"the", "a", "various", "different", "unknown", "unidentified", '"'})


def _type_run(toks: list[Token], k: int, lex: Lexicon) -> int:
    """Return the end of "the Shahed type" / "various types" / "типу Shahed" starting at ``k``."""
    j, seen_type = k, False
    while j < len(toks) and j - k < 8:
        tok = toks[j]
        if tok.low in lex.type_words:
            seen_type = True
        elif not (tok.kind == "model" or tok.low == '"') and (
            seen_type or not (tok.low in _TYPE_FILLERS or _is_mod(tok, lex))
        ):
            break
        j += 1
    return j if seen_type else k


_WEAPON_FAMILIES = frozenset({"drone", "missile", "bomb"})


def _joint_end(toks: list[Token], start: int, end: int, head: Head, lex: Lexicon) -> int | None:
    """Return the end of "drones and missiles" after a count ("50 drones and missiles", "100 ракет і дронів"): one
    figure for weapons of two kinds, no one's count. None when the phrase is no such pair, or when a run of counts
    shares itself out over it ("48 and 5 drones and missiles, respectively")."""
    if end + 1 >= len(toks) or toks[end].low not in lex.joiners - {",", "/"} or head.family not in _WEAPON_FAMILIES:
        return None
    if not (start > 0 and _is_count(toks[start - 1], lex)):
        return None
    if start > 2 and toks[start - 2].low in lex.joiners and _is_count(toks[start - 3], lex):
        return None
    j = end + 1
    while j < len(toks) and _head_at(toks, j, lex) is None and _is_mod(toks[j], lex):
        j += 1
    second = _head_at(toks, j, lex) if j < len(toks) else None
    if second is None or second.family not in _WEAPON_FAMILIES or second.family == head.family or not second.plural:
        return None  # "20 БпЛА та ракету Х-59": one missile of its own
    if j + 1 < len(toks) and _head_at(toks, j + 1, lex) is None and toks[j + 1].kind in ("num", "range", "plus"):
        return None
    return j + 1


def _is_count(tok: Token, lex: Lexicon) -> bool:
    if tok.kind in ("num", "range", "plus"):
        return True
    return tok.kind == "word" and parse_number_words([tok.low], lex.lang) is not None


def find_phrases(toks: list[Token], lex: Lexicon, offset: int) -> list[Phrase]:
    """Return the weapon noun phrases of one tokenised sentence."""
    phrases: list[Phrase] = []
    i, floor = 0, 0
    while i < len(toks):
        head = _head_at(toks, i, lex)
        if head is None and toks[i].kind == "model":
            j = i + 1
            while (
                j < len(toks)
                and _head_at(toks, j, lex) is None
                and (
                    _is_mod(toks[j], lex)
                    or (toks[j].low in lex.joiners and j + 1 < len(toks) and _is_mod(toks[j + 1], lex))
                )
            ):
                j += 1
            if j < len(toks) and _head_at(toks, j, lex) is not None:
                i = j
                continue
            head = Head("model")  # type: ignore[arg-type]
        if head is None:
            i += 1
            continue
        start = i
        while start - 1 >= floor and (
            _is_mod(toks[start - 1], lex)
            or (toks[start - 1].low in lex.joiners and start - 2 >= floor and _is_mod(toks[start - 2], lex))
        ):
            start -= 1
        parts = [set(head.flags) | {f for t in toks[start:i] for f in lex.flags(t.low)}]
        end = _extend_forward(toks, i + 1, lex, head.family, parts, start)
        flags: set[str] = set().union(*parts)
        for t in toks[i + 1 : end]:
            flags |= lex.flags(t.low)
        models = [clean_model(t.text) for t in toks[start:end] if t.kind == "model"]
        if head.model:
            models.append(head.model)
        models = list(dict.fromkeys(m for m in models if m))
        category, mixed = categorize(head.family, flags, models, parts)
        if (joint := _joint_end(toks, start, end, head, lex)) is not None:
            category, mixed, end = None, False, joint  # "over 100 drones and missiles": one figure for both
        nation = "UKR" if "ukr" in flags else "RUS" if "rus" in flags else None
        mods = frozenset(j for j in range(start, end) if j != i and toks[j].kind == "word")
        phrases.append(
            Phrase(
                category,
                "/".join(models) or None,
                mixed,
                nation,
                start,
                end,
                offset + toks[start].start,
                mods,
                head.plural,
                "other" in flags,
            )
        )
        i = floor = end
    return _elliptical(toks, lex, offset, phrases)


def _elliptical(toks: list[Token], lex: Lexicon, offset: int, phrases: list[Phrase]) -> list[Phrase]:
    """Add the phrases whose head is left out before a coordination: "two ballistic and four cruise missiles",
    "3 балістичні та 10 крилатих ракет" (the first count's weapons are ballistic missiles)."""
    found: list[Phrase] = []
    taken = {j for p in phrases for j in range(p.start, p.end)}
    for phrase in phrases:
        family = _FAMILY_OF.get(str(phrase.category))
        later = phrase
        while family is not None and later.start >= 4 and _is_count(toks[later.start - 1], lex):
            joiner = later.start - 2
            if toks[joiner].low not in lex.joiners - {"/"}:
                break
            start = joiner
            while start >= 1 and start - 1 not in taken and toks[start - 1].kind == "word" and _is_mod(
                toks[start - 1], lex
            ):
                start -= 1
            if start == joiner or start == 0 or not _is_count(toks[start - 1], lex):
                break
            flags = {f for t in toks[start:joiner] for f in lex.flags(t.low)}
            category, mixed = categorize(family, flags, [], [flags])
            mods = frozenset(range(start, joiner))
            later = Phrase(category, None, mixed, phrase.nation, start, joiner, offset + toks[start].start, mods)
            found.append(later)
    return sorted(phrases + found, key=lambda p: p.start) if found else phrases


_FAMILY_OF = {"drone": "drone", "decoy_drone": "drone", "missile": "missile", "cruise_missile": "missile",
              "ballistic_missile": "missile", "guided_air_missile": "missile", "guided_bomb": "bomb"}
