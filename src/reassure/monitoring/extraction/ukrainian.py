"""Ukrainian-language reports: the lexicon for narrative texts and the Air Force "ЗНИЩЕНО" lists.

The 2023-24 infographic posts list only what was destroyed ("ЗНИЩЕНО: - 15 крилатих ракет Х-101/Х-555
- 5 балістичних ракет «Іскандер-М»"), so every item is a destroyed count and launched stays null. An item
without a number names one unit ("- БПЛА «Орлан-10»"). Aircraft, helicopters and ships in those lists
are not weapons of an air attack and are left out; reconnaissance drones (Orlan, Merlin, ZALA) are kept
as category drone with their model, since they are counted as destroyed air targets.
"""

from __future__ import annotations

import re

from reassure.monitoring.extraction.engine import find_phrases
from reassure.monitoring.extraction.lexicon import Head, Lexicon, compile_cues
from reassure.monitoring.extraction.numbers import read_count
from reassure.monitoring.extraction.tokens import Normalized, Token, normalize_mapped, tokenize, word_set
from reassure.monitoring.report import Count, WeaponCounts

_D = (
    r"збит[оаі]|збил[иа]?|збив|збити|знищен[оаі]|знищил[иа]?|знищив|знищити|перехоплен[оаі]|перехопил[иа]?"
    r"|перехопити"
)
_S = (
    r"подавлен[оаі]|подавил[иа]?|придушен[оаі]|(?:локаційно|локально)\s+втрачен[оаі]"
    r"|втрачен[оаі]\s+(?:локаційно|локально)"
    r"|втрачен[оаі]|не\s+долетіл[иа]|не\s+досягл[иа]\s+(?:своїх\s+)?цілей"
    r"|зникл?[иао]?\s+з\s+(?:радар\w*|екран\w*)|зник\s+з\s+(?:радар\w*|екран\w*)"
)
_UK_CUES = compile_cues(
    (
        (rf"(?:{_D})\s*,?\s*(?:/|або|чи|та|і)\s*(?:{_S})", "neutralized", "neutralized", False),
        (
            r"знешкоджен[оаі]|знешкодил[иа]?|нейтралізован[оаі]|нейтралізувал[иа]?|відбит[оаі]",
            "neutralized",
            "neutralized",
            False,
        ),
        (_D, "destroyed", "destroyed", False),
        (r"збиття|знищення|перехоплення|уражено|уражен[іа]|уразил[иа]?", "destroyed", "destroyed", False),
        (_S, "suppressed", "suppressed", False),
        (r"(?:прям\w+\s+)?влучання", "impacted", None, False),
        (r"влучил[иа]?|влучило|досягл[иа]\s+(?:своїх\s+)?цілей", None, "impacted", False),
        (
            r"атакува\w*|випусти\w*|випущен[оаі]|запусти\w*|запущен[оаі]|застосува\w*|застосован[оаі]"
            r"|використа\w*|використан[оаі]|скинув|скинул[иа]|скинуто|пуск(?:и|ів|ом|у)?",
            "launched",
            "launched",
            False,
        ),
        (
            r"повернул\w*|полетіл\w*|залишил\w*|перебуває?\s+в\s+повітрі|увійшл\w*|залетіл\w*|перетнул\w*",
            "ignore",
            "ignore",
            False,
        ),
    )
)
_UK_HEADS: tuple[tuple[str, Head], ...] = (
    (r"бпла|бпла-камікадзе|uav", Head("drone")),
    (r"(?:дрон|бпла)\w*-(?:імітатор|пастк|приманк)\w*", Head("drone", frozenset({"decoy"}))),
    (r"(?:дрон|безпілотник)\w*-камікадзе", Head("drone", frozenset({"strike"}))),
    (r"(?:імітатор|пастк)\w*", Head("drone", frozenset({"decoy"}))),
    (r"дрон(?:и|ів|ами|ам|ах)?|безпілотник\w*", Head("drone")),
    (r"ракет[иі]?|ракетами|ракетам", Head("missile")),
    (r"ракет[ауо]|ракетою", Head("missile", plural=False)),  # one missile: "збито ракету Х-59"
    (r"кр", Head("missile", frozenset({"cruise"}))),
    (r"кар|крп", Head("missile", frozenset({"guided", "air"}))),
    (r"(?:авіа)?бомб\w*", Head("bomb")),
    (r"шахед\w*", Head("drone", model="Шахед")),
    (r"кинджал\w+", Head("missile", model="Кинджал")),  # "6 Кинджалів": the model's own plural
    (r"калібр\w+", Head("missile", model="Калібр")),
    (r"цілей|цілі|ціль|засобів|засоби|об'єктів", Head("aggregate")),
)
_UK_MODIFIER = re.compile(
    r"ударн\w*|ворож\w*|російськ\w*|українськ\w*|крилат\w*|балістичн\w*|аеробал\w*|керован\w*|авіаційн\w*"
    r"|зенітн\w*|протирадіолокаційн\w*|розвідувальн\w*|різн\w*|оперативно-тактичн\w*|рівня|реактивн\w*"
    r"|отр|н/в|тип\w*|уточн\w*|не|встановл\w*|гіперзвуков\w*|повітряного|нападу|дальн\w*|ще|інш\w*"
    r"|імітатор\w*|камікадзе|ракет-|бойов\w*|нових|нов\w*|одиниць|базування|морського|наземного"
)
_UK_FLAGS = tuple(
    (re.compile(pattern), flag)
    for pattern, flag in (
        (r"імітатор|пастк|приманк", "decoy"),
        (r"ударн|камікадзе|бойов", "strike"),
        (r"крилат", "cruise"),
        (r"балістичн|аеробал", "ballistic"),
        (r"керован", "guided"),
        (r"авіаційн", "air"),
        (r"зенітн", "defence"),
        (r"протирадіолокаційн", "antiradar"),
        (r"розвідувальн", "recon"),
        (r"російськ|ворож", "rus"),
        (r"^інш", "other"),
        (r"українськ", "ukr"),
    )
)

