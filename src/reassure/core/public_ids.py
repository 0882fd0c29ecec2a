"""Opaque public ids for records other nations could count (jobs, plans, evaluations, audit rows, sessions, tokens).

A sequential number tells a reader how many records were made between two of theirs, hidden ones included. Such
records keep their integer key inside the database (foreign keys, ordering) but are shown, linked and looked up only
by a random public id: a kind prefix and 80 random bits in lower-case base32, e.g. `job_k3x9q2m4v7c1w8ze`.
"""

from __future__ import annotations

import base64
import re
import secrets

RANDOM_BYTES = 10  # 80 bits: 16 base32 characters
_BODY = r"[a-z2-7]{16}"
_PREFIX = re.compile(r"^[a-z]{2,8}$")


def new_public_id(prefix: str) -> str:
    """Return a fresh public id of a kind, e.g. new_public_id("job") -> 'job_k3x9q2m4v7c1w8ze'."""
    if not _PREFIX.match(prefix):
        raise ValueError(f"a public id prefix is 2-8 lower-case letters, got {prefix!r}")
    body = base64.b32encode(secrets.token_bytes(RANDOM_BYTES)).decode("ascii").lower()
    return f"{prefix}_{body}"


def is_public_id(text: object, prefix: str) -> bool:
    """Tell whether a text is shaped like a public id of this kind (any other text, old numbers included, is not)."""
    return isinstance(text, str) and re.fullmatch(f"{re.escape(prefix)}_{_BODY}", text) is not None


PUBLIC_ID_LENGTH = 8 + 1 + 16  # the longest prefix, the underscore and the body: the column width to store one


def shown_id(text: object) -> str:
    """Return an id as an error message may echo it: quoted, at most 40 characters (whatever was sent)."""
    shown = str(text)
    return repr(shown if len(shown) <= 40 else f"{shown[:40]}…")
