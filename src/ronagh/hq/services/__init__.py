"""Writes of the Facilitation HQ (SPEC 5). The UI, the API and the demo call these and nothing
else. Each one validates (ValidationError with a message per field), checks the actor
(`hq.permissions`, PermissionDenied), writes in one transaction and records who did it; a change
the object's state does not allow raises Conflict. `today` may be given (the demo, tests); it
defaults to the local date.

- meetings.py  meetings with their agenda, numbered resolutions and their clauses
- followup.py  a clause done / not done / reopened, the escalation ladder, the Article 62 board
- systemic.py  systemic issues and their referral to the national HQ
"""

from .followup import escalate, mark_clause, next_steps, record_board_opinion, taken_steps
from .meetings import add_clause, add_resolution, create_meeting
from .systemic import group_systemic, refer_systemic

__all__ = [
    "add_clause",
    "add_resolution",
    "create_meeting",
    "escalate",
    "group_systemic",
    "mark_clause",
    "next_steps",
    "record_board_opinion",
    "refer_systemic",
    "taken_steps",
]
