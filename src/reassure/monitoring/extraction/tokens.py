"""Normalise report text, split it into sentences and tokens (pure helpers for the extractor)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from reassure.monitoring.extraction.numbers import parse_digits

# Weapon model names as reports write them (Latin and Cyrillic). Kept as one token so their digits are
# never read as counts ("Kh-101", "Shahed-136/131", "Iskander-M/KN-23", "Х-101/Х-555/Х-55").
_KH = r"(?:Kh|X|Х)-?\d{2,3}[A-ZА-ЯІ0-9]*"
MODEL_PATTERN = (
    r"(?<![\w-])(?:"
    r"(?:Shahed|Шахед)(?:-\d{2,3}(?:/\d{2,3})*)?(?:-type)?"
    r"|(?:Geran|Герань)(?:-\d)?(?:-type)?"
    r"|Gerbera|Гербера|Parody|Пародія"
    r"|(?:Lancet|Ланцет)(?:-\d)?"
    r"|(?:Orlan|Орлан)(?:-\d+)?"
    r"|(?:Merlin|Мерлін)(?:-VR|-ВР)?"
    r"|(?:Granat|Гранат)(?:-\d)?"
    r"|(?:Mohajer|Моhajer|Мохаджер)(?:-\d)?"
    r"|ZALA|Zala|Зала|ЗАЛА|Supercam|Orion|Оріон|Molniya|Молнія"
    rf"|{_KH}(?:/(?:{_KH}|\d{{2,3}}[A-ZА-Я0-9]*))*"
    r"|(?:Iskander|Іскандер|Искандер)(?:-[MKМК])?(?:/(?:KN|КН)-2[34])?"
    r"|(?:KN|КН)-2[34]"
    r"|Kinzhal|Кинджал|Kalibr|Калібр|КАЛІБР|Zircon|Tsirkon|Циркон|Oniks|Onyx|Онікс|P-800"
    r"|(?:Tochka|Точка)(?:-U|-У)?"
    r"|(?:S|С)-[34]00(?:/(?:S|С)-[34]00)?"
    r"|(?:KAB|КАБ)(?:-\d+)?|UMPK|УМПК"
    r")(?:(?<=\d)s|(?<=\d[A-Z])s)?(?![\w-])"  # "three S-400s", "two Iskander-Ms": the plural of a model
)

_TOKEN_RE = re.compile(
    r"(?P<skip>\d{4}-\d{2}-\d{2}|\d{1,2}[.:]\d{2}(?:\.\d{2,4})?(?![\d]))"
    rf"|(?P<model>{MODEL_PATTERN})"
    r"|(?P<plus>\d+(?:\+|-plus\b|-odd\b))"
    r"|(?P<range>\d+-\d+(?![\d.:/\w]))"
    r"|(?P<num>\d{1,3}(?:,\d{3})+(?!\d)|\d+(?![\w-]))"
    r"|(?P<word>[^\W\d_][\w']*(?:-[\w']+)*|\d+(?:-[^\W\d_][\w']*)+)"
    r"|(?P<punct>\S)",
    re.IGNORECASE,
)


def word_set(text: str) -> frozenset[str]:
    """Return the whitespace-separated words of ``text`` as a set (for word lists)."""
    return frozenset(text.split())


_ABBREVIATIONS = word_set(
    "jan feb mar apr jun jul aug sep sept oct nov dec mr mrs ms dr st gen lt col maj no vs approx incl "
    "e.g i.e u.s u.k u.n ca"
)
_SENTENCE_END = re.compile(r"[.!?;]+[\"')\]]*\s+")
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'", "ʼ": "'"})


@dataclass(frozen=True)
class Token:
    """One token of a sentence: kind is num, range, plus, word, model, punct or skip."""

    kind: str
    text: str
    low: str
    start: int
    end: int
    value: int | None = None
    value2: int | None = None


def normalize(text: str) -> str:
    """Return ``text`` with unified quotes, dashes and spaces (same length is not kept)."""
    return normalize_mapped(text).text


@dataclass(frozen=True)
class Normalized:
    """Normalised text and, per character, the span of the original text it came from."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def original(self, start: int, end: int) -> tuple[int, int]:
        """Return the span of the original text that normalised characters ``start``..``end`` came from."""
        if not self.text:
            return 0, 0
        start = min(max(start, 0), len(self.text) - 1)
        end = min(max(end, start + 1), len(self.text))
        return self.starts[start], self.ends[end - 1]


