"""Self-assessment test data, built through the real services and the shared personas."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from starcity.regions.models import Region

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200 + b"PE\x00\x00"


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Evidence files go to a fresh private folder per test."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


def pdf_upload(name: str = "证明.pdf", data: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr("word/document.xml", "<doc/>")
    return buffer.getvalue()


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def full_values(standard) -> dict:  # type: ignore[no-untyped-def]
    """A valid value for every indicator: each attains grade 3 (thresholds met exactly)."""
    from starcity.scoring import exact_text

    values: dict = {}
    for indicator in standard.indicators:
        if indicator.method == "threshold":
            values[indicator.code] = exact_text(indicator.thresholds[2])
        elif indicator.method == "ratio":
            values[indicator.code] = {"numerator": exact_text(indicator.thresholds[2]), "denominator": "100"}
        elif indicator.method == "tiered":
            values[indicator.code] = 3
        else:
            values[indicator.code] = True
    return values


def first_of(standard, method: str):  # type: ignore[no-untyped-def]
    return next(indicator for indicator in standard.indicators if indicator.method == method)


@pytest.fixture
def huantai() -> Region:
    return region("370321")


@pytest.fixture
def county_std(county_standard):  # type: ignore[no-untyped-def]
    from starcity.standards.selectors import scoring_standard_for

    return scoring_standard_for(county_standard)


@pytest.fixture
def draft(county_operator, huantai, county_standard):  # type: ignore[no-untyped-def]
    """A draft of 桓台县 by its county operator against the county standard."""
    from starcity.assessments.services import assessment_create

    return assessment_create(by=county_operator, region=huantai, standard_version=county_standard)


@pytest.fixture
def filled(draft, county_operator, county_std):  # type: ignore[no-untyped-def]
    """The draft with every indicator answered."""
    from starcity.assessments.services import assessment_save_answers

    return assessment_save_answers(
        by=county_operator, assessment=draft, values=full_values(county_std), bonus={"B01": True}, vetoes={}
    )


@pytest.fixture
def submitted(filled, county_operator):  # type: ignore[no-untyped-def]
    """The filled draft with one evidence file, submitted."""
    from starcity.assessments.services import assessment_submit, evidence_attach

    evidence_attach(by=county_operator, assessment=filled, indicator_code="H01", file=pdf_upload())
    return assessment_submit(by=county_operator, assessment=filled)
