"""An obstacle's statuses (SPEC 5) and the groups of them the rules speak of, as plain values:
the one definition `models.Status`, the QuerySet methods and the pure `analytics.py` share."""

REGISTERED = "registered"
ASSIGNED = "assigned"
IN_PROGRESS = "in_progress"
RESOLVED = "resolved"
REFERRED_NATIONAL = "referred_national"
REJECTED = "rejected"

# Someone's job with a clock: the statuses a due date runs against (overdue = running and late).
RUNNING = (ASSIGNED, IN_PROGRESS)
# Not yet closed.
OPEN = (REGISTERED, *RUNNING)
CLOSED = (RESOLVED, REFERRED_NATIONAL, REJECTED)
# Left out of the scorecard's obstacle component (SPEC 4.4): not the agency's to resolve.
NOT_SCORED = (REJECTED, REFERRED_NATIONAL)
