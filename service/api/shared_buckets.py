"""Token buckets shared by every worker process of a server: one small SQLite file in the data folder.

Each worker keeping its own buckets would let a client make the configured number of requests per
worker; here every take is one short write transaction on the shared file (WAL, no fsync: the
buckets are soft state), so the limit holds for the server as a whole. The bucket rule itself is
``service.api.guards.refill``. Time is wall-clock seconds, the one clock every process shares.

If the file cannot be written in time (a busy lock beyond ``timeout``, a read-only folder), the
worker's own in-memory buckets decide that request: a limiter must not fail requests itself.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from pathlib import Path

from service.api.guards import TokenBuckets, refill

log = logging.getLogger(__name__)

PRUNE_EVERY = 1000  # takes between removals of buckets that have refilled completely


class SharedTokenBuckets:
    def __init__(self, path: Path, rate: float, burst: int, timeout: float = 0.05):
        self.rate, self.burst = rate, burst
        self.fallback = TokenBuckets(rate, burst)
        self._lock = threading.Lock()
        self._takes = 0
        self._db: sqlite3.Connection | None = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(path, timeout=timeout, isolation_level=None, check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=OFF")
            db.execute(
                "CREATE TABLE IF NOT EXISTS buckets (client TEXT PRIMARY KEY, tokens REAL NOT NULL, at REAL NOT NULL)"
            )
            self._db = db
        except (sqlite3.Error, OSError) as exc:
            log.warning("rate limit: %s cannot be used (%s); each worker counts on its own", path, exc)

    def take(self, client: str, now: float) -> float:
        """0 when the request may go, else the seconds to wait (``now``: wall-clock seconds)."""
        if self._db is None:
            return self.fallback.take(client, now)
        with self._lock:
            db = self._db
            try:
                db.execute("BEGIN IMMEDIATE")
                row = db.execute("SELECT tokens, at FROM buckets WHERE client = ?", (client,)).fetchone()
                tokens, at = row if row else (float(self.burst), now)
                left, wait = refill(tokens, at, now, self.rate, self.burst)
                db.execute(
                    "INSERT INTO buckets (client, tokens, at) VALUES (?, ?, ?) "
                    "ON CONFLICT(client) DO UPDATE SET tokens = excluded.tokens, at = excluded.at",
                    (client, left, now),
                )
                self._takes += 1
                if self._takes % PRUNE_EVERY == 0:  # a bucket idle this long is full again: forget it
                    db.execute("DELETE FROM buckets WHERE at < ?", (now - self.burst / self.rate,))
                db.execute("COMMIT")
                return wait
            except sqlite3.Error as exc:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                log.debug("rate limit: shared buckets busy (%s); this worker's own decide", exc)
                return self.fallback.take(client, now)
