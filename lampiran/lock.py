"""One writer per output folder: two ``lampiran`` processes on the same
``--out`` would interleave their store entries and combined tables."""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from lampiran.model.errors import LampiranError

LOCK = Path(".lampiran") / "lock"
# How long a second writer waits before it refuses: long enough for a holder
# that was just killed to be gone (its pool workers exit a moment after it),
# short enough that a user is told at once that another run is writing.
WAIT_SECONDS = 5.0

_held: list[int] = []  # this process's lock descriptors, which forked workers must not keep


def forget_in_child() -> None:
    """Close the inherited lock descriptors in a forked worker: a flock is held
    while any descriptor of it is open, so a worker left running (or dying
    slowly) after its parent was killed would keep the folder locked."""
    while _held:
        os.close(_held.pop())


@contextmanager
def output_lock(out_dir: Path, stage: str = "run") -> Iterator[None]:
    """Hold the folder's lock, or refuse after ``WAIT_SECONDS`` naming the
    holder. The lock is the kernel's (flock): a holder killed with SIGKILL
    releases it, so a stale lock file never blocks the next run."""
    path = Path(out_dir) / LOCK
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
    try:
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
                    raise LampiranError(out_dir, f"another lampiran process (pid {holder}) is writing to this "
                                                 "folder; wait for it to finish, or choose another --out",
                                        stage=stage) from None
                time.sleep(0.1)
        _held.append(fd)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)  # the folder's bytes do not depend on who last held it
    finally:
        if fd in _held:
            _held.remove(fd)
        os.close(fd)  # closing releases the flock
