"""The OCR engine behind one small interface (like OCRmyPDF's plugin seam).

The scanned reader only needs word boxes with confidences; any engine that
returns them can stand in for Tesseract. ``TesseractEngine`` runs the real
``tesseract`` binary through a subprocess with TSV output (no pytesseract).

Tesseract is always run with ``OMP_THREAD_LIMIT=1``: its OpenMP threads fight
each other on a small machine (12 s instead of 2.3 s a page on 2 cores).
Parallelism, if wanted, goes across pages (see ``extract.scanned``).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from typing import Protocol

import cv2
import numpy as np

BBoxPx = tuple[int, int, int, int]  # x0, top, x1, bottom in image pixels


@dataclass
class Word:
    text: str
    bbox_px: BBoxPx
    conf: float  # 0..100 (Tesseract's word confidence)
    block: int = 0
    par: int = 0
    line: int = 0


@dataclass
class Line:
    words: list[Word]

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def bbox_px(self) -> BBoxPx:
        return (
            min(w.bbox_px[0] for w in self.words),
            min(w.bbox_px[1] for w in self.words),
            max(w.bbox_px[2] for w in self.words),
            max(w.bbox_px[3] for w in self.words),
        )

    @property
    def conf(self) -> float:
        return sum(w.conf for w in self.words) / len(self.words)


@dataclass
class Orientation:
    rotate: int  # degrees clockwise to turn the image so its text is upright
    confidence: float


class OcrEngine(Protocol):
    name: str

    def words(self, image: np.ndarray, *, dpi: int = 300, psm: int = 3) -> list[Word]:
        """Words of a grayscale (or BGR) image, in the engine's reading order."""
        ...

    def lines(self, image: np.ndarray, *, dpi: int = 300, psm: int = 3) -> list[Line]:
        """The words grouped into text lines, in reading order."""
        ...


class OcrError(RuntimeError):
    pass


def tesseract_available() -> bool:
    return shutil.which("tesseract") is not None


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["OMP_THREAD_LIMIT"] = "1"
    return env


def _png(image: np.ndarray) -> bytes:
    ok, buf = cv2.imencode(".png", image)
    if not ok:
        raise OcrError("cannot encode image for OCR")
    return buf.tobytes()


class TesseractEngine:
    """The ``tesseract`` CLI (5.x), one process per call, TSV output."""

    name = "tesseract"

    def __init__(self, lang: str = "ind+eng", binary: str = "tesseract", timeout: float = 120.0,
                 extra_config: dict[str, str] | None = None) -> None:
        self.lang = lang
        self.binary = binary
        self.timeout = timeout
        self.extra_config = dict(extra_config or {})

    def _run(self, image: np.ndarray, args: list[str]) -> str:
        cmd = [self.binary, "stdin", "stdout", *args]
        try:
            p = subprocess.run(cmd, input=_png(image), capture_output=True, env=_env(),
                               timeout=self.timeout, check=False)
        except FileNotFoundError as e:  # pragma: no cover - depends on the host
            raise OcrError(f"{self.binary} not found") from e
        except subprocess.TimeoutExpired as e:
            raise OcrError(f"tesseract timed out after {self.timeout}s") from e
        if p.returncode != 0:
            raise OcrError(f"tesseract failed ({p.returncode}): {p.stderr.decode(errors='replace')[-400:]}")
        return p.stdout.decode("utf-8", errors="replace")

    def words(self, image: np.ndarray, *, dpi: int = 300, psm: int = 3) -> list[Word]:
        args = ["-l", self.lang, "--psm", str(psm), "--dpi", str(int(dpi))]
        for k, v in self.extra_config.items():
            args += ["-c", f"{k}={v}"]
        out = self._run(image, [*args, "tsv"])
        return parse_tsv(out)

    def lines(self, image: np.ndarray, *, dpi: int = 300, psm: int = 3) -> list[Line]:
        return group_lines(self.words(image, dpi=dpi, psm=psm))

    def orientation(self, image: np.ndarray, *, dpi: int = 300) -> Orientation | None:
        """Tesseract OSD (``--psm 0``, needs ``osd.traineddata``); None when it cannot tell."""
        try:
            out = self._run(image, ["--psm", "0", "--dpi", str(int(dpi))])
        except OcrError:
            return None
        m = re.search(r"Rotate:\s*(\d+)", out)
        c = re.search(r"Orientation confidence:\s*([\d.]+)", out)
        if not m:
            return None
        return Orientation(rotate=int(m.group(1)) % 360, confidence=float(c.group(1)) if c else 0.0)


def parse_tsv(tsv: str) -> list[Word]:
    words: list[Word] = []
    lines = tsv.splitlines()
    for row in lines[1:]:
        parts = row.split("\t")
        if len(parts) < 12 or parts[0] != "5":
            continue
        text = parts[11].strip()
        if not text:
            continue
        try:
            left, top, w, h = (int(parts[i]) for i in (6, 7, 8, 9))
            conf = float(parts[10])
            block, par, line = int(parts[2]), int(parts[3]), int(parts[4])
        except ValueError:
            continue
        words.append(Word(text, (left, top, left + w, top + h), max(conf, 0.0), block, par, line))
    return words


def group_lines(words: list[Word]) -> list[Line]:
    """Group words by Tesseract's (block, paragraph, line) ids, keeping its order."""
    out: list[Line] = []
    key = None
    for w in words:
        k = (w.block, w.par, w.line)
        if k != key:
            out.append(Line([]))
            key = k
        out[-1].words.append(w)
    return out
