"""Stage 1, extract: PDF -> per-document intermediate JSON in ``data/interim/``.

Named steps, each small: check and open the file, pick a reader per page,
read the pages, read the SK's facts from the body, mark the tables that may
continue on the next page, write the intermediate atomically.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pdfplumber

from lampiran.extract.base import PageResult
from lampiran.extract.options import ExtractOptions
from lampiran.extract.cut_words import rejoin_cut_words
from lampiran.extract.damage import document_damage
from lampiran.extract.pages import read_digital
from lampiran.extract.facts import complete_from_heading, parse_facts, parse_lampiran_heading
from lampiran.extract.nomor_repair import cut_nomors, doubtful_months, garbled_starts, repair_scanned_facts
from lampiran.extract.pdf import open_pdf
from lampiran import __version__
from lampiran.model.errors import LampiranError
from lampiran.model.interim import Document, Table, doc_id_for
from lampiran.model.io import atomic_write_text, sha256_file
from lampiran.model.lexicon import plan_dictionary
from lampiran.model.warnings import notice
from lampiran.model.word_cuts import unsure

_LAMPIRAN_HEAD = re.compile(r"^\s*LAMPIRAN\b", re.I | re.M)
# A table bottom within this distance of the lowest table bottom on same-size
# pages ends at the page's printable limit: its last row may continue overleaf.
_BOTTOM_SLACK = 14.0




def read_pages(
    pdf: pdfplumber.PDF, path: Path, progress: Callable[[int, int], None] | None = None,
    options: ExtractOptions = ExtractOptions(),
) -> tuple[list[PageResult], list[str]]:
    n = len(pdf.pages)
    done = 0

    def tick(k: int) -> None:
        nonlocal done
        done += k
        if progress:
            progress(done, n)

    results, image_pages, damage = read_digital(pdf, path, options, tick)
    for res in _read_image_pages(pdf, path, image_pages, options):
        results[res.page] = res
        tick(1)
    warnings: list[str] = list(damage)
    ordered = [results[i] for i in range(1, n + 1)]
    for res in ordered:
        warnings.extend(f"page {res.page}: {w}" for w in res.warnings)  # "page N: message [code]"
    return ordered, warnings


def _read_image_pages(pdf: pdfplumber.PDF, path: Path, pages: list[int], options: ExtractOptions) -> Iterator[PageResult]:
    """The scanned reader over ``pages``: in this process, or a pool across pages."""
    if not pages:
        return
    # Imported here: OpenCV and the OCR engine load only for image pages.
    from lampiran.extract.scan.ocr import make_engine
    from lampiran.extract.scan.reader import ScannedReader, read_page_file

    reader = ScannedReader(engine=make_engine(options.ocr_engine, options.ocr_lang), dpi=options.dpi)
    workers = options.page_workers(len(pages))
    if workers > 1:
        from concurrent.futures import ProcessPoolExecutor

        n = len(pages)
        with ProcessPoolExecutor(max_workers=workers) as ex:
            yield from ex.map(read_page_file, [str(path)] * n, pages, [reader] * n, [options.password] * n)
        return
    for page_no in pages:
        yield reader.read_page(pdf, page_no)


def _mark_page_bottoms(tables: list[Table], page_heights: dict[int, float]) -> None:
    """Flag tables that end at their page's printable bottom (see ``_BOTTOM_SLACK``)."""
    lowest: dict[float, float] = {}
    for t in tables:
        h = round(page_heights.get(t.page, 0.0))
        lowest[h] = max(lowest.get(h, 0.0), t.bbox[3])
    for t in tables:
        t.touches_page_bottom = t.bbox[3] >= lowest[round(page_heights.get(t.page, 0.0))] - _BOTTOM_SLACK


def body_text(results: list[PageResult]) -> str:
    """The keputusan body: page texts before the lampiran begins."""
    parts = []
    for r in results:
        m = _LAMPIRAN_HEAD.search(r.text)
        if m and r.tables:
            parts.append(r.text[: m.start()])
            break
        if r.tables and parts:
            break
        parts.append(r.text)
        # After the page's own text, so the first NOMOR and TENTANG still come
        # from it, while a date only the second reading holds is found last.
        if r.alt_text:
            parts.append(r.alt_text)
    return "\n".join(parts)


def extract_document(
    path: Path, progress: Callable[[int, int], None] | None = None, options: ExtractOptions = ExtractOptions()
) -> Document:
    path = Path(path)
    sha = sha256_file(path) if path.is_file() else ""
    pdf = open_pdf(path, options.password)
    try:
        page_heights = {i + 1: float(p.height) for i, p in enumerate(pdf.pages)}
        results, warnings = read_pages(pdf, path, progress, options)
        warnings = document_damage(pdf.doc, path) + warnings
    except LampiranError as e:
        raise LampiranError(path, e.reason, e.stage) from None  # named as the caller named it
    except Exception as e:  # a reader failing on a broken page stream
        raise LampiranError(path, f"cannot read pages ({type(e).__name__}: {e})") from None
    finally:
        pdf.close()
    tables, cut_doubts = rejoin_cut_words(results, plan_dictionary)
    warnings += [unsure(pieces, page) for page, pieces in cut_doubts]
    _mark_page_bottoms(tables, page_heights)
    facts = parse_facts(body_text(results))
    if not facts.nomor:
        # A lampiran-only file: its heading repeats the SK's nomor and date.
        facts = parse_facts("\n".join(r.text for r in results[:2]))
    # A nomor or date left blank in the body (written by hand after printing)
    # is often typed in the lampiran heading.
    taken = complete_from_heading(facts, parse_lampiran_heading("\n".join(r.text for r in results)))
    warnings += [notice("facts_from_heading", f"{what} read from the lampiran heading (blank in the keputusan body)") for what in taken]
    if results and results[0].kind == "scanned":  # OCR's O for 0, l for 1, a code's slash lost
        ocr_text = "\n".join(t for r in results for t in (r.text, r.alt_text) if t)
        repair_scanned_facts(facts, ocr_text)
        warnings += [notice("month_uncertain", doubt) for doubt in doubtful_months(facts, ocr_text)]
        warnings += [notice("nomor_implausible", why) for why in cut_nomors(facts, ocr_text) + garbled_starts(facts)]
        stated = {facts.nomor, facts.mengubah_nomor, facts.tanggal_ditetapkan} - {""}
        warnings += [notice("facts_unsure", f"page {r.page}: {why}") for r in results for fact, why in r.fact_doubts
                     if fact in stated]
    kinds = [r.kind for r in results]
    kind = kinds[0] if len(set(kinds)) == 1 else "mixed"
    return Document(
        doc_id=doc_id_for(sha),
        source_file=path.name,
        sha256=sha,
        pages=len(results),
        kind=kind,
        page_kinds=kinds,
        facts=facts,
        tables=tables,
        warnings=warnings,
        pipeline_version=__version__,
    )


def write_interim(doc: Document, out_dir: Path) -> Path:
    path = Path(out_dir) / f"{doc.doc_id}.json"
    atomic_write_text(path, doc.to_json())
    return path
