"""Agreement between annotators: Krippendorff's alpha for nominal labels.

Alpha compares the disagreement observed among the coders with the disagreement expected by
chance: 1 is perfect agreement, 0 is chance, below 0 is systematic disagreement. Coders may
skip units (missing values). Krippendorff suggests relying on data with alpha >= 0.800 and
drawing only tentative conclusions from 0.667 to 0.800 (Krippendorff 2004, *Content Analysis*,
2nd ed., section 11.4.4; the computation follows Krippendorff 2011, "Computing Krippendorff's
Alpha-Reliability", https://repository.upenn.edu/asc_papers/43).

>>> data = {"u1": {"ann": "loaded", "ben": "loaded"}, "u2": {"ann": "none", "ben": "none"},
...         "u3": {"ann": "loaded", "ben": "none"}}
>>> round(krippendorff_alpha(data), 3)
0.444

A class of students is a set of coders; every word of a passage, option of a quiz or sentence
of an exercise is a unit (see :mod:`medialit.class_report`).
"""

from __future__ import annotations

from collections import Counter
from itertools import permutations
from typing import Hashable, Mapping

__all__ = ["krippendorff_alpha", "RELIABLE", "TENTATIVE"]

#: Krippendorff's thresholds (see the module docstring).
RELIABLE = 0.800
TENTATIVE = 0.667


def krippendorff_alpha(units: Mapping[Hashable, Mapping[Hashable, Hashable | None]]) -> float | None:
    """Nominal alpha for ``{unit: {coder: value}}``; a value of None counts as missing.

    Returns None when alpha is undefined: fewer than two pairable values, or every value the same
    (no variation, so agreement cannot be told apart from chance).

    >>> krippendorff_alpha({"u1": {"a": 1, "b": 1}, "u2": {"a": 1, "b": 1}}) is None
    True
    >>> krippendorff_alpha({"u1": {"a": 1, "b": 1}, "u2": {"a": 0, "b": 0}})
    1.0
    """
    coincidences: Counter = Counter()
    for values_by_coder in units.values():
        values = [v for v in values_by_coder.values() if v is not None]
        m = len(values)
        if m < 2:
            continue  # a unit coded once cannot be compared
        for c, k in permutations(values, 2):
            coincidences[(c, k)] += 1 / (m - 1)
    totals: Counter = Counter()
    for (c, _), weight in coincidences.items():
        totals[c] += weight
    n = sum(totals.values())
    if n < 2 or len(totals) < 2:
        return None
    observed = sum(w for (c, k), w in coincidences.items() if c != k)
    expected = sum(totals[c] * totals[k] for c in totals for k in totals if c != k)
    return 1.0 - (n - 1) * observed / expected
