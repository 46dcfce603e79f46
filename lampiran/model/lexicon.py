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

# Where Debian, Ubuntu, Fedora and Homebrew put the language data, tried
# when the ``tesseract`` command cannot say.
_TESSDATA_DIRS = ("/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata",
                  "/usr/share/tessdata", "/usr/local/share/tessdata", "/opt/homebrew/share/tessdata")


@functools.lru_cache(maxsize=4)
def tessdata_dir(binary: str = "tesseract") -> str | None:
    """The folder of the installed language data, as the ``tesseract`` command
    reports it ('List of available languages in "/usr/share/..."',
    ``TESSDATA_PREFIX`` included), else the first well-known folder that has
    any. Asked once per process: the command line's check, every document's
    API engine and the dictionary need it."""
    try:
        p = subprocess.run([binary, "--list-langs"], capture_output=True, text=True, timeout=30, check=False)
        m = re.search(r'"([^"]+)"', (p.stdout + p.stderr).splitlines()[0]) if (p.stdout + p.stderr) else None
        if m and Path(m.group(1)).is_dir():
            return m.group(1)
    except (OSError, subprocess.TimeoutExpired):
        pass
    return next((d for d in _TESSDATA_DIRS if any(Path(d).glob("*.traineddata"))), None)


@functools.lru_cache(maxsize=4)
def words(lang: str) -> frozenset[str]:
    """The words of Tesseract's ``lang`` dictionary, in lower case."""
    where = tessdata_dir()
    tessdata = Path(where) if where else None
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


# The plans' dictionary: Indonesian alone (with English's 338,080 words
# "Lumaing" became "Limiting").
PLAN_LANG = "ind"


@functools.lru_cache(maxsize=1)
def plan_dictionary() -> frozenset[str]:
    """Tesseract's Indonesian words and the plans' own (``vocab.PLAN_WORDS``);
    none where Tesseract's are missing."""
    from lampiran.model.vocab import PLAN_WORDS

    lexicon = words(PLAN_LANG)
    return lexicon | PLAN_WORDS if lexicon else lexicon
