"""Uploads are judged by content: size, kind, extension agreement, and a safe name."""

import hashlib
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from starcity.core.errors import ValidationFailed
from starcity.core.uploads import (
    EVIDENCE_KINDS,
    PrivateStorage,
    detect_kind,
    safe_filename,
    validate_upload,
)

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200 + b"PE\x00\x00"


def ooxml(folder: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{folder}/document.xml", "<doc/>")
    return buffer.getvalue()


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    return buffer.getvalue()


def ole(stream: str) -> bytes:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500 + stream.encode("utf-16-le") + b"\x00" * 100


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


@pytest.mark.parametrize(
    ("name", "data", "kind", "content_type"),
    [
        ("报告.pdf", PDF, "pdf", "application/pdf"),
        ("截图.png", PNG, "png", "image/png"),
        ("photo.JPG", b"\xff\xd8\xff\xe0" + b"\x00" * 64, "jpeg", "image/jpeg"),
        (
            "方案.docx",
            ooxml("word"),
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "清单.xlsx",
            ooxml("xl"),
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("旧文档.doc", ole("WordDocument"), "doc", "application/msword"),
        ("旧表格.xls", ole("Workbook"), "xls", "application/vnd.ms-excel"),
    ],
)
def test_accepted_kinds(name, data, kind, content_type):
    checked = validate_upload(upload(name, data), allowed=EVIDENCE_KINDS)
    assert checked.kind == kind
    assert checked.content_type == content_type
    assert checked.sha256 == hashlib.sha256(data).hexdigest()
    assert checked.size == len(data)
    assert checked.name == name


def test_exe_renamed_pdf_is_refused_naming_the_file():
    with pytest.raises(ValidationFailed) as caught:
        validate_upload(upload("证明材料.pdf", EXE), allowed=EVIDENCE_KINDS)
    message = str(caught.value)
    assert "证明材料.pdf" in message
    assert "exe" in message
    assert caught.value.field == "file"


def test_extension_must_agree_with_content():
    with pytest.raises(ValidationFailed) as caught:
        validate_upload(upload("scan.png", PDF), allowed=EVIDENCE_KINDS)
    assert "scan.png" in str(caught.value)
    assert "png" in str(caught.value)


def test_missing_extension_is_refused():
    with pytest.raises(ValidationFailed):
        validate_upload(upload("report", PDF), allowed=EVIDENCE_KINDS)


def test_zip_without_office_parts_is_not_a_docx():
    with pytest.raises(ValidationFailed):
        validate_upload(upload("fake.docx", plain_zip()), allowed=EVIDENCE_KINDS)


def test_plain_zip_only_when_allowed():
    assert validate_upload(upload("a.zip", plain_zip()), allowed={"zip"}).kind == "zip"
    with pytest.raises(ValidationFailed):
        validate_upload(upload("a.zip", plain_zip()), allowed=EVIDENCE_KINDS)


def test_damaged_zip_is_refused():
    with pytest.raises(ValidationFailed):
        validate_upload(upload("broken.docx", b"PK\x03\x04" + b"\x00" * 40), allowed=EVIDENCE_KINDS)


def test_kind_outside_allowed_set_is_refused():
    with pytest.raises(ValidationFailed) as caught:
        validate_upload(upload("a.png", PNG), allowed={"pdf"})
    assert "pdf" in str(caught.value)


def test_empty_file_is_refused():
    with pytest.raises(ValidationFailed) as caught:
        validate_upload(upload("empty.pdf", b""), allowed=EVIDENCE_KINDS)
    assert "empty.pdf" in str(caught.value)


def test_oversize_is_refused_with_the_limit():
    with pytest.raises(ValidationFailed) as caught:
        validate_upload(upload("big.pdf", PDF + b"0" * 2000), allowed=EVIDENCE_KINDS, max_bytes=1024)
    assert "big.pdf" in str(caught.value)


@override_settings(UPLOAD_MAX_BYTES=32)
def test_default_limit_comes_from_settings():
    with pytest.raises(ValidationFailed):
        validate_upload(upload("a.pdf", PDF), allowed=EVIDENCE_KINDS)


def test_unknown_content_is_refused():
    with pytest.raises(ValidationFailed) as caught:
        validate_upload(upload("notes.pdf", b"just some text\n"), allowed=EVIDENCE_KINDS)
    assert "notes.pdf" in str(caught.value)


def test_detect_kind_reports_executables():
    assert detect_kind(io.BytesIO(EXE)) == "exe"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\me\\报告.pdf", "报告.pdf"),
        ("a\x00b\x1fc.pdf", "abc.pdf"),
        ("..hidden.pdf", "hidden.pdf"),
        ('we<ird>:"name|?*.pdf', "we_ird___name___.pdf"),
        ("", "file"),
        ("\u202egnp.pdf", "gnp.pdf"),
    ],
)
def test_safe_filename(raw, expected):
    assert safe_filename(raw) == expected


def test_safe_filename_keeps_the_extension_when_cut():
    name = safe_filename("长" * 300 + ".pdf", max_length=50)
    assert len(name) == 50
    assert name.endswith(".pdf")


def test_private_storage_follows_the_setting(tmp_path):
    storage = PrivateStorage()
    with override_settings(PRIVATE_MEDIA_ROOT=tmp_path):
        name = storage.save("evidence/x.pdf", io.BytesIO(PDF))
        assert (tmp_path / name).read_bytes() == PDF
    with pytest.raises(ValueError):
        storage.url(name)
