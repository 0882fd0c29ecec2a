"""The label catalogue (issue 25): every planner hard rule, every flag of the bundled scenario and rules, every
capability and indicator has a label; the fallback turns an unknown key into words; no label is itself an identifier.
`identifiers_in` is the search the page and brief tests use."""

from __future__ import annotations

import csv
import re
from importlib import resources

import yaml

from reassure.core.capabilities import CAPABILITIES
from reassure.core.labels import (
    FLAGS,
    INDICATORS,
    REASONS,
    RULES,
    VALUES,
    capability_label,
    catalogue,
    condition_label,
    fallback,
    flags_label,
    identifiers,
    label,
)
from reassure.monitoring.indicators.series import INDICATORS as INDICATOR_SPECS
from reassure.monitoring.report import CATEGORIES
from reassure.planner.hard_rules import MODULES
from reassure.planner.hard_rules.explain import NOT_ASSIGNED, ORDER
from reassure.rules import load_bundled_rules

DATA = resources.files("reassure") / "data"


def identifiers_in(text: str) -> set[str]:
    """Return the catalogue's identifier keys (snake_case) that occur as words in a text for people."""
    return {key for key in identifiers() if re.search(rf"(?<![\w-]){re.escape(key)}(?![\w-])", text)}


def _bundled_flags() -> set[str]:
    scenario = yaml.safe_load((DATA / "scenarios" / "illustrative.yaml").read_text(encoding="utf-8"))
    flags = set(scenario["scenario"]["flags"])
    flags |= {c["flag"] for c in scenario.get("changes", []) if c.get("kind") == "flag"}
    text = (DATA / "scenarios" / "illustrative_pledges.csv").read_text(encoding="utf-8")
    for row in csv.DictReader(text.splitlines()):
        flags |= {f for f in (row["conditions"] or "").split(";") if f}
    return flags


def test_every_hard_rule_and_reason_has_a_label() -> None:
    names = {m.NAME for m in MODULES}
    assert names <= set(RULES) and names <= set(REASONS)
    assert set(ORDER) <= set(REASONS) and NOT_ASSIGNED in REASONS


def test_every_bundled_flag_capability_and_indicator_has_a_label() -> None:
    flags = _bundled_flags()
    assert {"us_backstop", "ceasefire_in_force"} <= flags
    assert flags <= set(FLAGS)
    assert label("flag", "us_backstop") == "US backstop"
    assert set(CAPABILITIES) <= {e.key for e in catalogue() if e.kind == "capability"}
    assert set(INDICATOR_SPECS) <= set(INDICATORS)
    assert set(CATEGORIES) <= set(VALUES)


def test_no_label_is_an_identifier_and_the_fallback_reads_as_words() -> None:
    assert all("_" not in e.label for e in catalogue())
    assert fallback("some_key") == "some key" and label("flag", "some_new_flag") == "some new flag"
    assert fallback("hq_staff") == "HQ staff" and label("rule", "brand_new_rule") == "brand new rule"
    assert flags_label(["us_backstop", "ceasefire_in_force"]) == "US backstop, ceasefire in force"
    assert fallback("<b>a_b</b>  x") == "<b>a_b</b>  x"  # not a key: stored text is shown as it is


def test_capabilities_read_in_the_plural() -> None:
    assert capability_label("engineer_company", 2) == "engineer companies"
    assert capability_label("isr", 3) == "ISR units" and capability_label("tanker_aircraft", 2) == "tanker aircraft"
    assert capability_label("frigate") == "frigate" and capability_label("new_thing", 2) == "new things"


def test_every_bundled_condition_reads_as_words() -> None:
    for rule in load_bundled_rules():
        for _key, c in rule.leaves():
            words = condition_label(c.indicator, c.params, period=c.period, window=c.window, aggregate=c.aggregate,
                                    comparator=c.comparator, threshold=c.threshold, consecutive=c.consecutive)
            assert not identifiers_in(words) and "_" not in words, words
    words = condition_label("attacks_over_threshold", {"threshold": 10, "category": ["drone", "decoy_drone"]},
                            period="day", comparator="==", threshold=0, consecutive=90)
    assert words == "attacks of more than 10 drones or decoy drones per day: exactly 0, for 90 consecutive days"


def test_identifiers_are_found_as_words_only() -> None:
    assert identifiers_in("in dwell (min_dwell): DEU-LOG-1") == {"min_dwell"}
    assert not identifiers_in("resting between tours: DEU-LOG-1, min-dwell-x")
