"""Checking uploaded files, and the private storage they are kept in.

An upload is judged by its content, never by its name: the kind is read from the first bytes
(for Office files, from the main part declared in the zip's [Content_Types].xml, or from the
stream names in the legacy container's directory; macro-enabled files are their own kinds and
are never allowed), the name's extension must agree with it, and the size must be within the
limit. The request itself is bounded too: `SizeLimitedUploadHandler` stops keeping a file's
bytes once it passes UPLOAD_MAX_BYTES. Stored files live under PRIVATE_MEDIA_ROOT, which has no
URL: they are served only by views that check permission.
"""

import codecs
import hashlib
import io
import os
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import IO, Any, NoReturn
from xml.parsers import expat

import filetype
import olefile
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

from starcity.core.errors import ValidationFailed
from starcity.core.text import enumeration

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "zip": "application/zip",
    "yaml": "application/yaml",
}
EXTENSIONS = {
    "pdf": {"pdf"},
    "png": {"png"},
    "jpeg": {"jpg", "jpeg"},
    "docx": {"docx"},
    "xlsx": {"xlsx"},
    "pptx": {"pptx"},
    "doc": {"doc"},
    "xls": {"xls"},
    "zip": {"zip"},
    "yaml": {"yaml", "yml", "json"},  # UTF-8 text: YAML, or JSON (which is YAML too)
}
EVIDENCE_KINDS = frozenset({"pdf", "png", "jpeg", "docx", "xlsx", "doc", "xls"})
MACRO_KINDS = frozenset({"docm", "xlsm", "pptm"})  # detected, never allowed
TOO_LARGE_ARCHIVE = "archive-too-large"  # a zip past the limits below: a bomb, not a document

MAX_ZIP_ENTRIES = 10_000
MAX_ZIP_UNPACKED_BYTES = 512 * 1024 * 1024
MAX_CONTENT_TYPES_BYTES = 1024 * 1024
_HEAD_BYTES = 8192
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
_OOXML = "application/vnd.openxmlformats-officedocument."
# The content type of each kind's main part, and the folder that part must be in.
_MAIN_PARTS = {
    _OOXML + "wordprocessingml.document.main+xml": ("docx", "word/"),
    _OOXML + "spreadsheetml.sheet.main+xml": ("xlsx", "xl/"),
    _OOXML + "presentationml.presentation.main+xml": ("pptx", "ppt/"),
    "application/vnd.ms-word.document.macroenabled.main+xml": ("docm", "word/"),
    "application/vnd.ms-excel.sheet.macroenabled.main+xml": ("xlsm", "xl/"),
    "application/vnd.ms-powerpoint.presentation.macroenabled.main+xml": ("pptm", "ppt/"),
}
_WITH_MACROS = {"docx": "docm", "xlsx": "xlsm", "pptx": "pptm", "doc": "docm", "xls": "xlsm"}
_UNSAFE_CHARS = set('<>:"/\\|?*')
MAX_NAME_LENGTH = 120


@dataclass(frozen=True)
class CheckedUpload:
    """What an accepted upload is: its kind by content, content type, digest, size and safe name."""

    kind: str
    content_type: str
    sha256: str
    size: int
    name: str


def validate_upload(
    file: Any, *, allowed: set[str] | frozenset[str], max_bytes: int | None = None
) -> CheckedUpload:
    """Accept `file` only when it is non-empty, within `max_bytes`, of an allowed kind by content,
    and named with an extension that agrees with that content; raise ValidationFailed otherwise.
    A file the upload handler stopped keeping (`OversizedUpload`) is refused by its size."""
    limit = settings.UPLOAD_MAX_BYTES if max_bytes is None else max_bytes
    if isinstance(file, OversizedUpload):
        limit = min(limit, file.limit)
    name = safe_filename(getattr(file, "name", "") or "")
    size = _size_of(file)
    if size == 0:
        _refuse(_("文件“%(name)s”是空文件。") % {"name": name})
    if size > limit or isinstance(file, OversizedUpload):
        _refuse(
            _("文件“%(name)s”大小为 %(size)s，超过上限 %(limit)s。")
            % {"name": name, "size": filesizeformat(size), "limit": filesizeformat(limit)}
        )
    kind = _checked_kind(name, detect_kind(file), allowed)
    return CheckedUpload(
        kind=kind, content_type=CONTENT_TYPES[kind], sha256=sha256_of(file), size=size, name=name
    )