def _sub(pattern: str, repl: str, text: str, starts: list[int], ends: list[int]) -> tuple[str, list[int], list[int]]:
    """Apply one substitution, keeping each output character's original span (a replacement spans its match)."""
    out: list[str] = []
    new_starts: list[int] = []
    new_ends: list[int] = []
    last = 0
    for match in re.finditer(pattern, text):
        out.append(text[last : match.start()])
        new_starts.extend(starts[last : match.start()])
        new_ends.extend(ends[last : match.start()])
        if match.end() > match.start():
            s, e = starts[match.start()], ends[match.end() - 1]
        else:
            s = e = starts[match.start()] if match.start() < len(starts) else (ends[-1] if ends else 0)
        out.append(repl)
        new_starts.extend([s] * len(repl))
        new_ends.extend([e] * len(repl))
        last = match.end()
    out.append(text[last:])
    new_starts.extend(starts[last:])
    new_ends.extend(ends[last:])
    return "".join(out), new_starts, new_ends


def normalize_mapped(text: str) -> Normalized:
    """Normalise ``text`` as `normalize` does and map every normalised character back to the original."""
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i = 0
    while i < len(text):  # a base character with its combining marks is normalised as one unit
        j = i + 1
        while j < len(text) and unicodedata.combining(text[j]):
            j += 1
        piece = unicodedata.normalize("NFKC", text[i:j]).translate(_QUOTES)
        chars.append(piece)
        starts.extend([i] * len(piece))
        ends.extend([j] * len(piece))
        i = j
    out = "".join(chars)
    out, starts, ends = _sub("[\u00ad]", "", out, starts, ends)
    out, starts, ends = _sub("[\u00a0\u202f]", " ", out, starts, ends)
    # "40–50" is a range; "Х-101 – 10" is a model and its count (the left number ends a model name)
    out, starts, ends = _sub(r"(?<=\d)(?<![-‑]\d)(?<![-‑]\d\d)(?<![-‑]\d\d\d)\s?[–‑−]\s?(?=\d)", "-", out, starts, ends)
    out, starts, ends = _sub("[–‑−]", "-", out, starts, ends)
    out, starts, ends = _sub("—", " - ", out, starts, ends)
    out, starts, ends = _sub(r"[ \t]+", " ", out, starts, ends)
    return Normalized(out, tuple(starts), tuple(ends))


def split_sentences(text: str) -> list[tuple[int, str]]:
    """Split normalised text into (offset, sentence) pairs; soft-wrapped lines are joined."""
    pieces: list[tuple[int, str]] = []
    for para in re.finditer(r"[^\n]+(?:\n(?=[ \t]*[a-zа-яіїєґ0-9(])[^\n]+)*", text):
        block, base = para.group(0).replace("\n", " "), para.start()
        start = 0
        for end_match in _SENTENCE_END.finditer(block):
            before = block[start : end_match.start() + 1]
            last_word = re.search(r"([\w.]+)$", before.strip())
            nxt = block[end_match.end() : end_match.end() + 1]
            if end_match.group(0)[0] == "." and last_word and last_word.group(1).rstrip(".").lower() in _ABBREVIATIONS:
                continue
            if end_match.group(0)[0] == "." and nxt and nxt.islower():
                continue
            piece = block[start : end_match.end()]
            pieces.append((base + start + len(piece) - len(piece.lstrip()), piece.strip()))
            start = end_match.end()
        if block[start:].strip():
            pieces.append((base + start + len(block[start:]) - len(block[start:].lstrip()), block[start:].strip()))
    return [(offset, sentence) for offset, sentence in pieces if sentence]


def _negative(sentence: str, start: int) -> bool:
    """Tell whether a number is written with a minus sign ("-5", " −5"), not a hyphen inside a word."""
    return start >= 1 and sentence[start - 1] in "-−" and (start == 1 or not sentence[start - 2].isalnum())


def _too_long(text: str) -> bool:
    return max((len(run) for run in re.findall(r"\d+", text)), default=0) > 15


def tokenize(sentence: str, skip_spans: list[tuple[int, int]] | None = None) -> list[Token]:
    """Return the tokens of ``sentence``; tokens inside ``skip_spans`` (dates) become kind skip."""
    tokens: list[Token] = []
    spans = skip_spans or []
    for match in _TOKEN_RE.finditer(sentence):
        kind = match.lastgroup or "punct"
        text = match.group(0)
        if any(s <= match.start() < e for s, e in spans):
            kind = "skip"
        if kind in ("num", "plus", "range") and (_negative(sentence, match.start()) or _too_long(text)):
            kind = "skip"  # "-5 drones" is not a count of five, and a 20-digit run is not a count at all
        value = value2 = None
        if kind == "num":
            value = parse_digits(text)
        elif kind == "plus":
            value = int(re.match(r"\d+", text).group(0))  # type: ignore[union-attr]
        elif kind == "range":
            low, high = text.split("-")
            value, value2 = int(low), int(high)
        tokens.append(Token(kind, text, text.lower(), match.start(), match.end(), value, value2))
    return tokens
