"""Writes on production units (SPEC 6), split by concept: the registry, monthly indicators, the
early warning, permits, jobs and investment events. Each validates, checks the actor
(`units/permissions.py`), writes in one transaction and is the one path for the pages, the API,
the command line, the importers and the demo."""

from .events import record_event
from .indicators import Entry, clean_values, enter_indicator, record_indicators
from .jobs import record_jobs, set_target
from .permits import competence_of, decide, file_application, open_delay_obstacle
from .registry import (
    KEEP,
    UnitData,
    save_unit,
    save_units,
    set_priority_sectors,
    set_status,
    system_user,
)
from .warning import active_model, adopt_table, rescore_units, score_due_month

__all__ = [
    "KEEP",
    "Entry",
    "UnitData",
    "active_model",
    "adopt_table",
    "clean_values",
    "competence_of",
    "decide",
    "enter_indicator",
    "file_application",
    "open_delay_obstacle",
    "record_event",
    "record_indicators",
    "record_jobs",
    "rescore_units",
    "save_unit",
    "save_units",
    "score_due_month",
    "set_priority_sectors",
    "set_status",
    "set_target",
    "system_user",
]
