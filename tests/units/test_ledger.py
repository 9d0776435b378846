"""The net jobs ledger (units/ledger.py, pure): the best evidence of each unit-month counts,
gross and net side by side, declared beside them, against the targets."""

import datetime as dt

from ronagh.units.ledger import Entry, best, summarise

M1, M2 = dt.date(2026, 4, 21), dt.date(2026, 5, 22)


def e(unit, month, created, lost, evidence, sector="غذایی"):
    return Entry(unit, month, 1405, sector, "قم", created, 50, lost, evidence)


def test_the_best_evidence_of_a_unit_month_counts_once():
    entries = [e(1, M1, 10, 0, "declared"), e(1, M1, 6, 1, "insurance"), e(1, M1, 4, 2, "field")]
    assert best(entries) == [entries[2]]


def test_gross_and_net_side_by_side_against_the_target():
    entries = [
        e(1, M1, 10, 0, "declared"),
        e(1, M1, 6, 1, "insurance"),  # the insurance list beats the declaration
        e(2, M1, 8, 5, "declared"),
        e(2, M2, 0, 3, "field"),
        e(3, M2, 5, 0, "declared", sector="چاپ"),
    ]
    totals = summarise(entries, key=lambda x: (x.year, x.sector), targets={(1405, "غذایی"): 20})
    food = totals[(1405, "غذایی")]
    assert food.declared_created == 18  # 10 + 8: what the units declared
    assert food.created == 6 + 8 + 0 == 14  # gross, by the best evidence
    assert food.lost == 1 + 5 + 3 == 9 and food.net == 5
    assert food.verified_created == 6 and round(food.verified_share, 3) == round(6 / 14, 3)
    assert food.target == 20 and food.net_of_target == 25
    assert totals[(1405, "چاپ")].target is None and totals[(1405, "چاپ")].net == 5