UKRAINIAN = Lexicon(
    lang="uk",
    head_words={},
    head_patterns=tuple((re.compile(pattern), head) for pattern, head in _UK_HEADS),
    modifier_words=frozenset(),
    modifier_patterns=(_UK_MODIFIER,),
    flag_patterns=_UK_FLAGS,
    cues=_UK_CUES,
    fillers=word_set("було були ще також вже успішно всього загалом усього україну україні по"),
    aux=frozenset({"було", "були"}),
    after_needs_aux=False,
    clause_break=re.compile(r";|\b(?:але|проте|однак|водночас|тоді\s+як)\b", re.IGNORECASE),
    of_words=(("з",), ("із",), ("зі",)),
    anaphora=frozenset({"яких", "них"}),
    joiners=frozenset({"і", "та", "й", "або", "/", ","}),
    type_words=frozenset({"типу", "типів", "тип"}),
    compound_blockers=frozenset({"атака", "атаки", "атаку", "удар", "удари", "уламки", "загроза"}),
    breakdown_intro=((":",), ("з", "них"), (",", "з", "них"), ("серед", "них"), ("-",), ("зокрема",), ("(",)),
)

_HEADER = re.compile(r"^\W*ЗНИЩЕНО\b[^\n]*$", re.IGNORECASE | re.MULTILINE)
_SIGNATURE = re.compile(
    r"^\W*(?:Повітрян[іi](?:\s+Сили)?\s*$|Сили\s*$|України\s*$|https?://|www\.|t\.me|Повітряне\s+командування)",
    re.IGNORECASE,
)
_BULLET = re.compile(r"^\s*[-+•–*]\s*")
_COUNT_LINE = re.compile(r"^\s*\d+\s*$")
_DATE_LINE = re.compile(r"^\s*\(?\s*(?:станом|\d{1,2}[.:]\d{2})", re.IGNORECASE)


def has_destroyed_list(text: str) -> bool:
    """Return whether ``text`` is an Air Force "ЗНИЩЕНО" list post."""
    return _HEADER.search(text) is not None


_POST_TIME = re.compile(r"^\s*\(\s*(?P<h>[01]?\d|2[0-3])[.:][0-5]\d\s*\)\s*$", re.MULTILINE)


def is_morning_post(text: str) -> bool:
    """Return whether ``text`` is the Air Force's morning "ЗНИЩЕНО" post ("(07.00)" above the list, before noon): it
    reports the night before its date. A post of the day ("за добу"), of the evening, or without a time is not."""
    header = _HEADER.search(text)
    if header is None:
        return False
    posted = _POST_TIME.search(text, 0, header.start())
    return posted is not None and int(posted["h"]) < 12


