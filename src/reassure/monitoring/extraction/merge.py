"""Merge mentions into §4 weapon entries: one entry per weapon (category and model) the text counts.

Rules, in text order:
- An implicit or same-model mention joins its phrase's entry. A mention without a model joins the only
  entry of its category, or, when it is generic ("missiles", "drones"), the only entry of its family
  ("two ballistic missiles ... both missiles"). "Decoy drones" join a strike-and-decoy drone entry.
- A mention with a model fills the model of a model-less entry of its category ("93 strike UAVs ... 74
  Shahed drones"), except breakdown items ("20 missiles: 12 Kh-101 and 8 Kalibr").
- A generic total broken down in full ("13 missiles, including 4 Iskander-M and 9 Kh-101") is dropped;
  a partial breakdown keeps both (the entries then overlap; nothing is invented to fill the rest).
- "N of the M drones", "all 14 drones" and "both missiles" also state the launched total, which fills
  launched when the text gives no other figure. "All of them" copies the launched count.
- Two figures for one field: the sharper qualifier wins (exact > bounds > approx); between equals, the
  larger (the smaller for at_most), as later updates of a night's tally only grow.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from reassure.monitoring.extraction.engine import Mention
from reassure.monitoring.extraction.lexicon import DRONE_FAMILY, MISSILE_FAMILY
from reassure.monitoring.report import QUALIFIER_RANK, Category, Count, WeaponCounts
from reassure.monitoring.weapon_keys import weapon_key


@dataclass
class _Entry:
    category: Category
    model: str | None
    mixed: bool
    counts: dict[str, Count] = field(default_factory=dict)
    other: bool = False
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)


def _family(category: str) -> frozenset[str]:
    if category in DRONE_FAMILY:
        return DRONE_FAMILY
    if category in MISSILE_FAMILY:
        return MISSILE_FAMILY
    return frozenset({category})


def _same_model(a: str | None, b: str | None) -> bool:
    if a is None or b is None:
        return a is b
    key_a, key_b = weapon_key(a), weapon_key(b)
    if key_a and key_b and (key_a == key_b or key_a.startswith(key_b + "/") or key_b.startswith(key_a + "/")):
        return True  # "Shahed-136/131", "шахедів" and "Geran-2" are one weapon
    a, b = a.lower(), b.lower()
    return a == b or a.startswith(b) or b.startswith(a)


# Reconnaissance drones are counted apart from strike drones: a named one never names a model-less drone entry.
_RECON = frozenset({"orlan-10", "orlan-30", "zala", "supercam", "merlin-vr", "granat-4", "forpost", "orion",
                    "mohajer-6", "eleron", "molniya", "kub"})


def _select(entries: list[_Entry], mention: Mention, *, create: bool) -> _Entry | None:
    phrase = mention.phrase
    category, model = phrase.category, phrase.model
    assert category is not None
    if phrase.other and model is None:  # "six Kinzhal missiles and 12 other missiles": a weapon of its own
        others = [e for e in entries if e.category == category and e.other]
        if others or not create:
            return others[0] if others else None
        entries.append(_Entry(category, None, phrase.mixed, other=True))
        return entries[-1]
    exact = [e for e in entries if e.category == category and _same_model(e.model, model)]
    if exact:
        if model and exact[0].model and len(model) > len(exact[0].model):
            exact[0].model = model
        return exact[0]
    same = [e for e in entries if e.category == category]
    if model is None:
        if len(same) == 1:
            return same[0]
        if len(same) > 1 and mention.count is not None and mention.field != "launched":
            # "18 крилатих ракет" after 20 Х-101/Х-555 and 4 Х-22 launched: the only one that many were launched of
            fits = [e for e in same if (c := e.counts.get("launched")) is not None and c.value >= mention.count.value]
            if len(fits) == 1:
                return fits[0]
        if not same and category in ("missile", "drone") and not phrase.mixed:
            family = [e for e in entries if e.category in _family(category)]
            if len(family) == 1:
                return family[0]
        if not same and category == "decoy_drone":
            mixed = [e for e in entries if e.category == "drone" and e.mixed]
            if len(mixed) == 1:
                return mixed[0]
    elif (
        mention.breakdown_of is None
        and not set((weapon_key(model) or "").split("/")) & _RECON
        and category != "missile"  # a model of no known type (S-400, "Iskander") never names a count of "missiles"
    ):
        modelless = [e for e in same if e.model is None]
        if len(modelless) == 1 and len(same) == 1:
            modelless[0].model = model
            return modelless[0]
    if not create:
        return None
    entry = _Entry(category, model, phrase.mixed)
    entries.append(entry)
    return entry


def _better(new: Count, old: Count) -> bool:
    rank_new, rank_old = QUALIFIER_RANK[new.qualifier], QUALIFIER_RANK[old.qualifier]
    if rank_new != rank_old:
        return rank_new > rank_old
    if new.qualifier == "at_most":
        return new.value < old.value
    if new.qualifier == "approx":
        return False
    return new.value > old.value


def _put(entry: _Entry, name: str, count: Count, span: tuple[int, int] | None, *, fill_only: bool = False) -> None:
    old = entry.counts.get(name)
    if span is None:
        return  # a figure the text does not write is never output
    if old is None or (not fill_only and _better(count, old)):
        entry.counts[name] = count
        entry.spans[name] = span


def _dropped_totals(mentions: list[Mention]) -> dict[int, list[int]]:
    """Return indices of generic totals that their breakdown items add up to exactly, each with its items' indices.

    A header may give several totals before its breakdown ("Збито – 53 ракети та 54 БпЛА:\n- 50 КР Х-101;\n- 3 КР
    Х-22;\n- 54 БпЛА."): each total then takes the items of its own family (missiles, drones).
    """
    dropped: dict[int, list[int]] = {}
    by_total: dict[int, list[int]] = {}
    for n, m in enumerate(mentions):
        if m.breakdown_of is not None:
            by_total.setdefault(m.breakdown_of, []).append(n)
    for index, indices in by_total.items():
        last, items = mentions[index], [mentions[n] for n in indices]
        if last.phrase.category is None:
            continue
        if last.count is None and last.kind == "all_implicit":  # "Russia fired 18 missiles, all of which were shot
            whole = _launched_before(mentions, index)  # down: six Kinzhal, nine ...": all of the 18, broken down
            if whole is not None and _adds_up(items, mentions[whole]):
                dropped[index] = dropped[whole] = indices
            continue
        header = [
            (k, m)
            for k, m in enumerate(mentions[: index + 1])
            if m.sentence == last.sentence and m.field == last.field and m.phrase.chain == last.phrase.chain
            and m.phrase.category is not None and m.count is not None
        ]
        for k, total in header:
            assert total.phrase.category is not None
            own = items if len(header) == 1 else [
                m for m in items if m.phrase.category and _family(m.phrase.category) == _family(total.phrase.category)
            ]
            if _adds_up(own, total):
                dropped[k] = [n for n, m in enumerate(mentions) if any(m is o for o in own)]
    return dropped


def _adds_up(items: list[Mention], total: Mention) -> bool:
    """Return whether exact ``items`` add up to the exact ``total``."""
    counts = [m.count for m in items if m.count is not None and m.count.qualifier == "exact"]
    if not items or total.count is None or total.count.qualifier != "exact" or len(counts) < len(items):
        return False
    return sum(c.value for c in counts) == total.count.value


def _launched_before(mentions: list[Mention], index: int) -> int | None:
    """Return the index of the launched count of the phrase "all of them" at ``index`` refers to, else None."""
    phrase = mentions[index].phrase
    return next(
        (k for k in range(index - 1, -1, -1) if mentions[k].phrase is phrase and mentions[k].field == "launched"
         and mentions[k].count is not None),
        None,
    )

def _all_of(mention: Mention, total: Mention) -> bool:
    """Return whether ``mention`` says all of a total broken down into items ("all 18", "all of them")."""
    if mention.kind not in ("all", "all_implicit") or mention.field == "launched":
        return False
    return mention.count is None or (total.count is not None and mention.count.value == total.count.value)


def _fold_decoys(entries: list[_Entry]) -> None:
    """Fold "71 imitation drones were lost" into the strike-and-decoy drone entry the report also gives."""
    mixed = [e for e in entries if e.category == "drone" and e.mixed]
    if not mixed:  # "81 drones ...; 25 decoy drones were lost": decoys counted within the drones launched
        mixed = [e for e in entries if e.category == "drone" and "launched" in e.counts]
    for decoy in [e for e in entries if e.category == "decoy_drone" and e.model is None and "launched" not in e.counts]:
        if len(mixed) == 1 and not set(decoy.counts) & set(mixed[0].counts):
            mixed[0].counts.update(decoy.counts)
            mixed[0].spans.update(decoy.spans)
            entries.remove(decoy)


def _same(start: int, end: int) -> tuple[int, int]:
    return start, end


def merge_mentions(
    mentions: list[Mention], to_original: Callable[[int, int], tuple[int, int]] = _same
) -> list[WeaponCounts]:
    """Return the §4 weapon entries the mentions describe; ``to_original`` maps spans back to the input text."""
    entries: list[_Entry] = []
    dropped = _dropped_totals(mentions)
    broken = {id(mentions[t].phrase): (mentions[t], items) for t, items in dropped.items()}
    entry_of: dict[int, _Entry] = {}  # mention index → its entry
    items_of_all = {n for t, items in dropped.items() if mentions[t].kind in ("all", "all_implicit") for n in items}
    for index, mention in enumerate(mentions):
        if index not in dropped and id(mention.phrase) in broken and _all_of(mention, broken[id(mention.phrase)][0]):
            for item in broken[id(mention.phrase)][1]:  # "18 missiles, including 6 Kinzhal, ... All 18 were shot down"
                member = entry_of.get(item)
                if member is not None and (launched := member.counts.get("launched")) is not None:
                    _put(member, mention.field, launched, member.spans.get("launched"), fill_only=True)
            continue
        if mention.phrase.category is None and mention.kind == "all_implicit" and mention.field != "launched":
            for member in entries:  # "All targets were destroyed": every weapon the report counted
                if (launched := member.counts.get("launched")) is not None:
                    _put(member, mention.field, launched, member.spans.get("launched"), fill_only=True)
            continue
        if index in dropped or mention.phrase.category is None:
            continue
        if mention.kind == "share":  # "most of the 23 drones were shot down": only the total is written
            entry = _select(entries, mention, create=mention.total is not None)
            if entry is not None and mention.total is not None:
                _put(entry, "launched", mention.total, mention.total_span, fill_only=True)
            continue
        entry = _select(entries, mention, create=mention.kind not in ("all_implicit", "the_one"))
        if entry is None and mention.kind == "all_implicit" and mention.phrase.model is None:
            # "All the missiles were destroyed" after several kinds of missile: each of them
            for member in (e for e in entries if e.category in _family(str(mention.phrase.category))):
                launched = member.counts.get("launched")
                if launched is not None and mention.field != "launched":
                    _put(member, mention.field, launched, member.spans.get("launched"))
            continue
        if entry is None:
            continue
        entry_of[index] = entry
        entry.mixed = entry.mixed or (mention.phrase.mixed and entry.category == "drone")
        count, span = mention.count, mention.span
        fill_only = False
        if count is None:  # "all of them": as many as were launched (unless the text gives the figure itself)
            count, span = entry.counts.get("launched"), entry.spans.get("launched")
            if count is None or mention.field == "launched":
                continue
            if mention.kind == "the_one" and count.value != 1:
                continue  # "the missile was shot down" after two were launched: which one, and how many, is unsaid
            fill_only = True
        if mention.kind == "correction":  # "later revising the figure to 35": the later figure replaces it
            entry.counts.pop(mention.field, None)
        _put(entry, mention.field, count, span, fill_only=fill_only)
        if mention.field != "launched":
            if mention.total is not None:
                _put(entry, "launched", mention.total, mention.total_span, fill_only=True)
            elif mention.kind == "all" or index in items_of_all:  # "all 18 missiles (six Kinzhal, ...) were shot down"
                _put(entry, "launched", count, span, fill_only=True)
    _fold_decoys(entries)
    return [
        WeaponCounts.model_validate(
            {
                "category": e.category,
                "model": e.model,
                **e.counts,
                "spans": {name: [to_original(*span)] for name, span in e.spans.items()},
            }
        )
        for e in entries
        if e.counts
    ]
