"""Which document amends which: the pairs a run diffs automatically."""

from __future__ import annotations

from collections.abc import Iterable

from lampiran.diff.text import norm_nomor
from lampiran.model.records import DocumentRecord


def link_versions(documents: Iterable[DocumentRecord]) -> list[tuple[str, str]]:
    """(old_doc_id, new_doc_id) for every new document whose mengubah_nomor is old's nomor.

    Numbers compare without spaces or case ("800 / 12 / 2024" == "800/12/2024").
    If several documents carry the amended number (e.g. the same SK scanned
    twice) each is paired: the data cannot tell which one was meant.
    """
    docs = list(documents)
    by_nomor: dict[str, list[str]] = {}
    for d in docs:
        key = norm_nomor(d.nomor)
        if key:
            by_nomor.setdefault(key, []).append(d.doc_id)
    pairs = {
        (old_id, d.doc_id)
        for d in docs
        if norm_nomor(d.mengubah_nomor)
        for old_id in by_nomor.get(norm_nomor(d.mengubah_nomor), [])
        if old_id != d.doc_id
    }
    return sorted(pairs)