def _items(text: str) -> list[tuple[str, list[int]]]:
    """Return the list items after the ЗНИЩЕНО header (continuation lines joined), each with the offset in
    ``text`` of every one of its characters."""
    header = _HEADER.search(text)
    if header is None:
        return []
    items: list[tuple[str, list[int]]] = []
    current: list[tuple[str, int]] | None = None
    offset = header.end()
    for raw in text[header.end() :].splitlines(keepends=True):
        line_start, offset = offset, offset + len(raw)
        line = raw.strip()
        if not line:
            continue
        at = line_start + len(raw) - len(raw.lstrip())
        if _SIGNATURE.match(line):
            break
        if _BULLET.match(line) or _COUNT_LINE.match(line):
            bullet = _BULLET.match(line)
            cut = bullet.end() if bullet else 0
            current = [(line[cut:], at + cut)]
            items.append(("", []))
        elif current is not None and not _DATE_LINE.match(line):
            current.append((line, at))
        else:
            continue
        joined, where = "", list[int]()
        for piece, start in current:
            if joined:
                joined += " "
                where.append(where[-1])
            joined += piece
            where.extend(range(start, start + len(piece)))
        items[-1] = (joined, where)
    return items


_Span = tuple[int, int]


def _trailing_units(toks: list[Token], k: int) -> tuple[int, _Span] | None:
    """Return (count, span) of "- 2 од." / "– 3 шт." after a list item's weapon phrase, else None."""
    while k < len(toks) and toks[k].low in ("-", ":", "—", "–"):
        k += 1
    read = read_count(toks, k, "uk") if k < len(toks) else None
    if read is None or read.count is None:
        return None
    bare = k > 0 and toks[k - 1].low in ("-", ":", "—", "–") and all(t.kind == "punct" for t in toks[read.end :])
    if not bare and (read.end >= len(toks) or not toks[read.end].low.startswith(("од", "шт"))):
        return None  # "- крилаті ракети Х-101 – 8" (bare, at the end) or "- БПЛА «Орлан-10» - 2 од."
    return read.count.value, (toks[read.start].start, toks[read.end - 1].end)


def _item_counts(item: str) -> list[tuple[str, str | None, int, _Span]]:
    """Return (category, model, count, span in ``item``) for one list item ("- 3 БПЛА «Орлан-10» та один н/в типу")."""
    toks = tokenize(item)
    phrases = [p for p in find_phrases(toks, UKRAINIAN, 0) if p.category is not None]
    if not phrases:
        return []
    first = phrases[0]
    read = read_count(toks, 0, "uk") if toks else None
    if read is not None and read.count is not None and read.end <= first.start:
        value, span = read.count.value, (toks[read.start].start, toks[read.end - 1].end)
    elif (unit := _trailing_units(toks, first.end)) is not None:
        value, span = unit  # "- розвідувальний БПЛА «Орлан-10» - 2 од."
    elif all(t.kind == "word" and UKRAINIAN.is_modifier(t.low) for t in toks[: first.start]):
        value, span = 1, (toks[first.start].start, toks[first.end - 1].end)  # "- БПЛА «Орлан-10»": one unit
    else:
        return []
    found = [(str(first.category), first.model, value, span)]
    starts = {p.start: p for p in phrases}
    for k in range(first.end, len(toks) - 1):
        if toks[k].low not in UKRAINIAN.joiners - {","}:
            continue
        extra = read_count(toks, k + 1, "uk")
        if extra is None or extra.count is None:
            continue
        phrase = starts.get(extra.end)
        category = phrase.category if phrase is not None else first.category
        span = (toks[extra.start].start, toks[extra.end - 1].end)
        found.append((str(category), phrase.model if phrase is not None else None, extra.count.value, span))
    return found


def parse_destroyed_list(text: str | Normalized) -> list[WeaponCounts]:
    """Return the weapons a ЗНИЩЕНО list reports destroyed, one entry per category and model.

    Each figure carries the spans of the items it adds up (in the original text when given a `Normalized`).
    """
    normal = text if isinstance(text, Normalized) else normalize_mapped(text)
    totals: dict[tuple[str, str | None], int] = {}
    spans: dict[tuple[str, str | None], list[_Span]] = {}
    for item, where in _items(normal.text):
        for category, model, value, (start, end) in _item_counts(item):
            totals[(category, model)] = totals.get((category, model), 0) + value
            spans.setdefault((category, model), []).append(normal.original(where[start], where[end - 1] + 1))
    return [
        WeaponCounts(
            category=category,  # type: ignore[arg-type]
            model=model,
            destroyed=Count(value=value),
            spans={"destroyed": spans[(category, model)]},
        )
        for (category, model), value in totals.items()
    ]
