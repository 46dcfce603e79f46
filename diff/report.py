"""Human-readable diff reports: Markdown for the terminal, one HTML page.

Both list changes under the area/kegiatan an activity now belongs to (the old
one for a removed activity). The HTML page is self-contained (inline CSS, no
scripts, no external assets) and escapes every document text.
"""

from __future__ import annotations

import difflib
import html
import re
from collections.abc import Sequence

from lampiran.diff.plan import Plan
from lampiran.diff.revisions import CHANGES, Entry, RevisionRecord, counts
from lampiran.diff.text import clean
from lampiran.model.records import ActivityRecord, DocumentRecord

_FIELD_LABEL = {
    "sub_kegiatan": "Sub kegiatan",
    "indikator_keberhasilan": "Indikator",
    "penanggung_jawab": "Penanggung jawab",
    "keterangan": "Keterangan",
    "kegiatan": "Kegiatan",
    "area_perubahan": "Area perubahan",
    "bulan": "Bulan",
}


def _numbered(no: str, text: str) -> str:
    no, text = clean(no).rstrip("."), clean(text)
    return f"{no}. {text}" if no and text else (text or no or "(tanpa judul)")


def _group(a: ActivityRecord) -> tuple[str, str]:
    return clean(a.area_perubahan), clean(a.kegiatan)


def _title(d: DocumentRecord) -> str:
    return clean(d.nomor) or d.doc_id


# ---- Markdown ------------------------------------------------------------------


def _md_cell(s: str) -> str:
    return s.replace("\\", "\\\\").replace("|", "\\|")


def _md_quote(s: str) -> str:
    return f"“{s}”" if s else "(kosong)"


# Where ``lampiran review`` writes its pages, from the folder of a diff report
# (data/diff or data/clean): each change links to both versions' page images.
REVIEW = "../review"


def review_link(p: Plan, activity_no: int) -> tuple[int, str]:
    """The page where ``activity_no`` starts, and ``p``'s review page there."""
    page = p.activity(activity_no).page_first
    return page, f"{REVIEW}/{p.doc_id}.html#page-{page}"


def _md_links(r: RevisionRecord, old: Plan, new: Plan) -> str:
    links = []
    for side, p, no in (("old", old, r.old_activity_no), ("new", new, r.new_activity_no)):
        if no:
            page, href = review_link(p, no)
            links.append(f"[{side} p.{page}]({href})")
    return f" ({', '.join(links)})"


def _md_line(r: RevisionRecord, old: Plan, new: Plan) -> str:
    return _md_text(r) + _md_links(r, old, new)


def _md_text(r: RevisionRecord) -> str:
    if r.change == "added":
        return f"- **added** (new #{r.new_activity_no}): {_md_quote(r.new_value)}"
    if r.change == "removed":
        return f"- **removed** (old #{r.old_activity_no}): {_md_quote(r.old_value)}"
    nos = f"(#{r.old_activity_no} → #{r.new_activity_no})"
    if r.change == "months_changed":
        old, new = set(_months(r.old_value)), set(_months(r.new_value))
        detail = []
        if new - old:
            detail.append("+" + ",".join(map(str, sorted(new - old))))
        if old - new:
            detail.append("−" + ",".join(map(str, sorted(old - new))))
        months = f"{r.old_value or '(none)'} → {r.new_value or '(none)'}"
        return f"- **months_changed** {nos} bulan: {months} ({' '.join(detail)})"
    return f"- **{r.change}** {nos} {r.field}: {_md_quote(r.old_value)} → {_md_quote(r.new_value)}"


def _months(text: str) -> list[int]:
    return [int(x) for x in text.split(",") if x]


