"""The demo province of SPEC 8 (`ronagh demo`): province.py builds it from the pieces beside it
(organisation, plan, obstacles, hq), deterministically from a seed."""
