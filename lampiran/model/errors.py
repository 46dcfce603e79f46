"""Errors a user sees: one line naming the file and the reason."""

from __future__ import annotations

from pathlib import Path


class LampiranError(Exception):
    """A document that cannot be processed, and why (in one line)."""

    def __init__(self, path: str | Path, reason: str, stage: str = "extract") -> None:
        self.path = str(path)
        self.reason = " ".join(str(reason).split())
        self.stage = stage
        super().__init__(f"{self.path}: {self.reason}")

    def __reduce__(self):  # crosses process boundaries (page pools, corpus workers)
        return (type(self), (self.path, self.reason, self.stage))