def markdown_report(old: Plan, new: Plan, entries: Sequence[Entry]) -> str:
    rows = [r for e in entries for r in e.rows]
    n = counts(rows)
    out = [f"# Perubahan rencana aksi: {_title(old.document)} → {_title(new.document)}", ""]
    out += ["| | doc_id | nomor | tanggal_ditetapkan | activities |", "|---|---|---|---|---:|"]
    for side, p in (("old", old), ("new", new)):
        d = p.document
        cells = [side, _md_cell(d.doc_id), _md_cell(clean(d.nomor)), d.tanggal_ditetapkan, str(len(p.activities))]
        out.append(f"| {' | '.join(cells)} |")
    out += ["", "| change | rows |", "|---|---:|"]
    out += [f"| {c} | {n[c]} |" for c in CHANGES]
    out += [f"| **total** | {len(rows)} |", ""]
    if not rows:
        out += ["No changes.", ""]
        return "\n".join(out)

    # Group by (area, kegiatan) in order of first appearance.
    groups: dict[tuple[str, str], tuple[ActivityRecord, list[RevisionRecord]]] = {}
    for e in entries:
        if e.rows:
            key = _group(e.where)
            groups.setdefault(key, (e.where, []))[1].extend(e.rows)
    last_area = None
    for (area, _), (act, grows) in groups.items():
        if area != last_area:
            out += [f"## {_numbered(act.area_no, act.area_perubahan)}", ""]
            last_area = area
        out += [f"### {_numbered(act.kegiatan_no, act.kegiatan)}", ""]
        out += [_md_line(r, old, new) for r in grows]
        out.append("")
    return "\n".join(out)


# ---- HTML ----------------------------------------------------------------------

_CSS = """
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}
h1{font-size:1.3em} table{border-collapse:collapse}
.summary td,.summary th,.docs td,.docs th{border:1px solid #ccc;padding:2px 8px;text-align:left}
.plan{width:100%;margin-top:1em}
.plan>thead th{background:#eee;border:1px solid #ccc;padding:4px}
.plan>tbody>tr>td{border:1px solid #ddd;padding:4px;vertical-align:top}
.plan tr.grp td{background:#f4f4f8;font-weight:600}
.plan td.no{text-align:right;color:#666;width:2.5em}
.plan td.sep{width:6px;background:#eee;padding:0}
tr.added td.new,tr.added td.newno{background:#e6f6e6}
tr.removed td.old,tr.removed td.oldno{background:#fbe6e6}
tr.changed td.old,tr.changed td.new{background:#fffbe6}
.f{margin:1px 0}.f .k{color:#777;font-size:.85em;margin-right:.4em}
.f.chg{outline:1px dashed #d0a000}
del{background:#f8c8c8;text-decoration:line-through}ins{background:#c8ecc8;text-decoration:none}
.tag{font-size:.75em;padding:0 4px;border-radius:3px;background:#ddd;margin-right:3px}
table.m{border-collapse:collapse}table.m td{width:14px;height:14px;border:1px solid #ccc;padding:0;
font-size:9px;text-align:center;color:#999}
table.m td.on{background:#5b7db1;color:#fff}table.m td.add{background:#2e9e44;color:#fff}
table.m td.rm{background:#d9534f;color:#fff}
.legend span{display:inline-block;padding:0 6px;margin-right:6px;color:#fff}
"""

_ROW_FIELDS = ("sub_kegiatan", "indikator_keberhasilan", "penanggung_jawab", "keterangan")
_WORD = re.compile(r"\S+|\s+")


def _e(s: object) -> str:
    return html.escape(str(s), quote=True)


def _word_diff(old: str, new: str) -> tuple[str, str]:
    """Escaped old/new text with removed words in <del> and added words in <ins>."""
    a, b = _WORD.findall(old), _WORD.findall(new)
    o, n = [], []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        ot, nt = _e("".join(a[i1:i2])), _e("".join(b[j1:j2]))
        if tag == "equal":
            o.append(ot)
            n.append(nt)
            continue
        if ot:
            o.append(f"<del>{ot}</del>")
        if nt:
            n.append(f"<ins>{nt}</ins>")
    return "".join(o), "".join(n)


def _grid(months: set[int], other: set[int], side: str) -> str:
    """12 cells: months on both sides "on", only in new "add", only in old "rm".

    ``other`` is the partner's months (empty for an added/removed activity,
    whose months are then all added/removed).
    """
    cells = []
    for m in range(1, 13):
        cls = ""
        if m in months:
            cls = "on" if m in other else ("add" if side == "new" else "rm")
        cells.append(f'<td class="{cls}" title="bulan {m}">{m}</td>' if cls else f'<td title="bulan {m}">{m}</td>')
    return f'<table class="m"><tr>{"".join(cells)}</tr></table>'


