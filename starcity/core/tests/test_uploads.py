"""Uploads are judged by content: size, kind, extension agreement, and a safe name; the request
itself stops keeping a file's bytes past the upload limit."""

import hashlib
import io
import struct
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.test import RequestFactory, override_settings
from django.urls import reverse
from openpyxl import Workbook

from starcity.core.errors import ValidationFailed
from starcity.core.uploads import (
    EVIDENCE_KINDS,
    OversizedUpload,
    PrivateStorage,
    detect_kind,
    safe_filename,
    validate_upload,
)

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200 + b"PE\x00\x00"
OOXML = "application/vnd.openxmlformats-officedocument."
WORD_MAIN = OOXML + "wordprocessingml.document.main+xml"
EXCEL_MAIN = OOXML + "spreadsheetml.sheet.main+xml"
DOCM_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
XLSM_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
VBA = "application/vnd.ms-office.vbaProject"
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"


def content_types(overrides: dict[str, str], prolog: str = "") -> str:
    parts = "".join(f'<Override PartName="{part}" ContentType="{kind}"/>' for part, kind in overrides.items())
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<Types xmlns="{TYPES_NS}">'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f"{parts}</Types>"
    )


def ooxml(overrides: dict[str, str], parts: list[str], prolog: str = "") -> bytes:
    """A zip with [Content_Types].xml declaring `overrides`, and the given parts."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", content_types(overrides, prolog))
        for part in parts:
            archive.writestr(part, "<x/>")
    return buffer.getvalue()


def docx(*extra_parts: str) -> bytes:
    return ooxml({"/word/document.xml": WORD_MAIN}, ["word/document.xml", *extra_parts])


def xlsx() -> bytes:
    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    return buffer.getvalue()


FREE, END, FAT_SECTOR, NO_ENTRY = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def _directory_entry(
    name: str, kind: int, *, right: int = NO_ENTRY, child: int = NO_ENTRY, start: int = END, size: int = 0
) -> bytes:
    """One 128-byte directory entry: name, type, colour, left/right sibling, child, …, start, size."""
    raw = name.encode("utf-16-le") + b"\0\0" if name else b""
    fields = (raw, len(raw), kind, 1, NO_ENTRY, right, child, bytes(16), 0, bytes(8), bytes(8), start, size)
    return struct.pack("<64sHBBIII16sI8s8sIQ", *fields)


def ole(entries: dict[str, bytes | None]) -> bytes:
    """A minimal compound file (the legacy Office container: version 3, 512-byte sectors) whose
    root holds up to three entries: name → stream content, or None for an empty storage."""
    sectors: list[bytes] = []
    fat = [FAT_SECTOR, END]  # sector 0 is the FAT, sector 1 the directory
    directory = [_directory_entry("Root Entry", 5, child=1 if entries else NO_ENTRY)]
    for index, (name, content) in enumerate(entries.items(), start=1):
        right = index + 1 if index < len(entries) else NO_ENTRY
        if content is None:
            directory.append(_directory_entry(name, 1, right=right, start=0))
            continue
        content = content.ljust(max(4096, -(-len(content) // 512) * 512), b"\0")  # no mini stream
        first, count = 2 + len(sectors), len(content) // 512
        sectors += [content[i * 512 : (i + 1) * 512] for i in range(count)]
        fat += [first + i + 1 for i in range(count - 1)] + [END]
        directory.append(_directory_entry(name, 2, right=right, start=first, size=len(content)))
    directory += [_directory_entry("", 0)] * (4 - len(directory))
    # Version 3, little-endian, 512-byte sectors; one FAT sector (0); the directory at sector 1.
    fields = (OLE_SIGNATURE, bytes(16), 0x3E, 3, 0xFFFE, 9, 6, bytes(6), 0, 1, 1, 0, 4096, END, 0, END, 0)
    header = struct.pack("<8s16sHHHHH6sIIIIIIIII", *fields) + struct.pack("<109I", 0, *[FREE] * 108)
    fat_sector = struct.pack("<128I", *(fat + [FREE] * (128 - len(fat))))
    return header + fat_sector + b"".join(directory) + b"".join(sectors)


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def refusal(name: str, data: bytes, **kwargs) -> str:  # type: ignore[no-untyped-def]
    kwargs.setdefault("allowed", EVIDENCE_KINDS)
    with pytest.raises(ValidationFailed) as caught:
        validate_upload(upload(name, data), **kwargs)
    assert caught.value.field == "file"
    return str(caught.value)


@pytest.mark.parametrize(
    ("name", "data", "kind", "content_type"),
    [
        ("报告.pdf", PDF, "pdf", "application/pdf"),
        ("截图.png", PNG, "png", "image/png"),
        ("photo.JPG", b"\xff\xd8\xff\xe0" + b"\x00" * 64, "jpeg", "image/jpeg"),
        ("方案.docx", docx(), "docx", OOXML + "wordprocessingml.document"),
        ("清单.xlsx", xlsx(), "xlsx", OOXML + "spreadsheetml.sheet"),
        ("旧文档.doc", ole({"WordDocument": b"w", "1Table": b"t"}), "doc", "application/msword"),
        ("旧表格.xls", ole({"Workbook": b"b"}), "xls", "application/vnd.ms-excel"),
        ("Excel5.xls", ole({"Book": b"b"}), "xls", "application/vnd.ms-excel"),
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
    message = refusal("证明材料.pdf", EXE)
    assert "证明材料.pdf" in message
    assert "exe" in message


def test_extension_must_agree_with_content():
    message = refusal("scan.png", PDF)
    assert "scan.png" in message
    assert "png" in message


def test_missing_extension_is_refused():
    refusal("report", PDF)


# ---------------------------------------------------------------------------------------------
# Office Open XML: the declared main part decides


def test_zip_without_office_parts_is_not_a_docx():
    refusal("fake.docx", plain_zip())


@pytest.mark.parametrize(
    "data",
    [
        ooxml({}, ["word/document.xml"]),  # a word/ folder, but no main part declared
        ooxml({"/word/document.xml": "application/xml"}, ["word/document.xml", "payload.exe"]),
        ooxml({"/word/document.xml": WORD_MAIN}, ["word/other.xml"]),  # declared, not there
        ooxml({"/payload.bin": WORD_MAIN}, ["payload.bin"]),  # the main part outside word/
        ooxml(
            {"/word/document.xml": WORD_MAIN, "/xl/workbook.xml": EXCEL_MAIN},
            ["word/document.xml", "xl/workbook.xml"],
        ),
    ],
    ids=["no-main-part", "other-main-type", "main-part-missing", "main-part-elsewhere", "two-main-parts"],
)
def test_a_zip_is_office_only_with_exactly_one_declared_main_part(data):
    assert detect_kind(io.BytesIO(data)) is None
    assert "无法识别" in refusal("fake.docx", data)


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("宏.docx", ooxml({"/word/document.xml": DOCM_MAIN}, ["word/document.xml"]), "docm"),
        ("宏.docx", docx("word/vbaProject.bin"), "docm"),  # a VBA project under a plain document type
        ("宏.xlsx", ooxml({"/xl/workbook.xml": EXCEL_MAIN, "/xl/vba.bin": VBA}, ["xl/workbook.xml"]), "xlsm"),
        ("宏.xlsm", ooxml({"/xl/workbook.xml": XLSM_MAIN}, ["xl/workbook.xml"]), "xlsm"),
        ("宏.doc", ole({"WordDocument": b"w", "Macros": None}), "docm"),
        ("宏.xls", ole({"Workbook": b"b", "_VBA_PROJECT_CUR": None}), "xlsm"),
    ],
)
def test_macro_enabled_office_files_are_refused(name, data, kind):
    assert detect_kind(io.BytesIO(data)) == kind
    message = refusal(name, data)
    assert name in message
    assert "宏" in message


def test_a_dtd_in_the_content_types_is_refused_unparsed():
    bomb = '<!DOCTYPE Types [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    data = ooxml({"/word/document.xml": WORD_MAIN}, ["word/document.xml"], prolog=bomb)
    assert detect_kind(io.BytesIO(data)) is None


def test_a_zip_with_too_many_entries_is_refused(monkeypatch):
    monkeypatch.setattr("starcity.core.uploads.MAX_ZIP_ENTRIES", 3)
    assert detect_kind(io.BytesIO(docx())) == "docx"
    data = docx("word/media/1.png", "word/media/2.png")
    assert "过多" in refusal("图片很多.docx", data)


def test_a_zip_that_unpacks_too_large_is_refused(monkeypatch):
    monkeypatch.setattr("starcity.core.uploads.MAX_ZIP_UNPACKED_BYTES", 100)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types({"/word/document.xml": WORD_MAIN}))
        archive.writestr("word/document.xml", "<w>" + " " * 10_000 + "</w>")
    assert "过大" in refusal("炸弹.docx", buffer.getvalue())


def test_plain_zip_only_when_allowed():
    assert validate_upload(upload("a.zip", plain_zip()), allowed={"zip"}).kind == "zip"
    refusal("a.zip", plain_zip())


def test_damaged_zip_is_refused():
    refusal("broken.docx", b"PK\x03\x04" + b"\x00" * 40)


# ---------------------------------------------------------------------------------------------
# Legacy Office: the stream names in the container's directory decide


def test_a_legacy_container_is_judged_by_its_directory_not_its_bytes():
    disguised = ole({"Data": "Book Workbook WordDocument".encode("utf-16-le")})
    assert detect_kind(io.BytesIO(disguised)) is None
    refusal("伪装.xls", disguised)


def test_a_legacy_signature_with_no_container_behind_it_is_refused():
    fake = OLE_SIGNATURE + b"\x00" * 500 + "Workbook".encode("utf-16-le") + b"\x00" * 100
    assert detect_kind(io.BytesIO(fake)) is None
    refusal("旧表格.xls", fake)


def test_a_legacy_file_of_another_kind_is_refused():
    assert detect_kind(io.BytesIO(ole({"PowerPoint Document": b"p"}))) is None


# ---------------------------------------------------------------------------------------------
# Text (standard files): UTF-8, no NUL, named .yaml, .yml or .json


@pytest.mark.parametrize("name", ["sd-city.yaml", "sd-city.YML", "sd-city.json"])
def test_utf8_text_is_the_yaml_kind(name):
    checked = validate_upload(upload(name, "code: 标准\n".encode()), allowed={"yaml"}, max_bytes=1024)
    assert (checked.kind, checked.content_type) == ("yaml", "application/yaml")


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("standard.yaml", b"code: x\n\x00", "UTF-8 编码的文本文件"),
        ("standard.yaml", "标准".encode("gbk"), "UTF-8 编码的文本文件"),
        ("standard.yaml", "code: 标准".encode()[:-1], "UTF-8 编码的文本文件"),  # cut inside a character
        ("standard.yaml", PDF, "UTF-8 编码的文本文件"),
        ("standard.txt", b"code: x\n", "扩展名"),
        ("standard.yaml", b"code: x\n" * 200, "超过上限"),
    ],
)
def test_text_is_checked_like_any_upload(name, data, message):
    found = refusal(name, data, allowed={"yaml"}, max_bytes=1024)
    assert message in found
    assert name in found


def test_text_is_not_evidence():
    message = refusal("notes.pdf", b"just some text\n")
    assert "notes.pdf" in message
    assert "文本" in message


# ---------------------------------------------------------------------------------------------
# Size


def test_kind_outside_allowed_set_is_refused():
    assert "pdf" in refusal("a.png", PNG, allowed={"pdf"})


def test_empty_file_is_refused():
    assert "empty.pdf" in refusal("empty.pdf", b"")


def test_oversize_is_refused_with_the_limit():
    assert "big.pdf" in refusal("big.pdf", PDF + b"0" * 2000, max_bytes=1024)


@override_settings(UPLOAD_MAX_BYTES=32)
def test_default_limit_comes_from_settings():
    refusal("a.pdf", PDF)


def test_unknown_content_is_refused():
    assert "x.pdf" in refusal("x.pdf", b"\xfe\xff\x00\x01binary")


def test_detect_kind_reports_executables():
    assert detect_kind(io.BytesIO(EXE)) == "exe"


# ---------------------------------------------------------------------------------------------
# The request: a file past the limit is counted, not kept


def test_the_size_limited_handler_comes_first(settings):
    assert settings.FILE_UPLOAD_HANDLERS[0] == "starcity.core.uploads.SizeLimitedUploadHandler"


def test_an_oversize_file_is_counted_but_not_kept(settings, monkeypatch):
    settings.UPLOAD_MAX_BYTES = 200 * 1024
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0  # the next handler would write the file to disk
    written: list[int] = []
    real = TemporaryFileUploadHandler.receive_data_chunk

    def spy(self, raw_data, start):  # type: ignore[no-untyped-def]
        written.append(len(raw_data))
        return real(self, raw_data, start)

    monkeypatch.setattr(TemporaryFileUploadHandler, "receive_data_chunk", spy)
    big = PDF + b"0" * (3 * 1024 * 1024)
    request = RequestFactory().post("/", {"note": "x", "file": upload("大文件.pdf", big)})
    received = request.FILES["file"]
    assert isinstance(received, OversizedUpload)
    assert (received.name, received.size) == ("大文件.pdf", len(big))
    assert sum(written) <= settings.UPLOAD_MAX_BYTES
    assert request.POST["note"] == "x"
    message = refusal_of(received)
    assert "大文件.pdf" in message and "3.0\xa0MB" in message and "200.0\xa0KB" in message


def test_a_file_within_the_limit_passes_untouched(settings):
    settings.UPLOAD_MAX_BYTES = 1024
    request = RequestFactory().post("/", {"file": upload("小文件.pdf", PDF)})
    received = request.FILES["file"]
    assert not isinstance(received, OversizedUpload)
    assert received.read() == PDF


def refusal_of(file) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationFailed) as caught:
        validate_upload(file, allowed=EVIDENCE_KINDS, max_bytes=10**9)  # the handler's limit holds
    return str(caught.value)


@pytest.mark.django_db
def test_an_oversize_evidence_upload_says_too_large_and_writes_nothing(
    client, settings, tmp_path, county_operator, county_standard
):
    from starcity.assessments.models import Evidence
    from starcity.assessments.services import assessment_create
    from starcity.regions.models import Region

    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.UPLOAD_MAX_BYTES = 64 * 1024
    draft = assessment_create(
        by=county_operator, region=Region.objects.get(code="370321"), standard_version=county_standard
    )
    client.force_login(county_operator)
    url = reverse("assessments:evidence_upload", args=[draft.pk])
    for headers in ({"HX-Request": "true"}, {}):  # the indicator's block, or the page reloaded
        big = upload("扫描件.pdf", PDF + b"0" * (1024 * 1024))
        response = client.post(url, {"indicator_code": "H01", "file": big}, headers=headers, follow=True)
        assert response.status_code == (400 if headers else 200)
        body = response.content.decode()
        assert "扫描件.pdf" in body and "超过上限" in body and "64.0\xa0KB" in body
    assert not Evidence.objects.exists()
    assert not (tmp_path / "private").exists() or not any((tmp_path / "private").rglob("*.*"))


# ---------------------------------------------------------------------------------------------
# Names and storage


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
