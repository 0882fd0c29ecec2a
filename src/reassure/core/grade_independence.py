"""Grade independence (issue 26 item 8, docs/adr/0045): the two halves of an Admiralty grade are judged apart, the
source's reliability (A-F) from its record, each item's credibility (1-6) from the item itself. A source whose graded
items' credibility follows its reliability letter too closely is a sign they were not: the credibility was read off
the letter.

The check, per source, over the graded items that cite it (claims, pledges, incident reports, movement records):
with at least `MIN_ITEMS` of them, the source is flagged when
- `DIAGONAL_SHARE` or more of them sit on the diagonal (credibility = the letter's place: A1, B2, C3, D4, E5, F6), or
- its items carry two or more reliability letters and the rank correlation (Spearman) of letter and credibility is
  `RANK_LIMIT` or more in size: credibility moves with the letter.
Pure: plain pairs in, a finding out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

MIN_ITEMS = 5
DIAGONAL_SHARE = 0.8
RANK_LIMIT = 0.9
LETTERS = "ABCDEF"


@dataclass(frozen=True)
class GradeCheck:
    """What the check found for one source: how many graded items, the share on the diagonal, the rank correlation
    (None when it cannot be computed), and the reason it is flagged (None when it is not, or too few items)."""

    items: int
    diagonal: float | None
    rank: float | None
    flag: str | None

    @property
    def flagged(self) -> bool:
        """Whether the source's grades look judged together."""
        return self.flag is not None


def _ranks(values: Sequence[float]) -> list[float]:
    """Return average ranks (ties share the mean of their places)."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def spearman(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Return Spearman's rank correlation of two equal-length series, or None when either is constant."""
    if len(xs) != len(ys) or len(xs) < 2:
        return None
    rx, ry = _ranks(xs), _ranks(ys)
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    sxy = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    sxx, syy = sum((a - mx) ** 2 for a in rx), sum((b - my) ** 2 for b in ry)
    if sxx == 0 or syy == 0:
        return None
    return float(sxy / (sxx * syy) ** 0.5)


def check_grades(grades: Sequence[tuple[str, int]], *, min_items: int = MIN_ITEMS,
                 diagonal_share: float = DIAGONAL_SHARE, rank_limit: float = RANK_LIMIT) -> GradeCheck:
    """Check one source's graded items ((reliability letter, credibility) pairs); see the module's docstring."""
    pairs = [(r, c) for r, c in grades if r in LETTERS and 1 <= c <= 6]
    if not pairs:
        return GradeCheck(items=0, diagonal=None, rank=None, flag=None)
    on_diagonal = sum(1 for r, c in pairs if LETTERS.index(r) + 1 == c) / len(pairs)
    letters = {r for r, _ in pairs}
    rank = spearman([LETTERS.index(r) for r, _ in pairs], [c for _, c in pairs]) if len(letters) >= 2 else None
    flag = None
    if len(pairs) >= min_items:
        if on_diagonal >= diagonal_share:
            flag = (f"{on_diagonal:.0%} of its {len(pairs)} graded items have the credibility of their reliability "
                    "letter (A1, B2, C3 …): credibility looks read off the letter, not judged apart")
        elif rank is not None and abs(rank) >= rank_limit:
            flag = (f"credibility follows reliability across its {len(pairs)} graded items (rank correlation "
                    f"{rank:.2f}): the two look judged together")
    return GradeCheck(items=len(pairs), diagonal=on_diagonal, rank=rank, flag=flag)