def _checked_kind(name: str, kind: str | None, allowed: set[str] | frozenset[str]) -> str:
    if allowed == {"yaml"} and kind != "yaml":
        _refuse(_("文件“%(name)s”不是 UTF-8 编码的文本文件（YAML 或 JSON）。") % {"name": name})
    if kind is None or kind not in allowed or kind not in CONTENT_TYPES:
        _refuse(
            _("文件“%(name)s”的内容是%(detected)s，不是允许的类型（%(allowed)s）。")
            % {"name": name, "detected": _describe(kind), "allowed": enumeration(sorted(allowed))}
        )
    extension = os.path.splitext(name)[1].lower().lstrip(".")
    if extension not in EXTENSIONS[kind]:
        _refuse(
            _("文件“%(name)s”的扩展名“%(extension)s”与其内容（%(kind)s）不符。")
            % {"name": name, "extension": extension or _("无"), "kind": kind}
        )
    return kind


def _describe(kind: str | None) -> str:
    if kind is None:
        return _("无法识别的格式")
    if kind in {"exe", "elf", "dll"}:
        return _("可执行程序（%(kind)s）") % {"kind": kind}
    if kind in MACRO_KINDS:
        return _("含宏的 Office 文件（%(kind)s）") % {"kind": kind}
    if kind == TOO_LARGE_ARCHIVE:
        return _("解压后过大或文件过多的压缩包")
    if kind == "yaml":
        return _("文本")
    return kind


def _refuse(message: str) -> NoReturn:
    raise ValidationFailed(message, field="file", errors=[message])


def detect_kind(file: Any) -> str | None:
    """The kind of `file` read from its content ("pdf", "docx", "docm", "exe", "yaml" for UTF-8
    text, …), or None if unknown."""
    head = _read_head(file)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(_ZIP):
        return _zip_kind(file)
    if head.startswith(_OLE2):
        return _ole_kind(file)
    guess = filetype.guess(head)
    if guess is not None:
        return str(guess.extension)
    return "yaml" if _is_text(file) else None


def _is_text(file: Any) -> bool:
    """UTF-8 text without NUL bytes (read up to the upload limit, which may cut a character)."""
    data = _read_all(file, limit=settings.UPLOAD_MAX_BYTES)
    if b"\x00" in data:
        return False
    try:
        codecs.getincrementaldecoder("utf-8")().decode(data, final=len(data) <= settings.UPLOAD_MAX_BYTES)
    except UnicodeDecodeError:
        return False
    return True


def _zip_kind(file: Any) -> str | None:
    """An Office Open XML document is a zip whose [Content_Types].xml declares one main part
    of a known type, present in its folder; any VBA project makes it the macro-enabled kind."""
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
            if len(members) > MAX_ZIP_ENTRIES or sum(m.file_size for m in members) > MAX_ZIP_UNPACKED_BYTES:
                return TOO_LARGE_ARCHIVE
            names = {member.filename.lower() for member in members}
            if "[content_types].xml" not in names:
                return "zip"
            declared = _content_types(archive)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError, expat.ExpatError):
        return None
    finally:
        file.seek(0)
    return _ooxml_kind(names, declared)


