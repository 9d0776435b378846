"""The Facilitation HQ over HTTP (SPEC 5, 7): clauses.py (clauses, follow-up, escalation) and
meetings.py (meetings, resolutions, the execution rate). Thin on purpose: every read starts from
the HQ's scoping selectors, every write is one call of ronagh.hq.services, whose errors come back
as 400 (a message per field), 403 or 409."""
