"""Tests for policeperf.compute.benchmarks: MSG averages, rank, comparison words and text."""

from __future__ import annotations

import math

import pytest

from policeperf.compute.benchmarks import (
    COMPARISON_RULES,
    DEFAULT_PCT_BAND,
    PeerRate,
    benchmark_text,
    compare_to_group,
    funnel,
    national_difference_text,
    ordinal,
    pct_band,
    poisson_exact,
    rank_in_group,
    sd_band,
    simple_mean,
    weighted_mean,
)

AVON = "E23000036"

# Avon and Somerset's Most Similar Group, 12 months to June 2022, from the ONS Police Force Area
# data tables (pfajun22.xlsx): Table P1 counts; Table P3 mid-2020 population and households.
MSG = [
    (AVON, "Avon and Somerset", 1729500, 737300),
    ("E23000018", "Derbyshire", 1064000, 461800),
    ("E23000028", "Essex", 1856100, 768400),
    ("E23000030", "Hampshire", 1999100, 839500),
    ("E23000027", "Hertfordshire", 1195700, 485400),
    ("E23000032", "Kent", 1868200, 778300),
    ("E23000015", "Staffordshire", 1139800, 488600),
    ("E23000033", "Sussex", 1718200, 750100),
]
COUNTS = {
    "residential burglary": [4886, 2633, 5032, 5877, 2463, 4934, 2635, 2534],
    "robbery": [1597, 614, 1430, 1278, 588, 1273, 857, 950],
    "homicide": [21, 14, 24, 15, 11, 15, 12, 4],
    "vehicle offences": [8743, 4502, 11983, 10118, 7180, 9577, 4627, 6267],
    "theft from the person": [934, 691, 1290, 1016, 1171, 1070, 486, 1035],
}


def real_group(measure: str) -> list[PeerRate]:
    """The MSG for one measure; residential burglary is per 1,000 households."""
    out = []
    for (code, name, population, households), count in zip(MSG, COUNTS[measure], strict=True):
        base = households if measure == "residential burglary" else population
        out.append(PeerRate(code, name, count, base, 1000 * count / base))
    return out


def group_from_mean(force_rate: float, mean: float) -> list[PeerRate]:
    """Eight members whose simple mean is ``mean``: the force plus seven equal peers.

    Each peer has rate (8 x mean - force_rate) / 7, so the eight rates average to ``mean``.
    """
    peer = (8 * mean - force_rate) / 7
    rates = [force_rate] + [peer] * 7
    return [PeerRate(f"P{i}", f"Force {i}", r, 1000.0, r) for i, r in enumerate(rates)]


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (4, "4th"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (21, "21st"),
        (22, "22nd"),
        (23, "23rd"),
        (101, "101st"),
        (111, "111th"),
        (112, "112th"),
    ],
)
def test_ordinals_read_as_english(n: int, text: str) -> None:
    assert ordinal(n) == text


def test_simple_and_weighted_means_differ_when_denominators_differ() -> None:
    group = [
        PeerRate("A", "A", 10, 1000, 10.0),
        PeerRate("B", "B", 40, 2000, 20.0),
        PeerRate("C", "C", 3, 1000, 3.0),
    ]
    # simple = (10 + 20 + 3) / 3 = 11.0; weighted = 1000 x (10 + 40 + 3) / 4000 = 13.25
    assert simple_mean(group) == pytest.approx(11.0)
    assert weighted_mean(group) == pytest.approx(13.25)


def test_lowest_rate_ranks_first_when_lower_is_better_and_last_when_higher_is_better() -> None:
    group = [PeerRate(c, c, r, 1000, r) for c, r in [("A", 1.0), ("B", 2.0), ("C", 3.0)]]
    assert rank_in_group(group, "A", "lower_is_better").rank == 1
    assert rank_in_group(group, "A", "higher_is_better").rank == 3
    assert rank_in_group(group, "C", "higher_is_better").rank == 1


