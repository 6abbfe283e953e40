"""manage.py load_standards: publishes the shipped files once, refuses broken files loudly."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from starcity.core.models import AuditEntry
from starcity.standards.choices import VersionStatus
from starcity.standards.management.commands.load_standards import default_files
from starcity.standards.models import StandardVersion

pytestmark = pytest.mark.django_db


def _run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("load_standards", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_default_files_are_the_shipped_standards():
    names = {path.name for path in default_files()}
    assert {"sd-city.yaml", "sd-county.yaml", "sd-community.yaml"} <= names


def test_loading_twice_publishes_each_file_once():
    files = default_files()
    out, _err = _run()
    assert out.count("published") == len(files)
    assert StandardVersion.objects.count() == len(files)
    audit_rows = AuditEntry.objects.count()

    out, _err = _run()
    assert out.count("unchanged") == len(files)
    assert StandardVersion.objects.count() == len(files)
    assert AuditEntry.objects.count() == audit_rows
    assert set(StandardVersion.objects.values_list("status", flat=True)) == {VersionStatus.PUBLISHED}
    assert all(v.published_by is None for v in StandardVersion.objects.all())


def test_named_files_only(tmp_path):
    path = default_files()[0]
    out, _err = _run(str(path))
    assert StandardVersion.objects.count() == 1
    assert path.name in out


def test_broken_file_fails_with_every_error(tmp_path, broken_text):
    broken = tmp_path / "broken.yaml"
    broken.write_text(broken_text, encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("load_standards", str(broken), stdout=StringIO(), stderr=err)
    assert caught.value.returncode != 0
    lines = [line for line in err.getvalue().splitlines() if line.startswith("  ")]
    assert len(lines) >= 2
    assert any("level" in line for line in lines)
    assert all("行" in line for line in lines)
    assert StandardVersion.objects.count() == 0


def test_broken_file_does_not_stop_the_good_ones(tmp_path, broken_text):
    broken = tmp_path / "broken.yaml"
    broken.write_text(broken_text, encoding="utf-8")
    good = default_files()[0]
    with pytest.raises(CommandError):
        call_command("load_standards", str(broken), str(good), stdout=StringIO(), stderr=StringIO())
    assert StandardVersion.objects.count() == 1


def test_missing_file_fails(tmp_path):
    with pytest.raises(CommandError):
        call_command("load_standards", str(tmp_path / "absent.yaml"), stdout=StringIO(), stderr=StringIO())
