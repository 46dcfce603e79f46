"""Pair up OLD and NEW activities, whatever their numbers say.

Numbers are useless for matching (an inserted row renumbers everything after
it), so pairs are found on text: sub_kegiatan and indikator weigh most,
kegiatan/area a little, penanggung_jawab a little more than nothing. Two
passes, each an optimal (Hungarian) assignment:

1. within the same area+kegiatan (headings matched to each other fuzzily, so
   OCR noise in a heading does not split its group), keeping a pair only if
   no other group holds a clearly better partner (an activity moved away is
   not captured by a look-alike newcomer in its old kegiatan);
2. across everything still unmatched (activities moved to another kegiatan).

A pair scoring below ``THRESHOLD`` is not a match: the activities are reported
as removed + added rather than as one heavily "changed" activity.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from lampiran.diff.assign import linear_sum_assignment
from lampiran.diff.plan import Plan
from lampiran.diff.text import norm
from lampiran.model.records import ActivityRecord

# Field weights of the activity similarity (0..100). Fields empty on both sides
# drop out and the rest are re-weighted.
WEIGHTS: dict[str, float] = {
    "sub_kegiatan": 0.50,
    "indikator_keberhasilan": 0.30,
    "kegiatan": 0.10,
    "area_perubahan": 0.05,
    "penanggung_jawab": 0.05,
}
THRESHOLD = 75.0  # below: removed + added (calibrated on the seed plan: see tests)
GROUP_THRESHOLD = 85.0  # two headings (area+kegiatan) are the same group
# The activity's own text, without its headings: what says "same activity"
# regardless of where it sits.
CONTENT = {k: v for k, v in WEIGHTS.items() if k not in ("kegiatan", "area_perubahan")}
GROUP_MARGIN = 5.0  # how much better (in CONTENT similarity) a partner elsewhere must be to win
# Tie-breaks (same text twice, e.g. "Rapat koordinasi" in one kegiatan): prefer
# the same months and the same relative position. Worth far less than one
# character of text similarity, so they only ever decide exact ties.
_TIE = 0.01


@dataclass(frozen=True)
class Matching:
    pairs: tuple[tuple[int, int], ...]  # (old activity_no, new activity_no), by new activity_no
    removed: tuple[int, ...]  # old activity_no without a partner
    added: tuple[int, ...]  # new activity_no without a partner
    scores: dict[tuple[int, int], float]  # similarity of each pair


def _text_sim(a: Sequence[str], b: Sequence[str]) -> np.ndarray:
    """Pairwise similarity, tolerant of reordered words; empty vs text = 0."""
    if not a or not b:
        return np.zeros((len(a), len(b)))
    r = process.cdist(a, b, scorer=fuzz.ratio, workers=1)
    t = process.cdist(a, b, scorer=fuzz.token_sort_ratio, workers=1)
    return np.maximum(r, t).astype(float)


def similarity(
    old: Sequence[ActivityRecord], new: Sequence[ActivityRecord], weights: dict[str, float] | None = None
) -> np.ndarray:
    """Weighted text similarity (0..100) of every old x new activity."""
    num = np.zeros((len(old), len(new)))
    den = np.zeros((len(old), len(new)))
    for name, w in (weights or WEIGHTS).items():
        a = [norm(getattr(x, name)) for x in old]
        b = [norm(getattr(x, name)) for x in new]
        present = np.logical_or.outer(np.array([bool(s) for s in a], bool), np.array([bool(s) for s in b], bool))
        num += w * _text_sim(a, b) * present
        den += w * present
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1), 0.0)


def _group_key(a: ActivityRecord) -> tuple[str, str]:
    return norm(a.area_perubahan), norm(a.kegiatan)


def _group_map(old: Sequence[ActivityRecord], new: Sequence[ActivityRecord]) -> dict[tuple[str, str], tuple[str, str]]:
    """Old heading -> new heading, one-to-one, for headings that are (nearly) the same."""
    og = sorted({_group_key(a) for a in old})
    ng = sorted({_group_key(a) for a in new})
    if not og or not ng:
        return {}
    keg = _text_sim([k for _, k in og], [k for _, k in ng])
    area = _text_sim([a for a, _ in og], [a for a, _ in ng])
    # Both headings empty means "no heading" on both sides: the same group.
    keg[np.ix_([not k for _, k in og], [not k for _, k in ng])] = 100.0
    area[np.ix_([not a for a, _ in og], [not a for a, _ in ng])] = 100.0
    score = 0.7 * keg + 0.3 * area
    rows, cols = linear_sum_assignment(score, maximize=True)
    return {og[r]: ng[c] for r, c in zip(rows, cols) if score[r, c] >= GROUP_THRESHOLD}


def _tie_break(old: Plan, new: Plan) -> np.ndarray:
    n_old, n_new = len(old.activities), len(new.activities)
    pos_o = np.arange(n_old) / max(n_old - 1, 1)
    pos_n = np.arange(n_new) / max(n_new - 1, 1)
    closeness = 1.0 - np.abs(pos_o[:, None] - pos_n[None, :])
    same_months = np.zeros((n_old, n_new))
    for i, a in enumerate(old.activities):
        ma = set(old.bulan(a.activity_no))
        for j, b in enumerate(new.activities):
            mb = set(new.bulan(b.activity_no))
            union = ma | mb
            same_months[i, j] = len(ma & mb) / len(union) if union else 1.0
    return _TIE * (closeness + same_months) / 2


def _best(values: np.ndarray, mask: np.ndarray) -> float:
    return float(values[mask].max()) if mask.any() else 0.0


def _assign(weight: np.ndarray, allowed: np.ndarray) -> list[tuple[int, int]]:
    """Optimal one-to-one pairs among ``allowed`` maximising total ``weight``."""
    w = np.where(allowed, weight, 0.0)
    if not w.size or not (w > 0).any():
        return []
    rows, cols = linear_sum_assignment(w, maximize=True)
    # A zero-weight pair is the solver's filler, not a match.
    return [(int(r), int(c)) for r, c in zip(rows, cols) if w[r, c] > 0]


def match_plans(old: Plan, new: Plan, threshold: float = THRESHOLD) -> Matching:
    olds, news = old.activities, new.activities
    sim = similarity(olds, news)
    # Maximise the summed margin over the threshold: a pair is worth what it
    # beats "removed + added" by, so one excellent pair does not crowd out two
    # good ones (what a greedy best-first match gets wrong).
    weight = np.where(sim >= threshold, sim - threshold + 1e-6, 0.0) + _tie_break(old, new) * (sim >= threshold)

    gmap = _group_map(olds, news)
    ok, nk = [_group_key(a) for a in olds], [_group_key(b) for b in news]
    mapped = [gmap.get(k) for k in ok]
    same_group = np.array([[m is not None and m == k for k in nk] for m in mapped], bool).reshape(len(olds), len(news))
    # A same-group pair only stands first if no other group holds a clearly
    # better partner for either side: an activity moved to another kegiatan
    # must not be captured by a merely similar newcomer in its old kegiatan.
    content = similarity(olds, news, CONTENT)
    pairs = [
        (i, j)
        for i, j in _assign(weight, same_group)
        if content[i, j] + GROUP_MARGIN
        >= max(_best(content[i, :], ~same_group[i, :]), _best(content[:, j], ~same_group[:, j]))
    ]

    free = np.ones((len(olds), len(news)), bool)
    for i, j in pairs:
        free[i, :] = False
        free[:, j] = False
    pairs += _assign(weight, free)

    by_new = sorted(pairs, key=lambda p: news[p[1]].activity_no)
    matched_o = {i for i, _ in pairs}
    matched_n = {j for _, j in pairs}
    return Matching(
        pairs=tuple((olds[i].activity_no, news[j].activity_no) for i, j in by_new),
        removed=tuple(a.activity_no for i, a in enumerate(olds) if i not in matched_o),
        added=tuple(b.activity_no for j, b in enumerate(news) if j not in matched_n),
        scores={(olds[i].activity_no, news[j].activity_no): round(float(sim[i, j]), 2) for i, j in pairs},
    )


def greedy_match(old: Plan, new: Plan, threshold: float = THRESHOLD) -> list[tuple[int, int]]:
    """Best-pair-first matching: only for tests, to show where it goes wrong."""
    sim = similarity(old.activities, new.activities)
    order = sorted((-sim[i, j], i, j) for i in range(sim.shape[0]) for j in range(sim.shape[1]))
    used_o: set[int] = set()
    used_n: set[int] = set()
    out = []
    for neg, i, j in order:
        if -neg < threshold or i in used_o or j in used_n:
            continue
        used_o.add(i)
        used_n.add(j)
        out.append((old.activities[i].activity_no, new.activities[j].activity_no))
    return sorted(out)


def align(old: Plan, new: Plan, m: Matching) -> list[tuple[ActivityRecord | None, ActivityRecord | None]]:
    """Old and new activities side by side, in the new document's order.

    A removed activity sits right after the new position of the old activity
    that preceded it, i.e. where it used to be.
    """
    new_index = {b.activity_no: j for j, b in enumerate(new.activities)}
    partner = dict(m.pairs)
    old_by_no = {a.activity_no: a for a in old.activities}
    by_new = {n: old_by_no[o] for o, n in m.pairs}
    keyed: list[tuple[tuple[int, int, int], ActivityRecord | None, ActivityRecord | None]] = []
    for j, b in enumerate(new.activities):
        keyed.append(((j, 0, 0), by_new.get(b.activity_no), b))
    removed = set(m.removed)
    anchor = -1
    for i, a in enumerate(old.activities):
        if a.activity_no in removed:
            keyed.append(((anchor, 1, i), a, None))
        else:
            anchor = new_index[partner[a.activity_no]]
    keyed.sort(key=lambda t: t[0])
    return [(a, b) for _, a, b in keyed]
