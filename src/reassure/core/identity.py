"""Who acts: a stored user's name, nation and roles (plain data; the users table is the only source of it)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from reassure.core.errors import Forbidden, IdentityError
from reassure.core.markings import Releasability

_CODE = re.compile(r"^[A-Z]{3}$")
_NAME = re.compile(r"^[a-z0-9][a-z0-9_.@-]{0,63}$")


class Role(StrEnum):
    """What a user may do. Every user reads; admin may do everything the others may."""

    VIEWER = "viewer"  # reads what is released to their nation
    ANALYST = "analyst"  # ingests incidents and reports, records facts
    PLANNER = "planner"  # imports scenarios and pledges, stores plans
    ADMIN = "admin"  # manages users and tokens, reads the audit log, previews another nation's view


def parse_role(text: str) -> Role:
    """Return the role a text names, or raise IdentityError listing the roles."""
    try:
        return Role(text.strip().lower())
    except ValueError:
        raise IdentityError(f"unknown role {text!r}: expected one of {', '.join(r.value for r in Role)}") from None


def check_user_name(name: str) -> str:
    """Return a valid user name or raise IdentityError (lower case letters, digits, . _ - @; 1-64 characters)."""
    if not isinstance(name, str) or not _NAME.match(name):
        shown = name if isinstance(name, str) and len(name) <= 40 else f"{str(name)[:40]}…"
        raise IdentityError(f"invalid user name {shown!r}: use 1-64 lower-case letters, digits, '.', '_', '-' "
                            "or '@', starting with a letter or digit")
    return name


def check_nation_code(code: str) -> str:
    """Return an alpha-3 code (capitals) or raise IdentityError; never a pattern, a list or a long string."""
    if not isinstance(code, str) or not _CODE.match(code):
        shown = code if isinstance(code, str) and len(code) <= 12 else f"{str(code)[:12]}…"
        raise IdentityError(f"a nation must be one ISO alpha-3 code in capitals such as FRA, got {shown!r}")
    return code


@dataclass(frozen=True)
class Identity:
    """A stored user acting now: their nation's releasability applies to every read and write.

    `view_as` is an admin's read-only preview of another nation: it reads only records released to BOTH the admin's
    nation and the previewed one (PUBLIC, or a REL TO list naming both), so a preview can never widen what the admin
    reads; writes are refused while it is set. `public_only` reads PUBLIC records only (a brief for release outside
    the coalition); also read-only.
    """

    user: str
    nation: str
    roles: frozenset[Role] = field(default_factory=frozenset)
    view_as: str | None = None
    public_only: bool = False

    def __post_init__(self) -> None:
        check_user_name(self.user)
        check_nation_code(self.nation)
        if self.view_as is not None:
            check_nation_code(self.view_as)

    @property
    def readers(self) -> tuple[str, ...]:
        """Return the nations every record read must be released to (unless PUBLIC): the user's own, and in a
        preview also the previewed nation, the user's first."""
        if self.view_as is None or self.view_as == self.nation:
            return (self.nation,)
        return (self.nation, self.view_as)

    @property
    def read_only(self) -> bool:
        """Tell whether this identity may only read (a preview, or a PUBLIC-only reader)."""
        return self.public_only or (self.view_as is not None and self.view_as != self.nation)

    @property
    def audience(self) -> str:
        """Return, in words, whom the records read are released to: 'FRA', 'both DEU and FRA' or 'the public'."""
        if self.public_only:
            return "the public"
        readers = self.readers
        return readers[0] if len(readers) == 1 else f"both {readers[0]} and {readers[1]}"

    @property
    def viewed_nation(self) -> str:
        """Return the nation whose view this is (its landing page, its own plans): the previewed nation in a preview,
        else the user's. Which records can be read is `readers`' business, not this."""
        return self.view_as or self.nation

    @property
    def preview(self) -> str | None:
        """Return the line every output of a preview carries (None when not previewing)."""
        if len(self.readers) == 1:
            return None
        return (f"preview of {self.view_as} by {self.nation} admin: records released to both {self.nation} and "
                f"{self.view_as}")

    def acting(self) -> Identity:
        """Return the user as themselves (no preview, no PUBLIC-only reading): who audit rows name as the actor."""
        return Identity(user=self.user, nation=self.nation, roles=self.roles)

    def has(self, role: Role) -> bool:
        """Tell whether the user holds a role (admin holds every role; everyone is a viewer)."""
        return role is Role.VIEWER or role in self.roles or Role.ADMIN in self.roles

    def require(self, role: Role, action: str) -> None:
        """Raise Forbidden unless the user holds the role and is not previewing another nation."""
        if not self.has(role):
            raise Forbidden(f"{self.user} ({self.nation}) may not {action}: it needs the {role.value} role",
                            action=action)
        if role is not Role.VIEWER:
            self.require_writable(action)

    def require_writable(self, action: str) -> None:
        """Raise Forbidden when this identity only reads (a preview, or PUBLIC-only reading)."""
        if self.public_only:
            raise Forbidden(f"reading PUBLIC records only is read-only: {action} is refused", action=action)
        if self.read_only:
            raise Forbidden(f"a preview of {self.view_as} is read-only: {action} is refused", action=action)

    def sees(self, marking: Releasability) -> bool:
        """Tell whether a record with this marking may be read: PUBLIC, or released to every nation in `readers`."""
        if self.public_only:
            return marking.nations is None
        return marking.nations is None or all(n in marking.nations for n in self.readers)

    def may_mark(self, marking: Releasability) -> bool:
        """Tell whether the user may write a record with this marking (one they could read back themselves)."""
        return marking.allows(self.nation)

    def __str__(self) -> str:
        reading = (", PUBLIC records only" if self.public_only
                   else f", previewing {self.view_as}: records released to {self.audience}" if self.preview else "")
        return f"{self.user} ({self.nation}{reading})"
