"""Who may read a document: its access level, and the one rule that checks a reader against it.

Levels (docs/CONTRACT.md): ``public`` (everyone), ``internal`` (any known identity) and
``group:NAME[,group:NAME...]`` (identities in one of those groups). Admins read everything.
The rule is pure and total: an access level it cannot parse reads as "nobody but admins".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from corpus.errors import CorpusError

__all__ = ["ANONYMOUS", "INTERNAL", "PUBLIC", "BadAccess", "Reader", "can_read", "groups_of", "parse_access"]

PUBLIC = "public"
INTERNAL = "internal"
_GROUP = re.compile(r"^[\w.\-\u4e00-\u9fff]{1,64}$")


class BadAccess(CorpusError):
    """An access level that is not public, internal or group:NAME[,group:NAME...]."""


@dataclass(frozen=True)
class Reader:
    """Who asks: anonymous, a known identity with groups, or an admin."""

    name: str = "anonymous"
    groups: frozenset[str] = frozenset()
    admin: bool = False
    known: bool = False

    @property
    def key(self) -> tuple:
        """What decides visibility (two readers with the same key see the same documents)."""
        return (self.admin, self.known, tuple(sorted(self.groups)))


ANONYMOUS = Reader()


def parse_access(text: str) -> str:
    """The canonical form of an access level, or BadAccess with what is allowed."""
    value = (text or "").strip()
    if value in (PUBLIC, INTERNAL):
        return value
    parts = [p.strip() for p in value.split(",") if p.strip()]
    names = []
    for part in parts:
        if not part.startswith("group:") or not _GROUP.match(part[len("group:") :]):
            raise BadAccess(
                f"access level {text!r} is not public, internal or group:NAME[,group:NAME...] "
                "(group names: letters, digits, Chinese characters, '.', '-', '_')"
            )
        names.append(part[len("group:") :])
    if not names:
        raise BadAccess("the access level is empty; use public, internal or group:NAME")
    return ",".join(f"group:{n}" for n in sorted(set(names)))


def groups_of(access: str) -> frozenset[str]:
    return frozenset(p[len("group:") :] for p in access.split(",") if p.startswith("group:"))


def can_read(access: str, reader: Reader) -> bool:
    if access == PUBLIC:
        return True
    if reader.admin:
        return True
    if access == INTERNAL:
        return reader.known
    return bool(groups_of(access) & reader.groups)
