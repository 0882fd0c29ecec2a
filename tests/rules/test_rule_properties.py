"""Property tests: threshold monotonicity, hysteresis without flapping, consecutive-period counting."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from rule_builders import DAY0, daily_attacks, one_condition_rule, series_frame

from reassure.rules import evaluate_rule
from reassure.rules.model import Condition
from reassure.rules.states import condition_frame, scan_states, scan_states_3v

values_st = st.lists(
    st.one_of(st.none(), st.floats(min_value=0, max_value=1_000, allow_nan=False)), min_size=1, max_size=60
)
thresholds = st.floats(min_value=-10, max_value=1_100, allow_nan=False)


@st.composite
def shapes(draw: st.DrawFn) -> dict[str, Any]:
    """Draw a window/aggregate/consecutive combination."""
    aggregate = draw(st.sampled_from(["sum", "mean", "max", "min", "count", "last"]))
    window = 1 if aggregate == "last" else draw(st.integers(1, 6))
    return {"aggregate": aggregate, "window": window, "consecutive": draw(st.integers(1, 5))}


def met_flags(values: list[float | None], **condition: Any) -> list[bool]:
    cond = Condition.model_validate({"indicator": "launched", **condition})
    return condition_frame(series_frame(values), cond)["met"].to_list()


@settings(max_examples=200, deadline=None)
@given(values_st, thresholds, thresholds, shapes(), st.booleans(), st.sampled_from(["<", "<="]))
def test_raising_a_below_threshold_never_unmeets(
    values: list[float | None], t1: float, t2: float, shape: dict[str, Any], hysteresis: bool, comparator: str
) -> None:
    low, high = sorted((t1, t2))
    extra = {"hysteresis": {"release": high + 50}} if hysteresis else {}
    strict = met_flags(values, comparator=comparator, threshold=low, **shape, **extra)
    lenient = met_flags(values, comparator=comparator, threshold=high, **shape, **extra)
    assert all(b for a, b in zip(strict, lenient, strict=True) if a)


@settings(max_examples=200, deadline=None)
@given(values_st, thresholds, thresholds, shapes(), st.sampled_from([">", ">="]))
def test_lowering_an_above_threshold_never_unmeets(
    values: list[float | None], t1: float, t2: float, shape: dict[str, Any], comparator: str
) -> None:
    low, high = sorted((t1, t2))
    strict = met_flags(values, comparator=comparator, threshold=high, **shape)
    lenient = met_flags(values, comparator=comparator, threshold=low, **shape)
    assert all(b for a, b in zip(strict, lenient, strict=True) if a)


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.integers(0, 60), min_size=1, max_size=20),
    st.integers(0, 60),
    st.integers(0, 60),
    st.integers(1, 4),
)
def test_monotonicity_end_to_end_over_incidents(
    launched: list[int], t1: int, t2: int, consecutive: int
) -> None:
    launched[0] = max(launched[0], 1)  # the history starts with an attack
    low, high = sorted((t1, t2))
    df, as_of = daily_attacks(launched), DAY0 + timedelta(days=len(launched) - 1)

    def met(threshold: int) -> bool:
        rule = one_condition_rule(
            indicator="launched", comparator="<", threshold=threshold, consecutive=consecutive
        )
        return evaluate_rule(rule, df, as_of).met

    assert not met(low) or met(high)


@settings(max_examples=200, deadline=None)
@given(
    st.floats(min_value=1, max_value=100),
    st.floats(min_value=0.05, max_value=0.95),
    st.lists(st.floats(min_value=0.0, max_value=1.0), min_size=1, max_size=50),
)
def test_values_oscillating_inside_the_band_do_not_flap(
    threshold: float, release_share: float, positions: list[float]
) -> None:
    release = threshold * release_share
    # First value fires the condition; the rest stay strictly above release and at most the threshold.
    # min(): release + (threshold - release) * 1.0 can round to just above the threshold in floating point.
    band = [min(release + (threshold - release) * max(p, 1e-6), threshold) for p in positions]
    values: list[float | None] = [threshold + 1, *band]
    flags = met_flags(values, comparator=">", threshold=threshold, hysteresis={"release": release})
    assert all(flags)
    without = met_flags(values, comparator=">", threshold=threshold)
    assert without[0] and not any(without[1:])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.booleans(), min_size=1, max_size=80), st.integers(1, 10))
def test_consecutive_periods_are_counted_from_the_latest_break(pattern: list[bool], consecutive: int) -> None:
    flags = met_flags(
        [1.0 if p else 0.0 for p in pattern], comparator=">", threshold=0.5, consecutive=consecutive
    )
    run = 0
    for i, (holds, met) in enumerate(zip(pattern, flags, strict=True)):
        run = run + 1 if holds else 0
        if run >= consecutive:
            assert met is True
        elif run <= i:  # a period that did not hold, within the data: not met
            assert met is False
        else:  # held in every period since the data began, too few of them: the periods before are unknown
            assert met is None


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([True, False, None]), min_size=1, max_size=40), st.integers(1, 5),
       st.integers(1, 3), st.booleans())
def test_three_valued_scan_agrees_with_every_filling_of_the_unknowns(
    holds: list[bool | None], consecutive: int, release_periods: int, hysteresis: bool
) -> None:
    """Met (or not) means met (or not) whatever the unknown periods and the unknown past held; unknown means
    some filling gives each answer. Checked against the two-valued scan over every filling (and every past)."""
    import itertools

    unknown = [i for i, h in enumerate(holds) if h is None][:8]
    holds = [h if h is not None or i in unknown else False for i, h in enumerate(holds)]
    releases = [h is not False or i % 2 == 0 for i, h in enumerate(holds)] if hysteresis else None
    _, got = scan_states_3v(holds, [r if holds[i] is not None else None for i, r in enumerate(releases)]
                            if releases is not None else None, consecutive, release_periods)
    outcomes: list[set[bool]] = [set() for _ in holds]
    for past in range(consecutive + 1):
        for filling in itertools.product([True, False], repeat=len(unknown)):
            h = [True] * past + [filling[unknown.index(i)] if v is None else v for i, v in enumerate(holds)]
            r = None
            if releases is not None:
                r = [True] * past + [releases[i] or h[past + i] for i in range(len(holds))]
            _, met = scan_states(h, r, consecutive, release_periods)
            for i, m in enumerate(met[past:]):
                outcomes[i].add(m)
    for i, flag in enumerate(got):
        if flag is not None:
            assert outcomes[i] == {flag}


@settings(max_examples=200, deadline=None)
@given(st.lists(st.booleans(), min_size=1, max_size=80), st.integers(1, 6), st.integers(1, 4))
def test_hysteresis_only_extends_met_spans(holds: list[bool], consecutive: int, release_periods: int) -> None:
    # The release test is looser than the entry test, so it holds whenever the entry test holds.
    releases = [h or (i % 3 == 0) for i, h in enumerate(holds)]
    _, plain = scan_states(holds, None, consecutive)
    streaks, sticky = scan_states(holds, releases, consecutive, release_periods)
    assert all(s for p, s in zip(plain, sticky, strict=True) if p)
    assert streaks == scan_states(holds, None, consecutive)[0]
