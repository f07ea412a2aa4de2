"""Request guards, as pure pieces the middleware composes: which Host headers are ours, how many
requests a client may make, and the security headers every response carries.

* Host allow-list: a page bound to localhost must not answer for another name (DNS rebinding).
* Rate limit: a token bucket per client (capacity ``burst``, refilled at ``rate`` per second); an
  empty bucket answers 429 with Retry-After. Anonymous clients are keyed by address; requests with
  a token are accountable and not limited. ``refill`` is the rule; ``TokenBuckets`` keeps the buckets
  in one process, ``service.api.shared_buckets`` in a file every worker process of a server shares.
* Headers: a CSP the page satisfies (scripts and styles from 'self' only, no inline code), no
  sniffing, no framing, no referrer leaking queries.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
}
# the interactive API docs load their script from a CDN; they get the other headers, not the CSP
NO_CSP_PATHS = ("/docs", "/redoc")


def security_headers(path: str) -> dict[str, str]:
    if path.startswith(NO_CSP_PATHS):
        return {k: v for k, v in SECURITY_HEADERS.items() if k != "Content-Security-Policy"}
    return dict(SECURITY_HEADERS)


def host_name(header: str) -> str:
    """The name part of a Host header: 'LocalHost:8000' -> 'localhost', '[::1]:8000' -> '::1'."""
    h = header.strip().lower()
    if h.startswith("["):
        return h[1 : h.find("]")] if "]" in h else h
    return h.rsplit(":", 1)[0] if h.count(":") == 1 else h


def host_allowed(header: str | None, allowed: Iterable[str]) -> bool:
    """'*' allows every host; '*.example.org' allows its subdomains; otherwise names match exactly."""
    if header is None:
        return False
    name = host_name(header)
    for pattern in allowed:
        p = pattern.strip().lower()
        if p == "*" or p == name or (p.startswith("*.") and name.endswith(p[1:])):
            return True
    return False


def refill(tokens: float, at: float, now: float, rate: float, burst: int) -> tuple[float, float]:
    """One request against a bucket that held ``tokens`` at time ``at``: (tokens left, seconds to wait);
    the wait is 0 when the request may go. Time running backwards refills nothing.

    >>> refill(0.0, 0.0, 1.0, 2.0, 3)
    (1.0, 0.0)
    >>> refill(0.5, 0.0, 0.0, 2.0, 3)
    (0.5, 0.25)
    """
    tokens = min(float(burst), tokens + max(0.0, now - at) * rate)
    if tokens >= 1.0:
        return tokens - 1.0, 0.0
    return tokens, (1.0 - tokens) / rate


@dataclass
class TokenBuckets:
    """Per-client token buckets; ``take`` returns 0 when allowed, else the seconds to wait."""

    rate: float  # tokens per second
    burst: int
    _buckets: dict[str, tuple[float, float]] = field(default_factory=dict)  # client -> (tokens, at)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    max_clients: int = 100_000

    def take(self, client: str, now: float) -> float:
        with self._lock:
            tokens, at = self._buckets.get(client, (float(self.burst), now))
            tokens, wait = refill(tokens, at, now, self.rate, self.burst)
            self._buckets[client] = (tokens, now)
            if len(self._buckets) > self.max_clients:  # forget the longest-idle half
                keep = sorted(self._buckets.items(), key=lambda kv: kv[1][1])[self.max_clients // 2 :]
                self._buckets = dict(keep)
            return wait


def retry_after(wait: float) -> str:
    return str(max(1, math.ceil(wait)))