def _content_types(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(part name, or `*.ext` for a default, content type in lower case) of [Content_Types].xml.

    Read with expat, refusing any DTD (so no entity expansion); ValueError when too large."""
    member = next(m for m in archive.infolist() if m.filename.lower() == "[content_types].xml")
    if member.file_size > MAX_CONTENT_TYPES_BYTES:
        raise ValueError("[Content_Types].xml is too large")
    declared: list[tuple[str, str]] = []

    def start(tag: str, attributes: dict[str, str]) -> None:
        local = tag.rsplit(" ", 1)[-1]
        content_type = attributes.get("ContentType", "").strip().lower()
        if local == "Override":
            declared.append((attributes.get("PartName", "").lstrip("/").lower(), content_type))
        elif local == "Default":
            declared.append(("*." + attributes.get("Extension", "").lower(), content_type))

    def refuse(*_args: Any) -> None:
        raise ValueError("a DTD in [Content_Types].xml")

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.Parse(archive.read(member), True)
    return declared


def _ooxml_kind(names: set[str], declared: list[tuple[str, str]]) -> str | None:
    """The one main part's kind (None unless exactly one is declared and present)."""
    kinds = {
        _MAIN_PARTS[content_type][0]
        for part, content_type in declared
        if content_type in _MAIN_PARTS and part in names and part.startswith(_MAIN_PARTS[content_type][1])
    }
    if len(kinds) != 1:
        return None
    kind = kinds.pop()
    macros = any(name.rsplit("/", 1)[-1] == "vbaproject.bin" for name in names) or any(
        "vbaproject" in content_type or "macroenabled" in content_type for _part, content_type in declared
    )
    return _WITH_MACROS.get(kind, kind) if macros else kind


def _ole_kind(file: Any) -> str | None:
    """Legacy Office files share one container; the streams in its directory tell Word
    (WordDocument) from Excel (Workbook, or Book before Excel 97); a VBA storage means macros."""
    try:
        file.seek(0)
        container = olefile.OleFileIO(file)  # a file object given is left open
        try:
            entries = {"/".join(path).lower() for path in container.listdir(streams=True, storages=True)}
        finally:
            container.close()
    except Exception:  # untrusted input: whatever olefile cannot read is no Office file
        return None
    finally:
        file.seek(0)
    if "worddocument" in entries:
        kind = "doc"
    elif "workbook" in entries or "book" in entries:
        kind = "xls"
    else:
        return None
    macros = {"macros", "_vba_project_cur", "_vba_project"} & entries
    return _WITH_MACROS[kind] if macros else kind


def _read_head(file: Any) -> bytes:
    file.seek(0)
    head = file.read(_HEAD_BYTES)
    file.seek(0)
    return bytes(head)


def _read_all(file: Any, *, limit: int) -> bytes:
    file.seek(0)
    data = file.read(limit + 1)
    file.seek(0)
    return bytes(data)


def _size_of(file: Any) -> int:
    size = getattr(file, "size", None)
    if isinstance(size, int):
        return size
    file.seek(0, os.SEEK_END)
    size = file.tell()
    file.seek(0)
    return int(size)


def sha256_of(file: IO[bytes] | Any) -> str:
    """The SHA-256 hex digest of the whole file (read in chunks; the position is reset)."""
    digest = hashlib.sha256()
    file.seek(0)
    chunks = file.chunks() if hasattr(file, "chunks") else iter(lambda: file.read(65536), b"")
    for chunk in chunks:
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def safe_filename(name: str, *, max_length: int = MAX_NAME_LENGTH) -> str:
    """A file name fit to show and to send back: no folders, control or reserved characters,
    no leading dots, at most `max_length` characters with the extension kept."""
    base = unicodedata.normalize("NFC", str(name)).replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(
        "_" if ch in _UNSAFE_CHARS else ch for ch in base if unicodedata.category(ch) not in {"Cc", "Cf"}
    )
    cleaned = cleaned.strip().lstrip(".").strip()
    if not cleaned:
        return "file"
    if len(cleaned) <= max_length:
        return cleaned
    stem, extension = os.path.splitext(cleaned)
    extension = extension[:16]
    return stem[: max(1, max_length - len(extension))] + extension


class OversizedUpload(UploadedFile):
    """What a form gets for a file larger than the upload limit: its name and true size, no
    content. `validate_upload` refuses it by its size, with the usual message."""

    def __init__(self, *, name: str, content_type: str | None, size: int, limit: int) -> None:
        super().__init__(io.BytesIO(b""), name=name, content_type=content_type, size=size)
        self.limit = limit


class SizeLimitedUploadHandler(FileUploadHandler):
    """The first upload handler: a file's bytes pass on to the next handlers until the file
    grows past settings.UPLOAD_MAX_BYTES; from then on they are only counted, never kept, and
    the form gets an `OversizedUpload` of the true size, so the page says "too large" instead of
    a multi-gigabyte body landing on disk before anything is checked. (The proxy in front should
    refuse such bodies first: its request size limit a little above UPLOAD_MAX_BYTES.)"""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.limit = int(settings.UPLOAD_MAX_BYTES)
        self.oversized = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if start + len(raw_data) > self.limit:
            self.oversized = True
        return None if self.oversized else raw_data

    def file_complete(self, file_size: int) -> UploadedFile | None:
        if not self.oversized:
            return None
        return OversizedUpload(
            name=self.file_name or "", content_type=self.content_type, size=file_size, limit=self.limit
        )


@deconstructible(path="starcity.core.uploads.PrivateStorage")
class PrivateStorage(FileSystemStorage):
    """Files under settings.PRIVATE_MEDIA_ROOT (read at each use, so tests can move it); no URL."""

    @property
    def base_location(self) -> str:
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("private files have no public URL; serve them through a permission-checked view")


private_storage = PrivateStorage()


def private_file_response(
    file: Any, *, filename: str, content_type: str, attachment: bool = True
) -> FileResponse:
    """Serve a stored private file (evidence, materials, photos) after the view has checked
    permission: never sniffed into another type, never run as a page of this site."""
    response = FileResponse(
        file.open("rb"), as_attachment=attachment, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
