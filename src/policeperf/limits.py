"""Every limit policeperf puts on what it reads and makes, with the reason for each figure.

A limit turns input that would exhaust memory or time (an archive that inflates a thousandfold, a
YAML alias bomb, ``generate --rows 10000000000``) or a value that cannot be real (a count of 10^20
offences, latitude 999) into a one-line error naming where it is. The figures sit far above
anything the real sources hold, so no real file is refused; docs/reliability.md lists them too.
"""

from __future__ import annotations

from datetime import date

# --- Zip archives (policeperf.ingest.detect) ---------------------------------------------------
#: Largest uncompressed zip member. The largest real member is a data.police.uk street CSV of the
#: Metropolitan Police for one month: about 25 MB. 2 GiB is 80 times that and still fits a
#: 64-bit file offset comfortably on every file system we write the temporary copy to.
ZIP_MAX_MEMBER_BYTES = 2 << 30
#: Largest total of all members of one archive. The full data.police.uk archive (every force,
#: 36 months, street + outcomes + stop and search) unpacks to about 6 GB; 16 GiB leaves room for
#: the 2010-present archive while refusing an archive built to fill the disk.
ZIP_MAX_TOTAL_BYTES = 16 << 30
#: Largest ratio of a member's uncompressed to compressed size. CSV text deflates 5-15x (the
#: data.police.uk files about 8x); 200x is reached only by crafted or padding-only members (a zip
#: bomb is typically 1000x or more).
ZIP_MAX_RATIO = 200
#: Ratio check applies only to members larger than this (a few bytes of blank cells compress
#: 1000x legitimately and cost nothing).
ZIP_RATIO_MIN_BYTES = 1 << 20
#: Most members in one archive. The 2010-present data.police.uk archive has about 15,000
#: (45 forces x 3 kinds x ~160 months, not all present); 100,000 allows for its growth.
ZIP_MAX_MEMBERS = 100_000
#: Longest member name, in bytes. Linux file names stop at 255 bytes per component and paths at
#: 4096; data.police.uk names are under 80 characters.
ZIP_MAX_NAME_BYTES = 255

# --- Text and YAML files the user writes (catalogue, peer groups, report project) -------------
#: Largest YAML or Markdown file read. The shipped catalogue is about 30 KB and a report project's
#: largest file a few KB; 5 MiB is 150 times the catalogue.
TEXT_MAX_BYTES = 5 << 20
#: Most YAML aliases (``*name``) in one document. The shipped files use none; a catalogue might
#: use anchors for shared settings, a few dozen at most. An alias bomb needs thousands (nine
#: levels of ten already expand to 10^9 nodes), and 100 cannot expand to more than 100 copies of
#: the largest anchored node, which the size limit bounds.
YAML_MAX_ALIASES = 100
#: Deepest nesting of YAML collections. The catalogue nests four levels (file > measures > measure
#: > breakdown); 50 is far beyond any hand-written file and far below Python's recursion limit,
#: which deeply nested YAML would otherwise hit inside PyYAML's constructor.
YAML_MAX_DEPTH = 50
#: Most values (scalars and collections) in one YAML document once every alias is expanded. The
#: shipped catalogue has about 3,000; 100,000 allows a catalogue thirty times larger, and an alias
#: bomb (a billion values from a few hundred bytes) stops here after microseconds.
YAML_MAX_NODES = 100_000

# --- Values in data files --------------------------------------------------------------------
#: Largest count of offences in one cell. England and Wales record about 6.7 million crimes a year
#: in all; 10^9 is 150 times that, so anything larger is a corrupt or mistyped cell (a value of
#: 10^20 does not even fit the warehouse's 64-bit integers).
MAX_COUNT = 1_000_000_000
#: Largest magnitude of a force-series value (counts, hours, days, proportions, rates). 10^12 is
#: far above any real one; 1e308 and infinity would print as "inf" in a report.
MAX_SERIES_VALUE = 1e12
#: Latitude and longitude ranges of a WGS84 coordinate: anything outside is not a place.
LATITUDE_RANGE = (-90.0, 90.0)
LONGITUDE_RANGE = (-180.0, 180.0)
#: Earliest period a data file may hold. The first police recorded crime figures policeperf reads
#: are for the year ending March 2003 and force series from surveys start after 2000; 1990 leaves
#: room for older series while refusing 1900 (a blank Excel date) and 0001.
MIN_PERIOD = date(1990, 1, 1)
#: A period may end at most this many days after today: published data describe the past, and a
#: quarter being published ends within the year. 9999-12-31 (an "open-ended" database date) is not
#: a period.
MAX_PERIOD_DAYS_AHEAD = 366

# --- generate (policeperf.synthetic) -----------------------------------------------------------
#: Most street rows ``generate`` writes. 10^8 rows is about 25 GB of CSV, five times everything
#: data.police.uk has published since 2010; a larger request is a typo that would run until the
#: disk or the kernel stops it.
GENERATE_MAX_ROWS = 100_000_000
#: Most months ``generate`` spans: 50 years.
GENERATE_MAX_MONTHS = 600


def max_period(today: date | None = None) -> date:
    """The latest period end a data file may hold (see :data:`MAX_PERIOD_DAYS_AHEAD`)."""
    from datetime import timedelta

    return (today or date.today()) + timedelta(days=MAX_PERIOD_DAYS_AHEAD)