def test_tied_rates_share_the_best_rank_they_cover() -> None:
    # Rates 1, 2, 2, 4: B and C tie for 2nd (competition ranking), D is 4th, not 3rd.
    group = [PeerRate(c, c, r, 1000, r) for c, r in [("A", 1.0), ("B", 2.0), ("C", 2.0), ("D", 4)]]
    b = rank_in_group(group, "B", "lower_is_better")
    c = rank_in_group(group, "C", "lower_is_better")
    d = rank_in_group(group, "D", "lower_is_better")
    assert (b.rank, b.tied, c.rank, c.tied) == (2, True, 2, True)
    assert (d.rank, d.tied, d.size) == (4, False, 4)
    assert benchmark_text(b.rank, b.size, "similar to", tied=b.tied) == (
        "=2nd/4 MSG (similar to MSG average rates)"
    )


def test_real_msg_ranks_match_the_report_where_the_measures_agree() -> None:
    # The seed report printed burglary 7th/8, robbery 8th/8 (personal robbery), homicide 6th/8,
    # vehicle 4th/8. Theft from the person ranks 3rd on ONS data (the report printed 2nd from
    # force data), recorded here so a change is noticed.
    expected = {
        "residential burglary": 7,
        "robbery": 8,
        "homicide": 6,
        "vehicle offences": 4,
        "theft from the person": 3,
    }
    for measure, rank in expected.items():
        result = rank_in_group(real_group(measure), AVON, "lower_is_better")
        assert (result.rank, result.size) == (rank, 8), measure


@pytest.mark.parametrize(
    ("measure", "force_rate", "mean", "pct", "word"),
    [
        # (6.627 - 5.758) / 5.758 = +15.09% > 15 -> higher
        ("residential burglary", 6.627, 5.758, 15.09, "higher than"),
        # (0.923 - 0.674) / 0.674 = +36.94% -> higher
        ("robbery", 0.923, 0.674, 36.94, "higher than"),
        # (5.055 - 4.955) / 4.955 = +2.02% -> similar
        ("vehicle offences", 5.055, 4.955, 2.02, "similar to"),
        # (0.540 - 0.622) / 0.622 = -13.18% -> similar
        ("theft from the person", 0.540, 0.622, -13.18, "similar to"),
    ],
)
def test_default_pct_band_reproduces_the_reports_words_from_the_published_rates(
    measure: str, force_rate: float, mean: float, pct: float, word: str
) -> None:
    result = pct_band(group_from_mean(force_rate, mean), "P0")
    assert result.threshold == DEFAULT_PCT_BAND == 15.0
    assert result.statistic == pytest.approx(pct, abs=0.01), measure
    assert result.word == word, measure


def test_default_rule_on_real_counts_gives_the_reports_words_and_calls_homicide_higher() -> None:
    words = {m: compare_to_group(real_group(m), AVON).word for m in COUNTS}
    assert words == {
        "residential burglary": "higher than",  # +15.09%
        "robbery": "higher than",  # +37.10%
        "vehicle offences": "similar to",  # +2.02%
        "theft from the person": "similar to",  # -13.13%
        # +28.1% on 21 offences: the band says higher; the report printed only the rank and a
        # comment "similar". Rare offences need a count-aware rule (see the Poisson test below).
        "homicide": "higher than",
    }


def test_poisson_rule_on_real_counts_calls_homicide_similar_but_theft_from_the_person_below() -> (
    None
):
    homicide = poisson_exact(real_group("homicide"), AVON)
    theft = poisson_exact(real_group("theft from the person"), AVON)
    assert homicide.word == "similar to"
    assert homicide.statistic == pytest.approx(0.31, abs=0.01)
    assert theft.word == "below"
    assert theft.statistic < 1e-3  # methods.md: p ~ 1e-4, the report said "similar"


def test_one_sd_band_calls_real_burglary_similar_as_methods_md_warns() -> None:
    result = sd_band(real_group("residential burglary"), AVON)
    assert result.word == "similar to"
    assert 0.0 < result.statistic < 1.0


