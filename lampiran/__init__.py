"""lampiran: Indonesian SK lampiran tables to clean, validated data.

``lampiran.read_pdf(path)`` and ``lampiran.read_corpus(paths)`` are the library
API (``lampiran.api``); they load on first use, so importing the package stays light.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.3.2"  # a new version re-processes every stored document (the store keys on it)
__all__ = ["__version__", "read_corpus", "read_pdf"]


def __getattr__(name: str) -> Any:
    if name in ("read_pdf", "read_corpus"):
        from lampiran import api

        return getattr(api, name)
    raise AttributeError(f"module 'lampiran' has no attribute {name!r}")
