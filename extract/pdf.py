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
# The largest paper there is, 4A0 (1682 x 2378 mm), in points. A larger page is
# no SK page; rendering it would take memory without bound.
_MAX_PAGE_PT = (4768.0, 6741.0)


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


def open_pdf(path: Path, password: str | None = None) -> pdfplumber.PDF:
    check_file(path)
    try:
        pdf = pdfplumber.open(path, password=password)
    except Exception as e:  # pdfplumber wraps pdfminer's many error types
        cause = e.args[0] if e.args and isinstance(e.args[0], Exception) else e
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
            need = "the password given does not open it" if password else "a password is needed to read it: --password"
            raise LampiranError(path, f"encrypted PDF ({need})") from None
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
    for page in pdf.pages:
        short, long = sorted((float(page.width), float(page.height)))
        if short > _MAX_PAGE_PT[0] + 1 or long > _MAX_PAGE_PT[1] + 1:
            _close_quietly(pdf)
            raise LampiranError(path, f"page {page.page_number} is {page.width:.0f} x {page.height:.0f} pt, "
                                      "larger than any paper size (4A0 is 4768 x 6741 pt)")
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

    password = getattr(pdf, "password", None) or None
    path = getattr(pdf, "path", None)
    if path is not None and str(path) and not isinstance(path, io.IOBase):
        return pdfium.PdfDocument(str(path), password=password)
    stream = pdf.stream
    pos = stream.tell()
    stream.seek(0)
    data = stream.read()
    stream.seek(pos)
    return pdfium.PdfDocument(data, password=password)
