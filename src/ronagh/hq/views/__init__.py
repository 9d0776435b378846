"""The HQ pages, one module each: meetings (with resolutions, clauses and the minutes), the
follow-up of clauses, the execution rate and systemic issues. Every page starts from the
scoping selectors; every write goes through services, whose errors go back on the form (400)
or are shown as a message (conflicts)."""
