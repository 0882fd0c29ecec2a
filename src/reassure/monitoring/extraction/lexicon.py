"""Word lists the extractor reads: weapon models and categories, and the English lexicon.

A lexicon says which words are weapon head nouns ("drones", "missiles"), which are modifiers
("strike", "ballistic"), and which phrases are cues that give a count its meaning ("shot down" →
destroyed). The Ukrainian lexicon lives in ``ukrainian``; the engine in ``engine`` is the same.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from reassure.monitoring.extraction.numbers import Lang
from reassure.monitoring.extraction.tokens import word_set
from reassure.monitoring.report import Category

Family = Literal["drone", "missile", "bomb", "aggregate"]

# Model name → category. Order matters only for the bare "Iskander" (no -M/-K): type unknown → missile.
# Kinzhal (Kh-47M2) is an air-launched aeroballistic missile; DESIGN §4 has no aeroballistic category,
# so it counts as ballistic_missile, as the Ukrainian Air Force tallies it with Iskander-M.
# S-300/S-400 are surface-to-air missiles fired at ground targets; no §4 category fits → missile.
_MODEL_CATEGORY_PATTERNS: tuple[tuple[str, Category], ...] = (
    (r"gerbera|гербер|parody|пароді", "decoy_drone"),
    (
        r"shahed|шахед|geran|герань|lancet|ланцет|orlan|орлан|zala|зала|supercam|merlin|мерлін"
        r"|mohajer|моhajer|мохаджер|orion|оріон|granat|гранат|molniya|молнія",
        "drone",
    ),
    (r"\bkab|каб|umpk|умпк", "guided_bomb"),
    (
        r"[iі]скандер-?[мm]|iskander-?m|kn-2[34]|кн-2[34]|kinzhal|кинджал|(?:kh|[xх])-?47|tochka|точка",
        "ballistic_missile",
    ),
    (
        r"iskander-?k|[iі]скандер-?[кk]|kalibr|калібр|(?:kh|[xх])-?(?:101|555|55|22|32|35)(?!\d)"
        r"|/(?:101|555|55)(?!\d)|zircon|tsirkon|циркон|oniks|onyx|онікс|p-800|banderol",
        "cruise_missile",
    ),
    (r"(?:kh|[xх])-?(?:59|69|31|29|38)", "guided_air_missile"),
    (r"[sс]-[34]00", "missile"),
    (r"(?:iskander|[iі]скандер)(?!-?[mkмк])", "missile"),
)
_MODEL_CATEGORIES = tuple(
    (re.compile(pattern, re.IGNORECASE), category) for pattern, category in _MODEL_CATEGORY_PATTERNS
)
MISSILE_FAMILY: frozenset[str] = frozenset({"missile", "cruise_missile", "ballistic_missile", "guided_air_missile"})
DRONE_FAMILY: frozenset[str] = frozenset({"drone", "decoy_drone"})


def model_categories(model: str) -> set[Category]:
    """Return the categories the model names in ``model`` belong to."""
    return {category for pattern, category in _MODEL_CATEGORIES if pattern.search(model)}


def clean_model(text: str) -> str:
    """Return a model name as reported, without quotes and a trailing "-type"."""
    text = text.strip().strip("\"'()").strip()
    text = re.sub(r"(?<=\d)s$|(?<=\d[A-Z])s$", "", text)  # "S-400s" → "S-400"
    return re.sub(r"-type$", "", text, flags=re.IGNORECASE)


@dataclass(frozen=True)
class Head:
    """A head noun of a weapon phrase."""

    family: Family
    flags: frozenset[str] = frozenset()
    model: str | None = None
    plural: bool = True


@dataclass(frozen=True)
class Cue:
    """A cue phrase: the count field it gives to a count after it (before) or before it (after)."""

    pattern: re.Pattern[str]
    before: str | None  # field for "shot down 28 drones"; "ignore" drops the count
    after: str | None  # field for "28 drones were shot down"
    participle: bool = False  # "launched" in "drones launched by Russia were destroyed"


@dataclass(frozen=True)
class Lexicon:
    """Everything language-specific the extraction engine needs."""

    lang: Lang
    head_words: Mapping[str, Head]
    head_patterns: tuple[tuple[re.Pattern[str], Head], ...]
    modifier_words: frozenset[str]
    modifier_patterns: tuple[re.Pattern[str], ...]
    flag_patterns: tuple[tuple[re.Pattern[str], str], ...]
    cues: tuple[Cue, ...]
    fillers: frozenset[str]
    aux: frozenset[str]
    after_needs_aux: bool
    clause_break: re.Pattern[str]
    of_words: tuple[tuple[str, ...], ...]  # "of", "out of", "з", "із"
    anaphora: frozenset[str]  # which, them, these, those, яких, них
    joiners: frozenset[str]
    type_words: frozenset[str]  # type, types, типу, типів
    compound_blockers: frozenset[str]  # "drone attack": the head is not a weapon count
    breakdown_intro: tuple[tuple[str, ...], ...]
    negated: re.Pattern[str] | None = None  # "were not shot down": destroyed 0 for the phrase before it
    cache: dict[str, Head | None] = field(default_factory=dict, compare=False, hash=False)

    def head(self, low: str) -> Head | None:
        """Return the head noun ``low`` stands for, else None."""
        if low in self.cache:
            return self.cache[low]
        found = self.head_words.get(low)
        if found is None:
            found = next((head for pattern, head in self.head_patterns if pattern.fullmatch(low)), None)
        self.cache[low] = found
        return found

    def is_modifier(self, low: str) -> bool:
        """Return whether ``low`` may stand inside a weapon phrase before its head."""
        return low in self.modifier_words or any(p.fullmatch(low) for p in self.modifier_patterns)

    def flags(self, low: str) -> set[str]:
        """Return the category hints a modifier word carries."""
        return {flag for pattern, flag in self.flag_patterns if pattern.search(low)}


def compile_cues(specs: tuple[tuple[str, str | None, str | None, bool], ...]) -> tuple[Cue, ...]:
    """Compile (regex, before field, after field, participle) rows into cues."""
    return tuple(
        Cue(re.compile(rf"(?<![\w-])(?:{pattern})(?![\w-])", re.IGNORECASE), before, after, part)
        for pattern, before, after, part in specs
    )


_D = (
    r"(?:shot|shoot|shoots|shooting|brought|bring|took|taken|knocked)\s+down|(?:knocked|took|taken)\s+out"
    r"|downed|downing|destroyed"
    r"|destroying|destroys|destroy|intercepted|intercepting|intercepts|intercept|eliminated|eliminating"
)
_S = (
    r"location-lost|locationally-lost"
    r"|suppressed|suppressing|jammed|jamming|(?:locationally\s+|locally\s+)?lost(?:\s+locationally"
    r"|\s+locally|\s+(?:from|on)\s+(?:the\s+)?(?:radars?|tracking)(?:\s+screens?)?)?|disabled|redirected|diverted"
    r"|lost\s+in\s+location|(?:went|dropped|fell|vanished|disappeared)\s+(?:off|from)\s+(?:the\s+)?"
    r"(?:radars?|tracking)(?:\s+screens?)?"
)
_N = r"neutrali[sz](?:ed|ing|es|e)|repelled|repelling|repel|countered|defeated|stopped"
_EN_CUES = compile_cues(
    (
        (
            rf"(?:{_D})\s*,?\s*(?:/|\bor\b|\band/or\b|\band\b)\s*(?:electronically\s+)?(?:{_S}|{_N})",
            "neutralized",
            "neutralized",
            False,
        ),
        (rf"(?:{_S})\s*(?:/|\bor\b|\band/or\b|\band\b)\s*(?:{_D})", "neutralized", "neutralized", False),
        (  # "neutralised by electronic warfare", "stopped by jamming": not a kinetic kill, so suppressed
            r"(?:neutrali[sz]ed|stopped|countered|defeated|repelled|brought\s+down|downed|taken\s+out)\s+by\s+"
            r"(?:means\s+of\s+)?(?:(?:ukraine's\s+|ukrainian\s+)?(?:electronic\s+(?:warfare|countermeasures|jamming)"
            r"|EW(?:\s+(?:means|systems|units))?|jamming))",
            "suppressed",
            "suppressed",
            False,
        ),
        (_N, "neutralized", "neutralized", False),
        (rf"(?:intercepted|destroyed)\s+(?:and|or)\s+(?:destroyed|shot\s+down)|{_D}", "destroyed", "destroyed", False),
        (
            r"(?:failed\s+to|failing\s+to|never|could\s+not|couldn't|(?:were|was)\s+unable\s+to|unable\s+to)"
            r"\s+reach(?:ed)?"
            r"(?:\s+(?:their|its|the))?\s+(?:targets?|destinations?)|did\s+not\s+reach"
            r"(?:\s+(?:their|its|the))?\s+targets?|didn't\s+reach(?:\s+(?:their|its|the))?\s+targets?"
            r"|went\s+missing|disappeared(?:\s+from\s+radar)?|went\s+astray|strayed|(?:fell|fallen|crashed)\s+on\s+their\s+own"
            r"|(?:fell|fallen|crashed)\s+by\s+themselves",
            None,
            "suppressed",
            False,
        ),
        (_S, "suppressed", "suppressed", False),
        (r"downs|(?<=to\s)down", "destroyed", None, False),  # "Ukraine downs 84 of 112", "managed to down 40"
        (
            r"(?:direct\s+)?(?:hits?|impacts?)\s+(?:by|of|from)|(?:was|were)\s+hit\s+by|struck\s+by",
            "impacted",
            None,
            False,
        ),
        (
            r"hit|hits|struck|strike|impacted|landed|(?:reached|reaching|hitting)(?:\s+(?:their|its|the))?\s+targets?",
            None,
            "impacted",
            False,
        ),
        (r"launched|fired|sent|used", "launched", "launched", True),
        (
            r"launching|launches|launch|firing|fires|fire|using|uses|deployed|deploying|unleashed|unleashing"
            r"|employed|dropped|dropping|involved|involving|targeted|targeting|attacked|attacking|attacks"
            r"|sending|released",
            "launched",
            "launched",
            False,
        ),
        (r"(?<!along\s)(?<!together\s)(?<!compared\s)(?<!coupled\s)(?<!in\sline\s)with", "launched", None, False),
        (r"reported|recorded|detected|tracked", "launched", None, False),
        (
            r"received|delivered|supplied|produced|produces|produce|manufactured|purchased|bought|ordered"
            r"|pledged|promised|stockpiled|returned|flew\s+back|flew\s+into|crossed\s+into|entered|remain(?:ed)?"
            r"|still\s+in\s+the\s+air|headed\s+(?:back|towards?\s+(?:russia|belarus)|to\s+(?:russia|belarus))",
            "ignore",
            "ignore",
            False,
        ),
    )
)

_EN_HEADS: dict[str, Head] = {
    **{w: Head("drone", plural=w.endswith("s")) for w in ("drone", "drones", "uav", "uavs", "uas")},
    "decoys": Head("drone", frozenset({"decoy"})),
    "decoy": Head("drone", frozenset({"decoy"}), plural=False),
    **{w: Head("missile", plural=w.endswith("s")) for w in ("missile", "missiles", "rocket", "rockets")},
    **{w: Head("bomb", plural=w.endswith("s")) for w in ("bomb", "bombs")},
    **{w: Head("aggregate") for w in ("targets", "target", "assets", "weapons", "objects", "means")},
    "munitions": Head("drone"),
}
_MODEL_HEADS: dict[str, tuple[Family, str]] = {
    "shaheds": ("drone", "Shahed"), "gerans": ("drone", "Geran"), "gerberas": ("drone", "Gerbera"),
    "lancets": ("drone", "Lancet"), "kinzhals": ("missile", "Kinzhal"), "kalibrs": ("missile", "Kalibr"),
    "iskanders": ("missile", "Iskander"), "iskander-ms": ("missile", "Iskander-M"),
    "iskander-ks": ("missile", "Iskander-K"), "zircons": ("missile", "Zircon"), "kabs": ("bomb", "KAB"),
}  # fmt: skip
for _word, (_family, _model) in _MODEL_HEADS.items():
    _EN_HEADS[_word] = Head(_family, model=_model)
_EN_HEADS["vehicles"] = Head("drone")  # only after "unmanned aerial" (checked by the engine)

_EN_MODIFIERS = word_set(
    """strike attack attacking combat kamikaze suicide long-range short-range medium-range decoy imitator
    imitation imitators simulator dummy fake russian enemy hostile ukrainian iranian unmanned aerial air
    guided cruise ballistic aeroballistic hypersonic anti-ship anti-radar anti-radiation air-launched
    sea-launched ground-launched ship-launched air-to-surface surface-to-surface surface-to-air
    high-precision tactical strategic operational-tactical reconnaissance recon surveillance loitering jet
    jet-powered jet-propelled reactive heavy various additional more new other further glide aviation
    aircraft anti-aircraft defence defense ground-based modified upgraded single north korean north-korean
    precision-guided gliding aerial-guided strike-capable explosive winged propeller-driven incoming exploding"""
)
_EN_MODIFIER_PATTERNS = (
    re.compile(r"[\w']+-(?:made|designed|built|type|launched|range|guided|laden|class|based|powered|style)"),
    # "fixed-wing", "jet-powered": hyphenated adjectives (not "twenty-three")
    re.compile(r"(?!(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)-)[a-z]+-[a-z]+(?:-[a-z]+)?"),
)
_EN_FLAGS = tuple(
    (re.compile(pattern), flag)
    for pattern, flag in (
        (r"^(?:decoys?|imitat\w*|simulator\w*|dummy|fake)$", "decoy"),
        (r"^(?:strike|attack|attacking|combat|kamikaze|suicide|explosive\w*)$", "strike"),
        (r"^cruise$", "cruise"),
        (r"ballistic", "ballistic"),
        (r"guided", "guided"),
        (r"^(?:air|aerial|aviation|aircraft|air-launched|air-to-surface)$", "air"),
        (r"^(?:defen[cs]e|anti-aircraft|surface-to-air)$", "defence"),
        (r"anti-rad", "antiradar"),
        (r"glid", "glide"),
        (r"^(?:reconnaissance|recon|surveillance)$", "recon"),
        (r"^russian$", "rus"),
        (r"^(?:other|others)$", "other"),
        (r"^ukrainian$", "ukr"),
        (r"^(?:unmanned|vehicles)$", "unmanned"),
    )
)

ENGLISH = Lexicon(
    lang="en",
    head_words=_EN_HEADS,
    head_patterns=(),
    modifier_words=_EN_MODIFIERS,
    modifier_patterns=_EN_MODIFIER_PATTERNS,
    flag_patterns=_EN_FLAGS,
    cues=_EN_CUES,
    fillers=word_set(
        """were was are is have has had been being be all also reportedly successfully then later eventually
        electronically another
        subsequently either likely probably overnight russia enemy the moscow it they more other others each
        already both further still in total"""
    ),
    aux=frozenset({"were", "was", "are", "is", "been", "being", "be"}),
    after_needs_aux=True,
    clause_break=re.compile(
        r"[;]|\b(?:while|whereas|but|although|though|however|meanwhile|adding\s+that|saying\s+that"
        r"|said\s+that|and\s+that|according\s+to)\b",
        re.IGNORECASE,
    ),
    of_words=(("out", "of"), ("of",)),
    anaphora=frozenset({"which", "them", "these", "those"}),
    joiners=frozenset({"and", "or", "/", ",", "&"}),
    type_words=frozenset({"type", "types", "kind", "kinds", "model", "models"}),
    compound_blockers=word_set(
        """attack attacks strike strikes alert alerts debris wreckage fragments threat threats warning
        warnings defence defense defences defenses operator operators unit units production factory
        factories plant launcher launchers launch carrier carriers raid raids barrage campaign program
        programme danger hazard interceptor interceptors"""
    ),
    breakdown_intro=(
        (":",),
        ("including",),
        (",", "including"),
        ("among", "them"),
        (",", "among", "them"),
        ("-",),
        ("namely",),
        (",", "namely"),
        ("comprising",),
        ("consisting", "of"),
        ("(",),
    ),
    negated=re.compile(
        r"\b(?:(?:was|were|could|did|had|have|has)\s+not|wasn't|weren't|couldn't|didn't|hadn't|haven't)"
        r"\s+(?:be\s+|been\s+)?(?:shot\s+down|intercepted|destroyed|downed|intercept|shoot\s+down|destroy)\b",
        re.IGNORECASE,
    ),
)
