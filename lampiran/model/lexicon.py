"""An OCR language's dictionary: the word list Tesseract's own traineddata
carries (its LSTM word DAWG), read out with Tesseract's own tools
(``combine_tessdata``, ``dawg2wordlist``; both ship in Debian's
``tesseract-ocr``). Indonesian: 75,826 entries, 44,892 words in lower case,
"sekretaris" and "lingkungan" among them, "sekretans" and "kngkungan" not.

Read once per process (about 0.3 s); empty where Tesseract, its tools or the
language's data are missing, and then nothing is looked up in it.
"""

from __future__ import annotations

import functools
import re
import subprocess
import tempfile
from pathlib import Path

_TIMEOUT = 60.0


def _tessdata() -> Path | None:
    """Where Tesseract finds its languages, as it says itself (``TESSDATA_PREFIX`` included)."""
    try:
        p = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, timeout=_TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    m = re.search(r'"([^"]+)"', p.stdout + p.stderr)
    return Path(m.group(1)) if m else None


@functools.lru_cache(maxsize=4)
def words(lang: str) -> frozenset[str]:
    """The words of Tesseract's ``lang`` dictionary, in lower case."""
    tessdata = _tessdata()
    if tessdata is None or not (tessdata / f"{lang}.traineddata").is_file():
        return frozenset()
    with tempfile.TemporaryDirectory(prefix="lampiran-lexicon-") as tmp:
        dawg, charset, out = (Path(tmp) / f"{lang}.{part}" for part in ("lstm-word-dawg", "lstm-unicharset", "words"))
        try:
            subprocess.run(["combine_tessdata", "-e", str(tessdata / f"{lang}.traineddata"), str(dawg), str(charset)],
                           capture_output=True, timeout=_TIMEOUT, check=True)
            subprocess.run(["dawg2wordlist", str(charset), str(dawg), str(out)],
                           capture_output=True, timeout=_TIMEOUT, check=True)
            text = out.read_text(encoding="utf-8")
        except (OSError, subprocess.SubprocessError):
            return frozenset()
    return frozenset(w.lower() for w in text.split())
