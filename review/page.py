"""The review page's HTML: facts, warnings, the plan as a Gantt chart, the
page images with their overlay, and the records; one file, no server."""

from __future__ import annotations

import base64
import json
from collections import defaultdict
from html import escape
from importlib import resources

from lampiran.model.interim import Document
from lampiran.model.records import Plan
from lampiran.model.warnings import Notice
from lampiran.review.images import PageImage
from lampiran.review.overlay import Box, cell_boxes, mark_boxes

BULAN = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
TEXT_FIELDS = ("area_perubahan", "kegiatan", "sub_kegiatan", "indikator_keberhasilan", "penanggung_jawab", "keterangan")


def _asset(name: str) -> str:
    return resources.files("lampiran.review").joinpath(name).read_text(encoding="utf-8")


def _attrs(d: dict[str, str]) -> str:
    return "".join(f' {k}="{escape(v)}"' for k, v in sorted(d.items()))


def _box_html(b: Box, img: PageImage) -> str:
    sx, sy = 100.0 / img.width_pt, 100.0 / img.height_pt
    x0, top, x1, bottom = b.bbox
    style = (f"left:{x0 * sx:.3f}%;top:{top * sy:.3f}%;width:{(x1 - x0) * sx:.3f}%;"
             f"height:{(bottom - top) * sy:.3f}%")
    return f'<div class="{b.css}" style="{style}" title="{escape(b.title)}"{_attrs(b.attrs)}></div>'


def _pages_html(doc: Document, plan: Plan, images: dict[int, PageImage]) -> str:
    boxes: dict[int, list[Box]] = defaultdict(list)
    for b in cell_boxes(doc, plan) + mark_boxes(plan):
        boxes[b.page].append(b)
    parts = []
    for n, img in sorted(images.items()):
        data = base64.b64encode(img.jpeg).decode("ascii")
        overlay = "\n".join(_box_html(b, img) for b in boxes.get(n, []))
        parts.append(f'<section class="page" id="page-{n}"><h2>Halaman {n}</h2>'
                     f'<div class="sheet" style="width:{img.width_px}px">'
                     f'<img alt="page {n}" src="data:image/jpeg;base64,{data}" width="{img.width_px}" '
                     f'height="{img.height_px}">\n{overlay}</div></section>')
    return "\n".join(parts)


def _warnings_html(plan: Plan, images: dict[int, PageImage]) -> str:
    items = []
    for w in plan.warnings:
        n = Notice.parse(w)
        where = f'<a href="#page-{n.page}">page {n.page}</a>' if n.page in images else (
            f"page {n.page}" if n.page else "document")
        items.append(f'<li class="warning" data-code="{escape(n.code)}">{where}: {escape(n.message)} '
                     f'<code>{escape(n.code)}</code></li>')
    return f'<section id="warnings"><h2>Warnings ({len(items)})</h2><ul>{"".join(items)}</ul></section>'


def _gantt_html(plan: Plan) -> str:
    """One bar row per activity, grouped by area and kegiatan, months Jan .. Des."""
    months = plan.months
    head = "".join(f"<th>{m}</th>" for m in BULAN)
    rows, area, keg = [], None, None
    for a in plan.activities:
        if a.area_perubahan != area:
            area = a.area_perubahan
            rows.append(f'<tr class="area"><th colspan="14">{escape(a.area_no)} {escape(area)}</th></tr>')
        if a.kegiatan != keg:
            keg = a.kegiatan
            rows.append(f'<tr class="kegiatan"><th colspan="14">{escape(a.kegiatan_no)} {escape(keg)}</th></tr>')
        planned = set(months.get(a.activity_no, ()))
        cells = "".join(f'<td class="month{" bar" if m in planned else ""}" data-bulan="{m}"></td>' for m in range(1, 13))
        rows.append(f'<tr class="gantt-row" data-activity="{a.activity_no}"><td class="no">{a.activity_no}</td>'
                    f'<td class="label">{escape(a.sub_kegiatan or a.indikator_keberhasilan)}</td>{cells}</tr>')
    return (f'<section id="gantt"><h2>Jadwal (Gantt)</h2><table class="gantt"><thead><tr><th>#</th><th>sub kegiatan</th>'
            f'{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></section>')


def _records_html(plan: Plan) -> str:
    months = plan.months
    head = "".join(f"<th>{f}</th>" for f in ("activity_no", *TEXT_FIELDS, "bulan", "page"))
    rows = []
    for a in plan.activities:
        tds = "".join(f'<td data-field="{f}">{escape(getattr(a, f))}</td>' for f in TEXT_FIELDS)
        bulan = ",".join(str(m) for m in months.get(a.activity_no, ()))
        rows.append(f'<tr class="activity" data-activity="{a.activity_no}" data-page="{a.page_first}">'
                    f'<td>{a.activity_no}</td>{tds}<td data-months="{bulan}">{bulan}</td>'
                    f'<td><a href="#page-{a.page_first}">{a.page_first}</a></td></tr>')
    acts = (f'<h3>activities ({len(plan.activities)})</h3><table class="records"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>') if plan.activities else ""
    cells = "".join(
        f'<tr class="table-cell" data-page="{c.page}"><td>{c.table_no}</td><td>{c.row_no}</td><td>{c.col_no}</td>'
        f'<td>{escape(c.column)}</td><td data-key="{c.table_no}:{c.row_no}:{c.col_no}" data-cellvalue>'
        f'{escape(c.value)}</td><td>{c.confidence:.2f}</td></tr>' for c in plan.cells)
    generic = (f'<h3>table_cells ({len(plan.cells)})</h3><table class="records cells"><thead><tr><th>table</th>'
               f'<th>row</th><th>col</th><th>column</th><th>value</th><th>conf.</th></tr></thead>'
               f'<tbody>{cells}</tbody></table>') if plan.cells else ""
    return f'<section id="records"><h2>Records</h2>{acts}{generic}</section>'


def review_html(doc: Document, plan: Plan, images: dict[int, PageImage]) -> str:
    d = plan.document
    facts = "".join(f"<dt>{k}</dt><dd>{escape(str(v))}</dd>" for k, v in (
        ("file", d.source_file), ("nomor", d.nomor), ("tentang", d.tentang), ("instansi", d.instansi),
        ("tanggal ditetapkan", d.tanggal_ditetapkan), ("mengubah", d.mengubah_nomor), ("kind", d.kind),
        ("pages", d.pages), ("activities", len(plan.activities)), ("planned months", len(plan.schedule))))
    meta = json.dumps({"doc_id": plan.doc_id, "months": {str(k): list(v) for k, v in plan.months.items()}})
    meta = meta.replace("</", "<\\/")  # JSON inside <script>: no "</script>" can close it early
    return f"""<!doctype html>
<html lang="id"><head><meta charset="utf-8"><title>lampiran review: {escape(d.source_file)}</title>
<style>{_asset("review.css")}</style></head>
<body data-doc="{escape(plan.doc_id)}">
<header><h1>{escape(d.nomor or d.source_file)}</h1><dl>{facts}</dl>
<div class="tools"><button id="edit" type="button">Edit mode</button>
<button id="download" type="button">Download corrections (<span id="n-corrections">0</span>)</button></div>
<div id="info" aria-live="polite"></div></header>
{_warnings_html(plan, images)}
{_gantt_html(plan) if plan.activities else ""}
<div class="columns"><main id="pages">{_pages_html(doc, plan, images)}</main>
{_records_html(plan)}</div>
<script type="application/json" id="lampiran-data">{meta}</script>
<script>{_asset("review.js")}</script>
</body></html>
"""
