"""One writer per output folder: two ``lampiran`` processes on the same
``--out`` would interleave their store entries and combined tables."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from lampiran.model.errors import LampiranError

LOCK = Path(".lampiran") / "lock"


@contextmanager
def output_lock(out_dir: Path, stage: str = "run") -> Iterator[None]:
    """Hold the folder's lock, or refuse at once naming the holder. The lock is
    the kernel's (flock): a holder killed with SIGKILL releases it, so a stale
    lock file never blocks the next run."""
    path = Path(out_dir) / LOCK
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
            raise LampiranError(out_dir, f"another lampiran process (pid {holder}) is writing to this folder; "
                                         "wait for it to finish, or choose another --out", stage=stage) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)  # the folder's bytes do not depend on who last held it
    finally:
        os.close(fd)  # closing releases the flock
