"""The sources tamga knows: who publishes them, and where the current files are downloaded.

This table is data, not code: adding a list means adding a row here and, if its format is new, a
parser module. ``tamga update`` reads the download addresses from here and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Download:
    """One file of a source's current publication.

    ``filename`` is the name the file is saved under, chosen so that format detection sees the
    name it expects (OFAC's ``cons_alt.csv``, say). ``min_bytes`` rejects the truncated or empty
    answers publishers' servers sometimes give.
    """

    url: str
    filename: str
    format: str
    role: str = "main"
    min_bytes: int = 1024


@dataclass(frozen=True)
class SourceInfo:
    slug: str
    title: str
    authority: str
    publisher: str
    downloads: tuple[Download, ...] = field(default_factory=tuple)


_OFAC = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports"

SOURCES: dict[str, SourceInfo] = {
    s.slug: s
    for s in (
        SourceInfo(
            "ofac-sdn",
            "OFAC Specially Designated Nationals and Blocked Persons List",
            "US-OFAC",
            "US Treasury, Office of Foreign Assets Control",
            (
                Download(f"{_OFAC}/SDN.CSV", "sdn.csv", "ofac-csv", "primary", 1_000_000),
                Download(f"{_OFAC}/ALT.CSV", "alt.csv", "ofac-csv", "alt", 100_000),
                Download(f"{_OFAC}/ADD.CSV", "add.csv", "ofac-csv", "add", 100_000),
                Download(f"{_OFAC}/SDN_COMMENTS.CSV", "sdn_comments.csv", "ofac-csv", "comments", 100),
            ),
        ),
        SourceInfo(
            "ofac-cons",
            "OFAC Consolidated (non-SDN) Sanctions List: SSI, NS-PLC, NS-CMIC, NS-MBS, CAPTA…",
            "US-OFAC",
            "US Treasury, Office of Foreign Assets Control",
            (
                Download(f"{_OFAC}/CONS_PRIM.CSV", "cons_prim.csv", "ofac-csv", "primary", 10_000),
                Download(f"{_OFAC}/CONS_ALT.CSV", "cons_alt.csv", "ofac-csv", "alt", 1_000),
                Download(f"{_OFAC}/CONS_ADD.CSV", "cons_add.csv", "ofac-csv", "add", 1_000),
                Download(f"{_OFAC}/CONS_COMMENTS.CSV", "cons_comments.csv", "ofac-csv", "comments", 10),
            ),
        ),
        SourceInfo(
            "un-sc",
            "UN Security Council Consolidated List",
            "UN",
            "United Nations Security Council",
            (
                Download(
                    "https://scsanctions.un.org/resources/xml/en/consolidated.xml",
                    "consolidated.xml",
                    "un-sc-xml",
                    min_bytes=100_000,
                ),
            ),
        ),
        SourceInfo(
            "us-csl",
            "Consolidated Screening List (BIS Entity List, MEU, UVL, DPL, State, Treasury)",
            "US",
            "International Trade Administration, US Department of Commerce",
            (
                Download(
                    "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv",
                    "consolidated.csv",
                    "csl-csv",
                    min_bytes=100_000,
                ),
            ),
        ),
        SourceInfo(
            "eu-fsf",
            "EU Consolidated Financial Sanctions List",
            "EU",
            "European Commission, DG FISMA",
            (
                Download(
                    "https://webgate.ec.europa.eu/fsd/fsf/public/files/xmlFullSanctionsList_1_1/content"
                    "?token=dG9rZW4tMjAxNw",
                    "eu_fsf.xml",
                    "eu-fsf-xml",
                    min_bytes=100_000,
                ),
            ),
        ),
        # Transcriptions of the acts' annexes (OpenSanctions datasets/eu/journal_sanctions); no
        # official download exists, so these are ingested from a local copy only.
        SourceInfo(
            "eu-oj",
            "EU sanctions annexes from the Official Journal, consolidated per framework act",
            "EU",
            "Council of the European Union (Official Journal), transcribed by OpenSanctions",
        ),
        SourceInfo(
            "eu-oj-amend",
            "EU sanctions annexes from the Official Journal, amending acts since consolidation",
            "EU",
            "Council of the European Union (Official Journal), transcribed by OpenSanctions",
        ),
        SourceInfo(
            "uk-fcdo",
            "UK Sanctions List",
            "UK",
            "Foreign, Commonwealth & Development Office",
            (
                Download(
                    "https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.csv",
                    "UK-Sanctions-List.csv",
                    "uk-fcdo-csv",
                    min_bytes=100_000,
                ),
            ),
        ),
        SourceInfo(
            "uk-hmt",
            "OFSI Consolidated List of Financial Sanctions Targets",
            "UK",
            "HM Treasury, Office of Financial Sanctions Implementation",
            (
                Download(
                    "https://ofsistorage.blob.core.windows.net/publishlive/2022format/ConList.csv",
                    "ConList.csv",
                    "uk-ofsi-csv",
                    min_bytes=100_000,
                ),
            ),
        ),
    )
}