def test_sd_band_measures_distance_in_sample_standard_deviations() -> None:
    rates = [1.0, 2.0, 3.0, 6.0]
    group = [PeerRate(str(i), str(i), r, 1000, r) for i, r in enumerate(rates)]
    # mean = 3.0; deviations -2, -1, 0, 3; SS = 4 + 1 + 0 + 9 = 14; SD = sqrt(14/3) = 2.1602
    # member "3": (6 - 3) / 2.1602 = 1.3887 > 1 -> higher; member "0": -0.9258 -> similar
    assert sd_band(group, "3").statistic == pytest.approx(3 / math.sqrt(14 / 3))
    assert sd_band(group, "3").word == "higher than"
    assert sd_band(group, "0").word == "similar to"


def test_poisson_rule_doubles_the_smaller_tail() -> None:
    # Force: 6 offences, denominator 1,000; peers make the simple mean 2 per 1,000 -> expected 2.
    # P(X >= 6 | 2) = 1 - e^-2 (1 + 2 + 2 + 4/3 + 2/3 + 4/15) = 1 - 0.135335 x 7.266667 = 0.016564
    # two-sided p = 2 x 0.016564 = 0.033128 < 0.05 -> higher
    group = [PeerRate("F", "Force", 6, 1000, 6.0)] + [
        PeerRate(f"P{i}", "Peer", 10 / 7, 1000, 10 / 7) for i in range(7)
    ]
    assert simple_mean(group) == pytest.approx(2.0)
    result = poisson_exact(group, "F")
    assert result.statistic == pytest.approx(0.033128, abs=1e-6)
    assert result.word == "higher than"


def test_funnel_widens_limits_by_the_between_force_variance() -> None:
    # Four members, denominator 1,000 each, counts 10, 10, 10, 30 (rate = count).
    # theta = 1000 x 60 / 4000 = 15; s^2 = 1000 x 15 / 1000 = 15 for every member.
    # z = -5/sqrt(15) = -1.29099 (x3) and 15/sqrt(15) = 3.87298.
    # 10th percentile = -1.29099; 90th = -1.29099 + 0.7 x 5.16398 = 2.32379 (= 9/sqrt(15)).
    # phi = (3 x 25/15 + 81/15) / 4 = (5 + 5.4) / 4 = 2.6
    # sum w = 4/15, sum w^2 = 4/225: denominator = 4/15 - (4/225)/(4/15) = 0.2
    # tau^2 = (4 x 2.6 - 3) / 0.2 = 37;  z_force = 15 / sqrt(15 + 37) = 2.0801 > 1.96 -> higher
    group = [PeerRate(str(i), str(i), c, 1000, c) for i, c in enumerate([10, 10, 10, 30])]
    result = funnel(group, "3")
    assert result.statistic == pytest.approx(15 / math.sqrt(52))
    assert result.threshold == pytest.approx(1.959964, abs=1e-6)
    assert result.word == "higher than"
    assert "tau^2 37.0000" in result.rule_description


def test_funnel_calls_real_burglary_similar() -> None:
    assert funnel(real_group("residential burglary"), AVON).word == "similar to"


def test_comparison_word_ignores_polarity_and_describes_itself_with_numbers() -> None:
    result = compare_to_group(real_group("residential burglary"), AVON, "pct_band", band_pct=20)
    assert result.word == "similar to"  # +15.09% is inside +/-20%
    assert result.rule_name == "pct_band"
    assert "+15.1%" in result.rule_description and "20%" in result.rule_description


def test_unknown_rule_lists_the_registered_rules() -> None:
    with pytest.raises(ValueError, match="funnel, pct_band, poisson_exact, sd_band"):
        compare_to_group(real_group("robbery"), AVON, "iquanta")
    assert set(COMPARISON_RULES) == {"pct_band", "sd_band", "poisson_exact", "funnel"}


