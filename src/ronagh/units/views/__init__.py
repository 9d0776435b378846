"""The units pages (SPEC 6), split by concept: the registry and a unit's page, the governor's
view with parks, permits, and jobs with investment events. Reads start from
`units.selectors.visible_*`; writes go through `units.services` only."""
