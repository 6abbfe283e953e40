"""Publishing rating standards: a validated file becomes a new, immutable version of its line."""

import hashlib
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from starcity.core import clock
from starcity.core.audit import audit_record
from starcity.core.errors import InvalidTransition, NotAllowed, ValidationFailed
from starcity.scoring import Standard, StandardInvalid, load_standard
from starcity.standards.choices import StandardLevel, VersionStatus
from starcity.standards.models import StandardLine, StandardVersion
from starcity.standards.permissions import can_publish


class StandardAlreadyPublished(InvalidTransition):
    """This very file (same code, version and content) is already published."""

    def __init__(self, message: Any, *, version: StandardVersion):
        super().__init__(message)
        self.version = version


def engine_language() -> str:
    """The scoring engine's language for the active Django language ("zh" or "en")."""
    return "en" if (translation.get_language() or "").lower().startswith("en") else "zh"


def content_hash_of(content: str) -> str:
    """SHA-256 of the file text as UTF-8: the identity of a published file."""
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def problem_text(problem: Any) -> str:
    """One validation problem as a sentence naming its line and path, in the user's language."""
    message = problem.message(engine_language())
    parts = {"line": problem.line, "path": problem.path, "message": message}
    if problem.line is not None and problem.path:
        return _("第 %(line)d 行，%(path)s：%(message)s") % parts
    if problem.line is not None:
        return _("第 %(line)d 行：%(message)s") % parts
    if problem.path:
        return _("%(path)s：%(message)s") % parts
    return message


def standard_parse(*, content: str, source_name: str = "") -> Standard:
    """Parse and validate a standard file; every problem, with its path and line, in the user's
    language, is raised at once as `ValidationFailed`."""
    try:
        return load_standard(content, source=source_name or None)
    except StandardInvalid as exc:
        errors = [problem_text(error) for error in exc.errors]
        raise ValidationFailed(
            _("标准文件未通过校验，共 %(count)d 处问题：%(first)s")
            % {"count": len(errors), "first": errors[0] if errors else ""},
            errors=errors,
        ) from exc


def _check_publisher(by: Any, system: bool) -> None:
    if system:
        return
    if by is None or not can_publish(by):
        raise NotAllowed(_("只有省级管理员可以发布建设标准。"))


def _line_for(standard: Standard) -> tuple[StandardLine, bool]:
    """The line of `standard.code`, locked, created on first publication; its level is fixed."""
    line, created = StandardLine.objects.select_for_update().get_or_create(
        code=standard.code, defaults={"level": standard.level}
    )
    if line.level != standard.level:
        raise InvalidTransition(
            _("标准系列 %(code)s 的适用层级是“%(old)s”，不能改为“%(new)s”：层级不同请使用新的标准代码。")
            % {"code": line.code, "old": line.get_level_display(), "new": StandardLevel(standard.level).label}
        )
    return line, created


def _refuse_existing(line: StandardLine, version: str, digest: str) -> None:
    existing = StandardVersion.objects.filter(line=line, version=version).first()
    if existing is None:
        return
    if existing.content_hash == digest:
        raise StandardAlreadyPublished(
            _("%(label)s 已经发布过(内容相同)，无需重复发布。") % {"label": existing.label},
            version=existing,
        )
    raise InvalidTransition(
        _("%(label)s 已经发布，内容不同：已使用的版本永远不能修改，请以新的版本号发布。")
        % {"label": existing.label}
    )


def _supersede_current(line: StandardLine, *, by: Any, now: Any) -> StandardVersion | None:
    """Mark the line's version in force as superseded; records that pinned it keep using it."""
    current = (
        StandardVersion.objects.select_for_update().filter(line=line, status=VersionStatus.PUBLISHED).first()
    )
    if current is None:
        return None
    StandardVersion.objects.filter(pk=current.pk).update(status=VersionStatus.SUPERSEDED, superseded_at=now)
    audit_record(
        actor=by,
        action="standard.supersede",
        target=current,
        from_state=VersionStatus.PUBLISHED,
        to_state=VersionStatus.SUPERSEDED,
    )
    return current


def _create_version(
    line: StandardLine, standard: Standard, *, content: str, digest: str, source_name: str, by: Any, now: Any
) -> StandardVersion:
    """The new version's row; InvalidTransition when a concurrent publication of it won."""
    try:
        with transaction.atomic():
            return StandardVersion.objects.create(
                line=line,
                version=standard.version,
                level=standard.level,
                title=standard.title,
                title_en=standard.title_en or "",
                provenance=standard.provenance,
                grades=list(standard.grades),
                content=content,
                content_hash=digest,
                data=standard.raw,
                indicator_count=len(standard.indicators),
                published_at=now,
                published_by=by if getattr(by, "is_authenticated", False) else None,
                source_name=source_name[:255],
            )
    except IntegrityError as exc:
        # Another publication of the same version won the race after our check.
        raise InvalidTransition(_("该版本刚刚已被发布，请刷新后重试。")) from exc


def standard_version_publish(
    *, by: Any, content: str, source_name: str = "", system: bool = False
) -> StandardVersion:
    """Publish a standard file as a new version of its line.

    Only province administrators publish (`system=True` is for the `load_standards` command and
    data migrations, never for a web request). The file must pass every check of the format; a
    (code, version) pair is published once and never changed; a line keeps its level; the new
    version supersedes the one in force, which stays readable for records that pinned it. The
    file is parsed and checked before the transaction, so reading it never holds the write lock.
    """
    _check_publisher(by, system)
    standard = standard_parse(content=content, source_name=source_name)
    digest = content_hash_of(content)
    with transaction.atomic():
        line, _created = _line_for(standard)
        _refuse_existing(line, standard.version, digest)
        now = clock.now()
        previous = _supersede_current(line, by=by, now=now)
        version = _create_version(
            line, standard, content=content, digest=digest, source_name=source_name, by=by, now=now
        )
        audit_record(
            actor=by,
            action="standard.publish",
            target=version,
            to_state=VersionStatus.PUBLISHED,
            after={"code": line.code, "version": version.version, "hash": digest},
            extra={"source_name": source_name, "superseded": previous.pk if previous else None},
        )
    return version