def test_force_missing_from_its_group_is_an_error() -> None:
    with pytest.raises(ValueError, match="not in the group"):
        pct_band(real_group("robbery"), "E23000001")


def test_benchmark_text_matches_the_reports_forms() -> None:
    assert benchmark_text(7, 8, "higher than") == "7th/8 MSG (higher than MSG average rates)"
    assert benchmark_text(4, 8, "similar to") == "4th/8 MSG (similar to MSG average rates)"
    assert benchmark_text(6, 8, "below") == "6th/8 MSG (below MSG average rates)"
    assert benchmark_text(6, 8, None) == "6th/8 MSG"


def test_national_difference_prints_percentage_points_for_proportions() -> None:
    # 0.412 - 0.427 = -0.015 -> -1.5 percentage points
    assert national_difference_text(0.412 - 0.427, "percentage_points") == (
        "-1.5% points compared to national"
    )
    assert national_difference_text(0.021, "percentage_points") == (
        "+2.1% points compared to national"
    )


def test_national_difference_prints_two_decimals_for_averages() -> None:
    assert national_difference_text(-0.05, "absolute") == "-0.05 compared to national"
    assert national_difference_text(1.234, "absolute", decimals=1) == "+1.2 compared to national"


def test_a_difference_that_rounds_to_zero_has_no_sign_and_a_missing_one_is_not_available() -> None:
    assert national_difference_text(-0.0004, "percentage_points") == (
        "0.0% points compared to national"
    )
    assert national_difference_text(None, "absolute") == "Not available"
    assert national_difference_text(float("nan"), "absolute") == "Not available"


@pytest.mark.parametrize("rule", ["pct_band", "sd_band", "poisson_exact", "funnel"])
def test_every_rule_judges_against_the_average_it_is_given(rule: str) -> None:
    # Force 10 / 1,000 = 10.0; a small peer at 4.0 (2 / 500) and a big one at 10.2 (102 / 10,000).
    # Simple mean (10 + 4 + 10.2) / 3 = 8.067: the force is 24% above it. Weighted mean
    # 1,000 x 114 / 11,500 = 9.913: the force is 0.9% above it, so similar.
    group = [PeerRate("F", "Force", 10, 1000, 10.0), PeerRate("S", "Small", 2, 500, 4.0),
             PeerRate("B", "Big", 102, 10000, 10.2)]
    weighted = compare_to_group(group, "F", rule, average="weighted")
    assert weighted.word == "similar to"
    assert "weighted MSG mean" in weighted.rule_description
    assert "9.913" in weighted.rule_description
    simple = compare_to_group(group, "F", rule, average="simple")
    assert "simple MSG mean" in simple.rule_description and "8.067" in simple.rule_description


def test_a_computed_group_says_so_in_the_benchmark_text() -> None:
    assert benchmark_text(3, 8, "below", kind="computed") == (
        "3rd/8 similar forces (computed) (below group average rates)")
    assert benchmark_text(3, 8, None, kind="computed") == "3rd/8 similar forces (computed)"
    assert benchmark_text(7, 8, "higher than", kind="official") == (
        "7th/8 MSG (higher than MSG average rates)")


def test_the_winsorising_percentiles_are_numpys_bit_for_bit() -> None:
    import numpy as np

    from policeperf.compute.benchmarks import percentile_linear

    rng = np.random.default_rng(11)
    for n in range(1, 45):
        z = rng.normal(size=n) * 10.0 ** rng.integers(-3, 4)
        for q in (0.0, 10.0, 33.3, 50.0, 90.0, 100.0):
            assert percentile_linear(z, q) == float(np.percentile(z, q)), (n, q)
    # By hand: 8 values 0..7, 10th percentile at index 0.7 -> 0.7; 90th at 6.3 -> 6.3.
    assert percentile_linear(np.arange(8.0), 10.0) == pytest.approx(0.7)
    assert percentile_linear(np.arange(8.0), 90.0) == pytest.approx(6.3)
