"""OFAC program tags and the lists they put an entry on, shared by the CSV and XML parsers.

An SDN entry is on the SDN list whatever its programs. A non-SDN entry's list follows from its
programs (an NS-CMIC entry carries ``CMIC-EO13959``, an SSI entry ``UKRAINE-EO13662``); the table
below is in priority order because a few entries carry several tags.
"""

from __future__ import annotations

from tamga.model import Designation

AUTHORITY = "US-OFAC"

SDN_URL = "https://sanctionslist.ofac.treas.gov/Home/SdnList"
CONS_URL = "https://sanctionslist.ofac.treas.gov/Home/ConsolidatedList"

# (program tag, non-SDN list it implies), highest priority first.
NON_SDN_LISTS = (
    ("CMIC-EO13959", "NS-CMIC"),
    ("NS-PLC", "NS-PLC"),
    ("UKRAINE-EO13662", "SSI"),
    ("561-Related", "CAPTA"),
    ("RUSSIA-EO14024", "NS-MBS"),
)

# Legal basis of the programs most often asked about; others keep ``None`` rather than a guess.
LEGAL_BASIS = {
    "GLOMAG": "Executive Order 13818 (Global Magnitsky Human Rights Accountability Act)",
    "UHRPA": "Uyghur Human Rights Policy Act of 2020",
    "CMIC-EO13959": "Executive Order 13959, as amended by Executive Order 14032",
    "HK-EO13936": "Executive Order 13936 (Hong Kong Normalization)",
    "MAGNIT": "Sergei Magnitsky Rule of Law Accountability Act of 2012",
    "RUSSIA-EO14024": "Executive Order 14024",
    "UKRAINE-EO13662": "Executive Order 13662",
    "UKRAINE-EO13661": "Executive Order 13661",
    "UKRAINE-EO13660": "Executive Order 13660",
    "UKRAINE-EO13685": "Executive Order 13685",
    "SDGT": "Executive Order 13224",
    "SDNTK": "Foreign Narcotics Kingpin Designation Act",
    "NPWMD": "Executive Order 13382",
    "IFSR": "Iranian Financial Sanctions Regulations, 31 CFR part 561",
    "IRGC": "Executive Order 13224 / Iranian Financial Sanctions Regulations",
    "CYBER2": "Executive Order 13694, as amended by Executive Order 13757",
    "BELARUS-EO14038": "Executive Order 14038",
    "BURMA-EO14014": "Executive Order 14014",
    "ILLICIT-DRUGS-EO14059": "Executive Order 14059",
    "NS-PLC": "Palestinian Legislative Council list",
}


def split_programs(text: str | None) -> list[str]:
    """OFAC joins several program tags as ``A] [B``; XML gives them one per element."""
    if not text:
        return []
    tags = [p.strip(" []") for p in text.split("] [")]
    return [t for t in tags if t]


def list_for(programs: list[str], source: str) -> str:
    """The OFAC list an entry is on: ``SDN`` for the SDN file, else derived from its programs."""
    if source == "ofac-sdn":
        return "SDN"
    for tag, list_name in NON_SDN_LISTS:
        if tag in programs:
            return list_name
    return "Non-SDN"


_PROGRAM_LIST = dict(NON_SDN_LISTS)


def designations(programs: list[str], source: str, listed_on: str | None = None) -> list[Designation]:
    """One designation per program tag.

    On the non-SDN list a tag that names its own list (``CMIC-EO13959`` → NS-CMIC) keeps it, so an
    entry under both ``RUSSIA-EO14024`` and ``UKRAINE-EO13662`` is on NS-MBS and on SSI; other
    tags take the entry's list.
    """
    entry_list = list_for(programs, source)
    url = SDN_URL if source == "ofac-sdn" else CONS_URL
    return [
        Designation(
            authority=AUTHORITY,
            list=entry_list if source == "ofac-sdn" else _PROGRAM_LIST.get(program, entry_list),
            program=program,
            listed_on=listed_on,
            legal_basis=LEGAL_BASIS.get(program),
            source_url=url,
        )
        for program in programs
    ]
