"""Titles and dates signed read off texts from other collections, checked by reading each text."""

from __future__ import annotations

import re

import pytest

from auditor.pipeline import parse_file
from auditor.structure.dates import date_signed, parse_date
from tests.conftest import CORPUS, shared_file

WILD = CORPUS / "wild"

# Read by hand: the title as the text sets it (never the preamble run on after it), and the testimonium's date.
CHECKED = [
    ("AZE-GEO_NA__1996O.txt", "AGREEMENT on Free Trade Between the Government of Georgia and the Government of the "
                              "Republic of Azerbaijan", None),  # "made in Tbilisi on March 1996": no day
    ("AUS-JPN_NA__2014O.txt", "Agreement Between Japan and Australia for an Economic Partnership", "2014-07-08"),
    ("LVA-SVK_SLV__1996O.txt", "Free Trade Agreement Between the Slovak Republic and the Republic of Latvia",
     "1996-04-19"),  # "this 19th day of April one thousand nine hundred and ninety six"
    ("ARM-KGZ_KYR__1994O.txt", "Free Trade Agreement Between the Kyrgyz Republic and Armenia", "1994-07-04"),
    ("USA-VNM_NA__2000O.txt", "Agreement Between the United States of America and the Socialist Republic of Vietnam "
                              "on Trade Relations", "2000-07-13"),  # one line: title, then "The Government of ..."
    ("TKM-UKR_UKR__1994O.txt", "Free Trade Agreement Between Ukraine and Turkmenistan", "1994-11-05"),
    ("MUS-TUR_NA__2011O.txt", "Free Trade Agreement Between the Republic of Turkey and the Republic of Mauritius",
     "2011-09-09"),  # five short capital lines; "on 9 / th of September 2011" across a line break
    ("CRI-MEX_NA__1994O.txt", "Free Trade Agreement between the United Mexican States and the Republic of Costa Rica",
     "1994-04-05"),  # "the fifth day of April in the year one thousand nine hundred and ninety-four"
    ("HRV-MKD_MCD__1997O.txt", "Free Trade Agreement Between Croatia and the Former Yugoslav Republic of Macedonia",
     "1997-05-09"),
    ("COL-PAN_NA__2013O.txt", None, "2013-09-20"),
]


@pytest.mark.parametrize("name, title, signed", CHECKED)
def test_title_and_date_signed_of_texts_from_other_collections(name, title, signed):
    agreement = parse_file(shared_file(WILD / name))
    if title is not None:
        assert agreement.title == title
    assert agreement.title and len(agreement.title) < 160 and not re.search(r"hereinafter|referred to", agreement.title)
    assert agreement.date_signed == signed


def test_dates_of_the_whole_wild_collection_agree_with_its_file_names():
    """Each file name carries a year (of signature or entry into force): the dates read agree with it."""
    from pathlib import Path

    from auditor.ingest import ingest_bytes
    from auditor.structure.lines import flatten

    files = [f for f in sorted(shared_file(WILD).glob("*.txt")) if re.search(r"_\d{4}[A-Z]?\.txt$", f.name)]
    dated = agreeing = 0
    for f in files:
        lines = [ln.text for ln in flatten(ingest_bytes(Path(f).read_bytes(), source=str(f)))]
        found = date_signed(lines)
        if found:
            dated += 1
            agreeing += abs(int(found[:4]) - int(re.search(r"_(\d{4})[A-Z]?\.txt$", f.name).group(1))) <= 1
    assert dated >= 0.6 * len(files)
    assert agreeing >= 0.97 * dated


@pytest.mark.parametrize("text, date", [
    ("DONE in duplicate at Tirana this 26th day of March 2003", "2003-03-26"),
    ("Done in the City of Ashgabat, on October 3, 1995", "1995-10-03"),
    ("this Twenty-Seventh Day of February in the Year Two Thousand and Nine", "2009-02-27"),
    ("Hecho en Lima, el 4 de julio de 1994", "1994-07-04"),
    ("Fait à Bruxelles, le 12 juin 2006", "2006-06-12"),
    ("el 1º de enero de 2005", "2005-01-01"),
    ("on the 45th day of March 2003", None),
    ("in March 1996", None),
])
def test_dates_written_out(text, date):
    assert parse_date(text) == date


def test_a_mention_of_another_instrument_or_a_blank_form_is_no_signing_date():
    assert date_signed(["recalling the WTO Agreement, done at Marrakesh on 15 April 1994,", "Article 1"]) is None
    assert date_signed(["Done at _____________ this _____ day of _____________ 2003"]) is None
    assert date_signed(["Article 1", "DONE at Tirana, this 22nd day of December 2006"]) == "2006-12-22"
    assert date_signed(["Date of signing: November 5, 1994", "Done at Kyiv on 1 May 2001"]) == "1994-11-05"
