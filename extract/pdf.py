"""Open a PDF, or say in one line why it cannot be read."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError

from lampiran.model.errors import LampiranError

_HEAD = 1024  # the PDF spec lets "%PDF-" start anywhere in the first 1024 bytes
_TAIL = 2048  # ... and "%%EOF" sit near the end (some producers append junk)


def check_file(path: Path) -> None:
    """Cheap checks before parsing: exists, non-empty, PDF header, not truncated."""
    try:
        size = path.stat().st_size
    except OSError as e:
        raise LampiranError(path, f"cannot read file ({e.strerror})") from None
    if size == 0:
        raise LampiranError(path, "empty file (0 bytes)")
    with open(path, "rb") as f:
        head = f.read(_HEAD)
        f.seek(max(0, size - _TAIL))
        tail = f.read()
    if b"%PDF-" not in head:
        raise LampiranError(path, "not a PDF (no %PDF- header)")
    if b"%%EOF" not in tail:
        raise LampiranError(path, "truncated PDF (no %%EOF marker at the end of the file)")


def open_pdf(path: Path) -> pdfplumber.PDF:
    check_file(path)
    try:
        pdf = pdfplumber.open(path)
    except Exception as e:  # pdfplumber wraps pdfminer's many error types
        cause = e.args[0] if e.args and isinstance(e.args[0], Exception) else e
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
            raise LampiranError(path, "encrypted PDF (a password is needed to read it)") from None
        if isinstance(cause, PDFSyntaxError):
            raise LampiranError(path, f"damaged PDF ({cause})") from None
        raise LampiranError(path, f"damaged PDF ({type(cause).__name__}: {cause})") from None
    try:
        n = len(pdf.pages)
    except Exception as e:
        _close_quietly(pdf)
        raise LampiranError(path, f"damaged PDF (page tree unreadable: {type(e).__name__})") from None
    if n == 0:
        _close_quietly(pdf)
        raise LampiranError(path, "no pages (the PDF's page tree is empty)")
    return pdf


def _close_quietly(pdf: pdfplumber.PDF) -> None:
    """Close a document whose page tree is broken: pdfplumber's close walks the
    pages again and would raise the same error."""
    try:
        pdf.close()
    except Exception:  # noqa: BLE001
        pdf.stream.close()


def pdfium_document(pdf: pdfplumber.PDF) -> Any:
    """The pypdfium2 twin of an open pdfplumber document (by path, else by its bytes)."""
    import pypdfium2 as pdfium

    path = getattr(pdf, "path", None)
    if path is not None and str(path) and not isinstance(path, io.IOBase):
        return pdfium.PdfDocument(str(path))
    stream = pdf.stream
    pos = stream.tell()
    stream.seek(0)
    data = stream.read()
    stream.seek(pos)
    return pdfium.PdfDocument(data)
