"""The force-held series the report uses: id, unit, statistic, label and categories.

The format of force series files is in docs/force-series-format.md; the ingest adapter checks rows
of these series against this list, and the measure catalogue checks its series ids against it.
"""

from __future__ import annotations

from dataclasses import dataclass

SATISFACTION_CATEGORIES = ("overall", "burglary", "hate_crime", "violent_crime", "asb")


@dataclass(frozen=True)
class SeriesInfo:
    """A series the report uses: its unit (as stored), statistic, label and allowed categories."""

    unit: str
    statistic: str
    label: str
    categories: tuple[str, ...] = ()


def _info(unit: str, statistic: str, label: str, categories: tuple[str, ...] = ()) -> SeriesInfo:
    return SeriesInfo(unit, statistic, label, categories)


# Every force-held measure in the report, by series id (see docs/force-series-format.md).
SERIES: dict[str, SeriesInfo] = {
    "drug_disruptions": _info("count", "total", "All drugs disruptions"),
    "county_lines_disrupted": _info("count", "total", "County lines disrupted"),
    "cyber_dependent_investigated": _info(
        "proportion", "proportion", "Cyber-dependent crime disseminated that is investigated"
    ),
    "cyber_dependent_specialist_advice": _info(
        "proportion", "proportion", "Cyber-dependent crime victims given specialist advice"
    ),
    "victim_satisfaction_whole_experience": _info(
        "proportion",
        "proportion",
        "Victims satisfied with the whole experience",
        SATISFACTION_CATEGORIES,
    ),
    "victim_satisfaction_follow_up": _info(
        "proportion", "proportion", "Victims satisfied with follow-up", SATISFACTION_CATEGORIES
    ),
    "rape_referrals_to_cps": _info("count", "total", "Rape referrals to the CPS"),
    "rape_charges": _info("count", "total", "Rape offences charged"),
    "rape_charge_rate": _info("proportion", "proportion", "Rape offences charged / outcomes"),
    "feel_safe_day": _info("proportion", "proportion", "Feel safe during the day"),
    "feel_safe_after_dark": _info("proportion", "proportion", "Feel safe after dark"),
    "feel_informed": _info("proportion", "proportion", "Feel informed about policing"),
    "aware_have_a_say": _info(
        "proportion", "proportion", "Aware of opportunities to have a say about policing"
    ),
    "special_constable_duty_hours": _info("hours", "total", "Special constable duty hours"),
    "active_citizenship": _info(
        "proportion", "proportion", "Public involved in active citizenship"
    ),
    "cjs_days_offence_to_charge": _info("days", "median", "Days from offence to charge"),
    "cjs_days_referral_to_cps_decision": _info(
        "days", "mean", "Days from referral to CPS charge decision"
    ),
    "cjs_days_at_crown_court": _info("days", "mean", "Days from first hearing to Crown Court end"),
    "cjs_trial_or_guilty_plea": _info(
        "proportion", "proportion", "Crown Court cases completed at trial or by guilty plea"
    ),
    "reoffending_proportion": _info("proportion", "proportion", "Offenders who reoffend"),
    "reoffences_per_reoffender": _info("count", "mean", "Average reoffences per reoffender"),
}
