"""One writer at a time per data folder: ingest, index and admin changes take this lock.

A second writer waits up to a timeout, then is refused with a clear message (never two builds
racing over one index). The lock is a file lock (filelock), so it holds across processes: the CLI
and a running server's admin routes exclude each other.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout


class WriterBusy(RuntimeError):
    """Another process or request is changing this data folder."""


@contextmanager
def writing(data_dir: Path, timeout: float) -> Iterator[None]:
    data_dir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(data_dir / "write.lock"), timeout=timeout)
    try:
        lock.acquire()
    except Timeout:
        raise WriterBusy(
            f"another ingest or index run is changing {data_dir} (waited {timeout:g} s); try again when it ends"
        ) from None
    try:
        yield
    finally:
        lock.release()
