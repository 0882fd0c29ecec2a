"""Text alternatives say what a chart plots, over which period and its largest values, from the figures it draws;
a figure no source reports is said to be unreported, never counted as zero."""

from __future__ import annotations

from datetime import date

from reassure.charts import describe
from reassure.domains.incidents.indicators import CategoryRow, IndicatorRow
from reassure.domains.plans.schemas import TourRead


def row(month: int, launched: int | None, destroyed: int | None, rate: float | None = None) -> IndicatorRow:
    return IndicatorRow(period_start=date(2025, month, 1), attacks=None, launched=launched, destroyed=destroyed,
                        suppressed=None, neutralized=None, destroyed_rate=rate,
                        destroyed_low=None if rate is None else rate - 0.05,
                        destroyed_high=None if rate is None else rate + 0.03, neutralized_rate=None,
                        neutralized_low=None, neutralized_high=None, violations=None)


ROWS = [row(1, 1200, 1100, 0.917), row(2, None, None), row(3, 4500, 3800, 0.844), row(4, 800, 790, 0.988)]


def test_the_attacks_chart_names_its_period_totals_and_largest_months() -> None:
    text = describe.attacks(ROWS)
    assert text.startswith("Line chart (data): weapons launched and destroyed per day of data in each month, "
                           "Jan 2025 to Apr 2025")
    assert "3 periods with reported figures" in text and "6,500 launched and 5,690 destroyed in all" in text
    assert "Most launched: 4,500 in Mar 2025 (3,800 destroyed); 1,200 in Jan 2025" in text
    unreported = describe.attacks([row(5, 300, None)])
    assert "1 period with" in unreported and "destroyed not reported" in unreported and "0 destroyed" not in unreported
    assert "no figures are reported" in describe.attacks([row(2, None, None)])


def test_the_rates_chart_names_its_highest_lowest_and_latest() -> None:
    text = describe.rates(ROWS)
    assert "Highest 98.8% [93.8%–101.8%] in Apr 2025" in text and "lowest 84.4%" in text
    assert "latest 98.8%" in text and "3 periods" in text


def test_categories_gantt_burden_and_map_name_their_largest_values() -> None:
    categories = [CategoryRow(period_start=date(2025, m, 1), category=c, launched=n, destroyed=None)
                  for m, c, n in ((1, "drone", 900), (1, "cruise_missile", 40), (2, "drone", 1500), (2, "decoy", None))]
    text = describe.by_category(categories)
    assert "In all: drone 2,400; cruise missile 40" in text and "Most launched: Feb 2025 1,500" in text
    tours = [TourRead(plan="plan_aaaaaaaaaaaaaaaa", unit=f"U{i}", nation=n, capability="inf", task=t, location="x",
                      start=date(2027, 1, 1),
                      end=date(2027, 6, 30), first_period=0, last_period=5, personnel=500, marking="PUBLIC")
             for i, (n, t) in enumerate((("FRA", "T1"), ("FRA", "T2"), ("GBR", "T1")))]
    gantt = describe.gantt(tours)
    assert "3 tours of 3 units from 2 nations on 2 tasks, 2027-01-01 to 2027-06-30" in gantt
    assert "Most tours: FRA 2; GBR 1" in gantt and "Most units: T1 2" in gantt
    burden = describe.burden([{"nation": "FRA", "share": 0.6, "fair_share": 0.4, "delta": 0.2},
                              {"nation": "GBR", "share": 0.4, "fair_share": None, "delta": None}])
    assert "Largest: FRA 60.0% (fair share 40.0%); GBR 40.0%" in burden and "FRA (+20.0 points)" in burden
    counts = {"Kharkiv Oblast": 120, "Kyiv City": 4, "Lviv Oblast": 0, "South": 455}
    regions = describe.regions(counts, "Incidents by region", {"Kharkiv Oblast", "Kyiv City", "Lviv Oblast"})
    assert "2 regions with incidents (124 in all)" in regions and "Most: Kharkiv Oblast 120; Kyiv City 4" in regions
    assert "Not on the map: 455 incidents under 1 name that match no region (South)" in regions
    assert "no data, not a quiet region" in regions
