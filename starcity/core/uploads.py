"""Checking uploaded files, and the private storage they are kept in.

An upload is judged by its content, never by its name: the kind is read from the first bytes
(and, for Office files, from the parts inside the zip), the name's extension must agree with it,
and the size must be within the limit. Stored files live under PRIVATE_MEDIA_ROOT, which has no
URL: they are served only by views that check permission.
"""

import hashlib
import os
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import IO, Any, NoReturn

import filetype
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

from starcity.core.errors import ValidationFailed

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
}
EVIDENCE_KINDS = frozenset({"pdf", "png", "jpeg", "docx", "xlsx", "doc", "xls"})

_HEAD_BYTES = 8192
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
_OOXML_FOLDERS = (("word/", "docx"), ("xl/", "xlsx"), ("ppt/", "pptx"))
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
    and named with an extension that agrees with that content; raise ValidationFailed otherwise."""
    limit = settings.UPLOAD_MAX_BYTES if max_bytes is None else max_bytes
    name = safe_filename(getattr(file, "name", "") or "")
    size = _size_of(file)
    if size == 0:
        _refuse(_("文件“%(name)s”是空文件。") % {"name": name})
    if size > limit:
        _refuse(
            _("文件“%(name)s”大小为 %(size)s，超过上限 %(limit)s。")
            % {"name": name, "size": filesizeformat(size), "limit": filesizeformat(limit)}
        )
    kind = _checked_kind(name, detect_kind(file), allowed)
    return CheckedUpload(
        kind=kind, content_type=CONTENT_TYPES[kind], sha256=sha256_of(file), size=size, name=name
    )


def _checked_kind(name: str, kind: str | None, allowed: set[str] | frozenset[str]) -> str:
    if kind is None or kind not in allowed or kind not in CONTENT_TYPES:
        _refuse(
            _("文件“%(name)s”的内容是%(detected)s，不是允许的类型（%(allowed)s）。")
            % {"name": name, "detected": _describe(kind), "allowed": "、".join(sorted(allowed))}
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
    return kind


def _refuse(message: str) -> NoReturn:
    raise ValidationFailed(message, field="file", errors=[message])


def detect_kind(file: Any) -> str | None:
    """The kind of `file` read from its content ("pdf", "docx", "exe", …), or None if unknown."""
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
    return guess.extension if guess is not None else None


def _zip_kind(file: Any) -> str | None:
    """An Office Open XML document is a zip holding [Content_Types].xml and its main folder."""
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        return None
    finally:
        file.seek(0)
    if "[Content_Types].xml" in names:
        for folder, kind in _OOXML_FOLDERS:
            if any(item.startswith(folder) for item in names):
                return kind
        return None
    return "zip"


def _ole_kind(file: Any) -> str | None:
    """Legacy Office files share one container; the stream names tell Word from Excel."""
    data = _read_all(file, limit=settings.UPLOAD_MAX_BYTES)
    if "WordDocument".encode("utf-16-le") in data:
        return "doc"
    if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
        return "xls"
    return None


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
