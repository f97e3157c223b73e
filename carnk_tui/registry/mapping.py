"""ClinicalTrials.gov's enumerations mapped onto the knowledge base's.

The registry's values are those of its data structure (API v2: ``RECRUITING``, ``PHASE1``,
``INDUSTRY``...); the website's CSV uses the same words, and older downloads wrote them for people
("Active, not recruiting", "Phase 1|Phase 2", "Industry"), which are accepted too. A value the
registry does not define raises UnknownValue.
"""

from __future__ import annotations

import re
from typing import get_args

from carnk_tui.kb import model


class UnknownValue(ValueError):
    """A value the registry does not define."""


def _key(value: str) -> str:
    """'Active, not recruiting' -> 'ACTIVE_NOT_RECRUITING'; 'Phase 1' -> 'PHASE1'."""
    key = re.sub(r"[^A-Z0-9]+", "_", value.strip().upper()).strip("_")
    return re.sub(r"PHASE_(\d)", r"PHASE\1", key)


def _first_known(choices: tuple[str, ...], allowed: tuple[str, ...]) -> str:
    for choice in choices:
        if choice in allowed:
            return choice
    return choices[-1]


#: registry status -> the knowledge base's statuses, best first (the first one the model defines is used)
STATUSES: dict[str, tuple[str, ...]] = {
    "NOT_YET_RECRUITING": ("not-yet-recruiting", "planned"),
    "RECRUITING": ("recruiting",),
    "ENROLLING_BY_INVITATION": ("enrolling-by-invitation", "recruiting"),
    "ACTIVE_NOT_RECRUITING": ("active-not-recruiting", "active"),
    "SUSPENDED": ("suspended", "unknown"),
    "TERMINATED": ("terminated",),
    "COMPLETED": ("completed",),
    "WITHDRAWN": ("withdrawn", "terminated"),
    "UNKNOWN": ("unknown",),
    # expanded access (not trials, but a search can return them)
    "AVAILABLE": ("available", "recruiting"),
    "NO_LONGER_AVAILABLE": ("no-longer-available", "completed"),
    "TEMPORARILY_NOT_AVAILABLE": ("temporarily-not-available", "suspended", "unknown"),
    "APPROVED_FOR_MARKETING": ("approved-for-marketing", "completed"),
    "WITHHELD": ("withheld", "unknown"),
}
#: spellings of older downloads
STATUS_ALIASES = {"UNKNOWN_STATUS": "UNKNOWN"}


def status(value: str) -> str:
    key = _key(value)
    key = STATUS_ALIASES.get(key, key)
    if key not in STATUSES:
        raise UnknownValue(f"unknown status {value!r}")
    return _first_known(STATUSES[key], get_args(model.TrialStatus))


PHASES = ("EARLY_PHASE1", "PHASE1", "PHASE2", "PHASE3", "PHASE4", "NA")
PHASE_ALIASES = {"N_A": "NA", "NOT_APPLICABLE": "NA", "EARLY_PHASE_1": "EARLY_PHASE1", "PHASE_1": "PHASE1"}
#: a study's set of registry phases -> the knowledge base's phase, best first (None: no phase)
PHASE_SETS: dict[frozenset[str], tuple[str | None, ...]] = {
    frozenset(): (None,),
    frozenset({"NA"}): (None,),
    frozenset({"EARLY_PHASE1"}): ("early-phase-1",),
    frozenset({"PHASE1"}): ("phase-1",),
    frozenset({"PHASE1", "PHASE2"}): ("phase-1-2",),
    frozenset({"PHASE2"}): ("phase-2",),
    frozenset({"PHASE2", "PHASE3"}): ("phase-2-3", "phase-2"),
    frozenset({"PHASE3"}): ("phase-3",),
    frozenset({"PHASE4"}): ("phase-4", "phase-3"),
}


def phase(values: tuple[str, ...]) -> str | None:
    """The knowledge base's phase for a study's registry phases (e.g. ('PHASE1', 'PHASE2') -> 'phase-1-2')."""
    keys: set[str] = set()
    for value in values:
        # the old CSV wrote "Phase 1|Phase 2"; some tools write "PHASE1/PHASE2"
        for part in re.split(r"[/|,]", value):
            if not part.strip():
                continue
            key = _key(part)
            key = PHASE_ALIASES.get(key, key)
            if key not in PHASES:
                raise UnknownValue(f"unknown phase {part.strip()!r}")
            keys.add(key)
    choices = PHASE_SETS.get(frozenset(keys))
    if choices is None:
        raise UnknownValue("unknown combination of phases " + "|".join(sorted(keys)))
    allowed = get_args(model.Phase)
    for choice in choices:
        if choice is None or choice in allowed:
            return choice
    return None


#: registry agency class -> the knowledge base's sponsor class
SPONSOR_CLASSES = {
    "INDUSTRY": "industry",
    "NIH": "nih",
    "FED": "federal",
    "US_FED": "federal",
    "OTHER_GOV": "other-government",
    "INDIV": "individual",
    "NETWORK": "network",
    "AMBIG": "unknown",
    "OTHER": "other",
    "UNKNOWN": "unknown",
}


def sponsor_class(value: str | None) -> str | None:
    if value is None:
        return None
    key = _key(value)
    if key not in SPONSOR_CLASSES:
        raise UnknownValue(f"unknown sponsor class {value!r}")
    return SPONSOR_CLASSES[key]


def enrollment_type(value: str | None) -> str | None:
    if value is None:
        return None
    key = _key(value)
    if key in ("ACTUAL", "ESTIMATED"):
        return key.lower()
    if key == "ANTICIPATED":  # the older spelling of "estimated"
        return "estimated"
    raise UnknownValue(f"unknown enrollment type {value!r}")


def has_results(value: str) -> bool:
    key = _key(value)
    if key in ("YES", "HAS_RESULTS", "TRUE"):
        return True
    if key in ("NO", "NO_RESULTS_AVAILABLE", "FALSE"):
        return False
    raise UnknownValue(f"unknown study results value {value!r}")
