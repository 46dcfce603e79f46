"""Optimal assignment (Hungarian / Kuhn-Munkres) for the matcher.

The O(n^3) shortest-augmenting-path algorithm, vectorised over columns with
numpy (335 x 335 in well under a second). Our own rather than scipy's
``linear_sum_assignment`` so the package needs no scipy and ties resolve the
same way everywhere (the revisions table must be byte-identical across
machines); the tests check it against scipy where scipy is installed.
"""

from __future__ import annotations

import numpy as np


def hungarian(cost: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Minimum-cost assignment of a finite (n x m) matrix; min(n, m) pairs, rows ascending."""
    a = np.asarray(cost, dtype=float)
    if a.ndim != 2:
        raise ValueError("cost must be a 2-d matrix")
    if a.shape[0] > a.shape[1]:
        cols, rows = hungarian(a.T)
        order = np.argsort(rows)
        return rows[order], cols[order]
    n, m = a.shape
    if n == 0:
        return np.zeros(0, int), np.zeros(0, int)
    # Potentials u (rows) and v (columns); p[j] = row (1-based) holding column j,
    # column 0 is the virtual start of each augmenting path.
    u, v = np.zeros(n + 1), np.zeros(m + 1)
    p, way = np.zeros(m + 1, int), np.zeros(m + 1, int)
    for i in range(1, n + 1):
        p[0], j0 = i, 0
        minv = np.full(m + 1, np.inf)
        used = np.zeros(m + 1, bool)
        while True:
            used[j0] = True
            i0 = p[j0]
            free = ~used[1:]
            cur = a[i0 - 1] - u[i0] - v[1:]
            better = free & (cur < minv[1:])
            minv[1:][better] = cur[better]
            way[1:][better] = j0
            masked = np.where(free, minv[1:], np.inf)
            j1 = int(np.argmin(masked)) + 1
            delta = masked[j1 - 1]
            u[p[used]] += delta
            v[used] -= delta
            minv[1:][free] -= delta
            j0 = j1
            if p[j0] == 0:
                break
        while j0:  # flip the augmenting path
            j1 = way[j0]
            p[j0] = p[j1]
            j0 = j1
    cols = np.nonzero(p[1:])[0]
    rows = p[1:][cols] - 1
    order = np.argsort(rows)
    return rows[order], cols[order]


def linear_sum_assignment(matrix: np.ndarray, maximize: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Same call as ``scipy.optimize.linear_sum_assignment`` (finite matrices only)."""
    m = np.asarray(matrix, dtype=float)
    return hungarian(-m if maximize else m)
