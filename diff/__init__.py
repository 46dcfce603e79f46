"""The DIFF stage: what changed between an SK and its amendment (Perubahan).

Public entry points live in :mod:`diff.stage`; they are re-exported here.
"""

from lampiran.diff.link import link_versions
from lampiran.diff.plan import Plan, load_plan, load_plans
from lampiran.diff.revisions import REVISION_COLUMNS, RevisionRecord
from lampiran.diff.stage import diff_plans, diff_versions, main_diff, write_diff, write_diffs, write_linked_diffs

__all__ = [
    "REVISION_COLUMNS",
    "Plan",
    "RevisionRecord",
    "diff_plans",
    "diff_versions",
    "link_versions",
    "load_plan",
    "load_plans",
    "main_diff",
    "write_diff",
    "write_diffs",
    "write_linked_diffs",
]
