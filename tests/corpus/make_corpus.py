"""Write the committed corpus of bad input files (run once; the files are committed).

Each file holds exactly one fault; tests/corpus/test_bad_inputs.py says what each must produce.
Large or binary cases (zip bombs, FIFOs, workbooks, odd encodings) are made at test time there.
Run: uv run python tests/corpus/make_corpus.py
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent / "files"

UK = ("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
      "Crime type,Last outcome category,Context")
UK_ROW = ("abc1,2023-01,Kent Police,Kent Police,0.52,51.27,On or near High Street,E01024000,"
          "Maidstone 001A,Burglary,Under investigation,")
OUT = ("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
       "Outcome type")
OUT_ROW = ("abc1,2023-01,Kent Police,Kent Police,0.52,51.27,On or near High Street,E01024000,"
           "Maidstone 001A,Investigation complete; no suspect identified")
SS = ("Type,Date,Part of a policing operation,Policing operation,Latitude,Longitude,Gender,"
      "Age range,Self-defined ethnicity,Officer-defined ethnicity,Legislation,Object of search,"
      "Outcome,Outcome linked to object of search,Removal of more than just outer clothing")
SS_ROW = ("Person search,2023-01-05T10:00:00+00:00,False,,51.27,0.52,Male,18-24,White,White,"
          "Misuse of Drugs Act 1971 (section 23),Controlled drugs,A no further action disposal,"
          "False,False")
REC = "12 months ending,PFA,Region,Offence,Rolling year total number of offences"
REC_ROW = "31/03/2018,Kent,South East,Robbery,1234"
OC = ("Financial Year,Financial Quarter,Force Name,Offence Description,Offence Group,"
      "Offence Subgroup,Offence Code,Number of Offences")
OC_ROW = "2022/23,1,Kent,Robbery of personal property,Robbery,Robbery,34B,41"
FS = ("force,series,period_type,period_end,window_months,category,comparator,value,numerator,"
      "denominator,unit,statistic,note")
FS_ROW = "Kent,drug_disruptions,month,2022-06-30,,,force,38,,,count,total,"


def street(*rows: str, header: str = UK) -> str:
    return "\n".join([header, *rows]) + "\n"


def swap(row: str, index: int, value: str) -> str:
    cells = row.split(",")
    cells[index] = value
    return ",".join(cells)


TEXT: dict[str, str] = {
    # data.police.uk street / outcomes / stop and search
    "uk/2023-01-kent-street-latitude-999.csv": street(swap(UK_ROW, 5, "999")),
    "uk/2023-01-kent-street-longitude-inf.csv": street(swap(UK_ROW, 4, "inf")),
    "uk/2023-01-kent-street-longitude-nan.csv": street(swap(UK_ROW, 4, "NaN")),
    "uk/2023-01-kent-street-latitude-text.csv": street(swap(UK_ROW, 5, "north")),
    "uk/2023-01-kent-street-month-1900.csv": street(swap(UK_ROW, 1, "1900-01")),
    "uk/2023-01-kent-street-month-9999.csv": street(swap(UK_ROW, 1, "9999-12")),
    "uk/2023-01-kent-street-month-13.csv": street(swap(UK_ROW, 1, "2023-13")),
    "uk/2023-01-kent-street-unknown-force.csv": street(swap(swap(UK_ROW, 3, "Narnia Police"),
                                                            2, "Narnia Police")),
    "uk/2023-01-kent-street-unknown-crime-type.csv": street(swap(UK_ROW, 9, "Jaywalking")),
    "uk/2023-01-kent-street-ragged-row.csv": street(",".join(UK_ROW.split(",")[:8])),
    "uk/2023-01-kent-street-extra-field.csv": street(UK_ROW + ",surplus"),
    # A row without its (often blank) last fields: fewer commas, not empty fields.
    "uk/2023-01-kent-street-short-row-no-context.csv": street(UK_ROW, UK_ROW.removesuffix(",")),
    "uk/2023-01-kent-street-short-row-no-outcome.csv": street(
        UK_ROW, ",".join(UK_ROW.split(",")[:10])),
    "uk/2023-01-kent-outcomes-short-row.csv": street(",".join(OUT_ROW.split(",")[:9]),
                                                     header=OUT),
    "uk/stop-and-search-short-row/2023-01-kent-stop-and-search.csv": street(
        ",".join(SS_ROW.split(",")[:13]), header=SS),
    "uk/2023-01-kent-street-unclosed-quote.csv": street(swap(UK_ROW, 6, '"On or near High'),
                                                        UK_ROW),
    "uk/2023-01-kent-street-missing-column.csv": street(
        ",".join(UK_ROW.split(",")[:-1]), header=UK.removesuffix(",Context")),
    "uk/2023-01-kent-street-extra-column.csv": street(UK_ROW + ",x", header=UK + ",Weather"),
    "uk/2023-01-kent-street-repeated-column.csv": street(
        UK_ROW + ",x", header=UK + ",Crime type"),
    "uk/2023-01-kent-street-header-only.csv": street(),
    "uk/2023-01-kent-outcomes-bad-month.csv": street(swap(OUT_ROW, 1, "Jan 2023"), header=OUT),
    "uk/2023-01-kent-outcomes-latitude-minus-91.csv": street(swap(OUT_ROW, 5, "-91"),
                                                             header=OUT),
    "uk/stop-and-search-bad-date/2023-01-kent-stop-and-search.csv": street(
        swap(SS_ROW, 1, "yesterday"), header=SS),
    "uk/stop-and-search-date-1900/2023-01-kent-stop-and-search.csv": street(
        swap(SS_ROW, 1, "1900-01-05T10:00:00+00:00"), header=SS),
    "uk/stop-and-search-bad-flag/2023-01-kent-stop-and-search.csv": street(
        swap(SS_ROW, 2, "Maybe"), header=SS),
    "uk/stop-and-search-latitude-999/2023-01-kent-stop-and-search.csv": street(
        swap(SS_ROW, 4, "999"), header=SS),
    "uk/2023-01-narnia-stop-and-search.csv": street(SS_ROW, header=SS),
    # ONS 2003-2018 rolling-year CSV
    "rec/rec-crime-count-beyond-64-bits.csv": street(swap(REC_ROW, 4, "99999999999999999999"),
                                                     header=REC),
    "rec/rec-crime-count-beyond-limit.csv": street(swap(REC_ROW, 4, "5000000000"), header=REC),
    "rec/rec-crime-count-fraction.csv": street(swap(REC_ROW, 4, "12.5"), header=REC),
    "rec/rec-crime-count-text.csv": street(swap(REC_ROW, 4, "lots"), header=REC),
    "rec/rec-crime-period-1900.csv": street(swap(REC_ROW, 0, "31/03/1900"), header=REC),
    "rec/rec-crime-period-9999.csv": street(swap(REC_ROW, 0, "31/12/9999"), header=REC),
    "rec/rec-crime-period-not-month-end.csv": street(swap(REC_ROW, 0, "15/03/2018"),
                                                     header=REC),
    "rec/rec-crime-period-not-a-date.csv": street(swap(REC_ROW, 0, "March 2018"), header=REC),
    "rec/rec-crime-unknown-pfa.csv": street(swap(REC_ROW, 1, "Atlantis"), header=REC),
    "rec/rec-crime-unknown-offence.csv": street(swap(REC_ROW, 3, "Piracy"), header=REC),
    "rec/rec-crime-duplicate-row.csv": street(REC_ROW, REC_ROW, header=REC),
    "rec/rec-crime-extra-column.csv": street(REC_ROW + ",x", header=REC + ",Notes"),
    "rec/rec-crime-missing-column.csv": street(",".join(REC_ROW.split(",")[:4]),
                                               header=REC.replace(",Region", ",Regio")),
    # A short row read as a blank count (a published blank) before the field count was checked.
    "rec/rec-crime-short-row.csv": street(REC_ROW, "31/03/2018,Kent,South East,Homicide",
                                          header=REC),
    "rec/rec-crime-short-row-quoted.csv": street('31/03/2018,Kent,"South East",Robbery,1',
                                                 '31/03/2018,Kent,"South East",Homicide',
                                                 header=REC),
    "rec/rec-crime-unclosed-quote.csv": street('31/03/2018,"Kent,South East,Robbery,1234',
                                               REC_ROW, header=REC),
    # Home Office offence-code tables
    "oc/offence-codes-count-beyond-64-bits.csv": street(swap(OC_ROW, 7, "99999999999999999999"),
                                                       header=OC),
    "oc/offence-codes-count-beyond-limit.csv": street(swap(OC_ROW, 7, "2000000000"), header=OC),
    "oc/offence-codes-negative-count.csv": street(swap(OC_ROW, 7, "-3"), header=OC),
    "oc/offence-codes-bad-year.csv": street(swap(OC_ROW, 0, "2022-23"), header=OC),
    "oc/offence-codes-year-1900.csv": street(swap(OC_ROW, 0, "1900/01"), header=OC),
    "oc/offence-codes-quarter-5.csv": street(swap(OC_ROW, 1, "5"), header=OC),
    "oc/offence-codes-unknown-force.csv": street(swap(OC_ROW, 2, "Gotham"), header=OC),
    "oc/offence-codes-short-row.csv": street(OC_ROW, ",".join(OC_ROW.split(",")[:7]),
                                             header=OC),
    "oc/offence-codes-long-row.csv": street(OC_ROW + ",99", header=OC),
    "oc/offence-codes-missing-column.csv": street(",".join(OC_ROW.split(",")[:7]),
                                                 header=OC.removesuffix(",Number of Offences")),
    # force series
    "fs/force-series-value-1e308.csv": street(swap(FS_ROW, 7, "1e308"), header=FS),
    "fs/force-series-value-1e400.csv": street(swap(FS_ROW, 7, "1e400"), header=FS),
    "fs/force-series-period-1900.csv": street(swap(FS_ROW, 3, "1900-06-30"), header=FS),
    "fs/force-series-period-9999.csv": street(swap(FS_ROW, 3, "9999-12-31"), header=FS),
    "fs/force-series-unknown-unit.csv": street(swap(FS_ROW, 10, "furlongs"), header=FS),
    "fs/force-series-unknown-column.csv": street(FS_ROW + ",x", header=FS + ",colour"),
    "fs/force-series-missing-column.csv": street("drug_disruptions,month,2022-06-30,38,count",
                                                 header="series,period_type,period_end,value,"
                                                 "unit"),
    "fs/force-series-many-problems.csv": street(
        swap(FS_ROW, 10, "furlongs"), swap(FS_ROW.replace("2022-06-30", "2022-07-31"), 7, "-1"),
        swap(FS_ROW.replace("2022-06-30", "2022-08-31"), 3, "2022-08-15"),
        swap(FS_ROW.replace("2022-06-30", "2022-09-30"), 0, "Gotham"), header=FS),
    "fs/force-series-short-row.csv": street(",".join(FS_ROW.split(",")[:8]), header=FS),
    "fs/force-series-long-row.csv": street(FS_ROW + ",extra", header=FS),
    "fs/force-series-duplicate.csv": street(FS_ROW, FS_ROW, header=FS),
    "fs/force-series-proportion-above-one.csv": street(
        "Kent,victim_satisfaction_overall,quarter,2022-06-30,12,,force,1.5,,,proportion,"
        "proportion,", header=FS),
    # not a format at all
    "other/notes.dat": "just some words\n",
    "other/empty.csv": "",
    # user files: catalogue, peer groups, report project
    "catalogue/alias-bomb.yaml": "a: &a [x,x,x,x,x,x,x,x,x,x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 10) + "]\n"
        for i in range(8)),
    "catalogue/deep-nesting.yaml": "measures: " + "[" * 5000 + "]" * 5000 + "\n",
    "catalogue/recursive-alias.yaml": "measures: &m [*m]\n",
    "catalogue/invalid-yaml.yaml": "measures: [\n",
    "catalogue/not-a-mapping.yaml": "- just\n- a list\n",
    "catalogue/invalid-and-valid-entries.yaml": (
        "measures:\n  - id: broken\n    title: Broken\n    kind: nonsense\n"
        "  - id: orphan\n    title: Orphan\n    priority: no_such_priority\n    kind: count\n"
        "    polarity: lower_is_better\n    unit: crimes\n    sources:\n"
        "      - kind: force_series\n        id: drug_disruptions\n"),
    "catalogue/python-tag.yaml": "measures: !!python/object/apply:os.system ['true']\n",
    "peers/mixed-key-types.yaml": "groups:\n  - force: Kent\n    1: one\n    size: 1\n"
                                  "    members: [Kent]\n",
    "peers/alias-bomb.yaml": "groups: []\n" + "a: &a [x,x,x,x,x,x,x,x,x,x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 10) + "]\n"
        for i in range(8)),
    "peers/deep-nesting.yaml": "groups: " + "[" * 5000 + "]" * 5000 + "\n",
    "peers/unknown-force.yaml": "groups:\n  - force: Gotham\n    size: 1\n    members: [Gotham]\n",
    "peers/no-groups.yaml": "teams: []\n",
    "project/alias-bomb/report.yaml": "force: Kent\n" + "a: &a [x,x,x,x,x,x,x,x,x,x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 10) + "]\n"
        for i in range(8)),
    "project/deep-nesting/report.yaml": "force: " + "[" * 5000 + "]" * 5000 + "\n",
    "project/invalid-yaml/report.yaml": "force: [Kent\n",
}

if __name__ == "__main__":
    for relative, text in TEXT.items():
        path = HERE / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    print(f"wrote {len(TEXT)} files under {HERE}")