def _side(
    a: ActivityRecord | None, changed: dict[str, tuple[str, str]], side: str, months: set[int], other: set[int]
) -> str:
    if a is None:
        return ""
    parts = []
    for f in _ROW_FIELDS:
        text = clean(getattr(a, f))
        if f in changed:
            body = changed[f][0 if side == "old" else 1]
            parts.append(f'<div class="f chg"><span class="k">{_e(_FIELD_LABEL[f])}</span>{body}</div>')
        elif text:
            parts.append(f'<div class="f"><span class="k">{_e(_FIELD_LABEL[f])}</span>{_e(text)}</div>')
    for f in ("area_perubahan", "kegiatan"):
        if f in changed:
            body = changed[f][0 if side == "old" else 1]
            parts.append(f'<div class="f chg"><span class="k">{_e(_FIELD_LABEL[f])}</span>{body}</div>')
    parts.append(_grid(months, other, side))
    return "".join(parts)


def _review_a(p: Plan, a: ActivityRecord | None) -> str:
    """The activity's number, linked to its page in the review page."""
    if a is None:
        return ""
    page, href = review_link(p, a.activity_no)
    return f'<a class="review" href="{_e(href)}" title="review page, p.{page}">{a.activity_no}</a>'


def _entry_row(old: Plan, new: Plan, e: Entry) -> str:
    kinds = sorted({r.change for r in e.rows}, key=CHANGES.index)
    cls = "added" if e.old is None else "removed" if e.new is None else ("changed" if e.rows else "same")
    changed = {r.field: _word_diff(r.old_value, r.new_value) for r in e.rows if r.change in ("text_changed", "moved")}
    om = set(old.bulan(e.old.activity_no)) if e.old else set()
    nm = set(new.bulan(e.new.activity_no)) if e.new else set()
    tags = "".join(f'<span class="tag">{_e(k)}</span>' for k in kinds)
    return (
        f'<tr class="{cls}">'
        f'<td class="no oldno">{_review_a(old, e.old)}</td>'
        f'<td class="old">{_side(e.old, changed, "old", om, nm)}</td>'
        f'<td class="sep"></td>'
        f'<td class="no newno">{_review_a(new, e.new)}</td>'
        f'<td class="new">{tags}{_side(e.new, changed, "new", nm, om)}</td>'
        "</tr>"
    )


def html_report(old: Plan, new: Plan, entries: Sequence[Entry]) -> str:
    rows = [r for e in entries for r in e.rows]
    n = counts(rows)
    title = f"Perubahan rencana aksi: {_title(old.document)} → {_title(new.document)}"
    docs = "".join(
        f"<tr><th>{side}</th><td>{_e(p.doc_id)}</td><td>{_e(clean(p.document.nomor))}</td>"
        f"<td>{_e(clean(p.document.tentang))}</td><td>{_e(p.document.tanggal_ditetapkan)}</td>"
        f"<td>{len(p.activities)}</td></tr>"
        for side, p in (("old", old), ("new", new))
    )
    summary = "".join(f"<tr><td>{c}</td><td>{n[c]}</td></tr>" for c in CHANGES)
    body: list[str] = []
    last: tuple[str, str] | None = None
    for e in entries:
        key = _group(e.where)
        if key != last:
            w = e.where
            head = f"{_numbered(w.area_no, w.area_perubahan)} — {_numbered(w.kegiatan_no, w.kegiatan)}"
            body.append(f'<tr class="grp"><td colspan="5">{_e(head)}</td></tr>')
            last = key
        body.append(_entry_row(old, new, e))
    return (
        "<!DOCTYPE html>\n"
        '<html lang="id"><head><meta charset="utf-8">'
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>\n"
        f"<h1>{_e(title)}</h1>\n"
        '<table class="docs"><tr><th></th><th>doc_id</th><th>nomor</th><th>tentang</th>'
        f"<th>tanggal_ditetapkan</th><th>activities</th></tr>{docs}</table>\n"
        f'<h2>Ringkasan</h2><table class="summary"><tr><th>change</th><th>rows</th></tr>{summary}'
        f"<tr><th>total</th><th>{len(rows)}</th></tr></table>\n"
        '<p class="legend">Bulan: <span style="background:#5b7db1">both</span>'
        '<span style="background:#2e9e44">added</span><span style="background:#d9534f">removed</span></p>\n'
        '<table class="plan"><thead><tr><th colspan="2">Lama (old)</th><th class="sep"></th>'
        f'<th colspan="2">Baru (new)</th></tr></thead><tbody>\n{chr(10).join(body)}\n</tbody></table>\n'
        "</body></html>\n"
    )
