"""Who is asking: the bearer token of a request mapped to a reader (docs/CONTRACT.md, POLICYQA_TOKENS).

No header: anonymous (public documents only). A token the settings do not know: 401, never silently
anonymous, so a mistyped staff token is noticed. Admin routes: 401 without a token, 403 with a
known token that is not an admin's.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from typing import Annotated

from fastapi import Depends, Request

from corpus.access import ANONYMOUS, Reader
from service.settings import TokenIdentity

__all__ = ["AdminDep", "Forbidden", "ReaderDep", "Unauthorized", "reader_for"]


class Unauthorized(PermissionError):
    """No usable credentials (HTTP 401)."""


class Forbidden(PermissionError):
    """Known credentials that do not allow this (HTTP 403)."""


def reader_for(authorization: str | None, tokens: Mapping[str, TokenIdentity]) -> Reader:
    """The reader an Authorization header stands for (pure: header value and token table in)."""
    if authorization is None or not authorization.strip():
        return ANONYMOUS
    scheme, _, token = authorization.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise Unauthorized("the Authorization header must be 'Bearer <token>'")
    for known, identity in tokens.items():
        # constant-time comparison: response timing does not reveal how much of a token matched
        if hmac.compare_digest(known.encode(), token.encode()):
            return Reader(identity.name, frozenset(identity.groups), identity.admin, known=True)
    raise Unauthorized("unknown token")


def get_reader(request: Request) -> Reader:
    return reader_for(request.headers.get("authorization"), request.app.state.engine.settings.tokens)


def get_admin(request: Request) -> Reader:
    reader = get_reader(request)
    if not reader.known:
        raise Unauthorized("this route needs an admin token (Authorization: Bearer <token>)")
    if not reader.admin:
        raise Forbidden(f"'{reader.name}' is not an admin")
    return reader


ReaderDep = Annotated[Reader, Depends(get_reader)]
AdminDep = Annotated[Reader, Depends(get_admin)]
