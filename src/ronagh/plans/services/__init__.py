"""Writes on plans and progress: the one write path the UI, the API, the CLI, the importer and
the demo all call. Each service checks the actor's permission itself (`plans.permissions`),
validates, and writes in one transaction.

- building.py       a draft plan, its axes and actions; a whole draft from a workbook
- communication.py  ابلاغ (the baseline frozen) and the agencies' acknowledgements
- reporting.py      the reporting window, a daily report or a correction, the daily screen
- corrections.py    the manager's decision on a reporter's correction, and who is told
- replanning.py     a request for a new schedule and the secretariat's decision
"""

from .building import create_plan, replace_draft, save_action, save_axis
from .communication import acknowledge_plan, close_plan, communicate_plan
from .corrections import decide_correction
from .replanning import decide_replan, request_replan
from .reporting import report_progress, reporting_deadline, submit_daily_report

__all__ = [
    "acknowledge_plan",
    "close_plan",
    "communicate_plan",
    "create_plan",
    "decide_correction",
    "decide_replan",
    "replace_draft",
    "report_progress",
    "reporting_deadline",
    "request_replan",
    "save_action",
    "save_axis",
    "submit_daily_report",
]
