"""Section 5: the command line, run as a subprocess (exit 0 done, 2 refused, 1 anything else)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .helpers import EXAMPLES

ROOT = Path(__file__).resolve().parents[3]
STANDARD = str(EXAMPLES / "standard.yaml")


def cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "starcity.scoring", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )


def test_check_valid_standard_prints_one_line():
    done = cli("check", STANDARD)
    assert done.returncode == 0
    assert done.stdout.strip().splitlines() == [done.stdout.strip()]
    assert "EX-DEMO@1" in done.stdout and "7" in done.stdout
    assert cli("check", STANDARD, "--lang", "en").stdout.startswith("EX-DEMO@1 (county) is valid")


def test_check_invalid_standard_lists_every_error_on_stderr(tmp_path):
    text = (EXAMPLES / "standard.yaml").read_text(encoding="utf-8")
    text = text.replace("level: county", "level: town").replace(
        "thresholds: [60, 70, 80, 85, 90]", "thresholds: [60, 70]"
    )
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    done = cli("check", str(path), "--lang", "en")
    assert (done.returncode, done.stdout) == (2, "")
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"{path}: level (line 4): town is not one of")
    assert "indicators[2].thresholds (line" in lines[1] and "expected 5 thresholds, got 2" in lines[1]


@pytest.mark.parametrize("name", ["1-typical", "3-veto", "4-missing"])
def test_score_json(name):
    done = cli("score", STANDARD, str(EXAMPLES / f"values-{name}.yaml"), "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    expected = json.loads((EXAMPLES / f"expected-{name}.json").read_text(encoding="utf-8"))
    assert (data["grade"], data["score"]) == (expected["grade"], expected["score"])


def test_score_json_english_details():
    done = cli("score", STANDARD, str(EXAMPLES / "values-1-typical.yaml"), "--json", "--lang", "en")
    details = [lim["detail"] for lim in json.loads(done.stdout)["limits"]]
    assert "total score 67.00 < 75.00" in details


def test_score_readable_report_in_both_languages():
    zh = cli("score", STANDARD, str(EXAMPLES / "values-1-typical.yaml"))
    en = cli("score", STANDARD, str(EXAMPLES / "values-1-typical.yaml"), "--lang", "en")
    assert zh.returncode == en.returncode == 0
    assert "等级: 3/5 三星级" in zh.stdout and "提升路径 (目标 4 级)" in zh.stdout
    assert "Grade: 3/5" in en.stdout and "Plan (target grade 4)" in en.stdout
    assert "H01" in en.stdout and "3 → 4, value 90" in en.stdout


def test_refused_values_exit_two_with_nothing_on_stdout():
    done = cli("score", STANDARD, str(EXAMPLES / "values-bad.yaml"), "--json")
    assert (done.returncode, done.stdout) == (2, "")
    assert len(done.stderr.strip().splitlines()) == 5


def test_strict_mode_refuses_missing_values():
    done = cli("score", STANDARD, str(EXAMPLES / "values-4-missing.yaml"), "--strict")
    assert (done.returncode, done.stdout) == (2, "")
    assert len(done.stderr.strip().splitlines()) == 3


def test_values_standard_must_match(tmp_path):
    path = tmp_path / "v.yaml"
    path.write_text("schema: starcity/values@1\nstandard: EX-DEMO@2\nvalues: {H01: 80}\n", encoding="utf-8")
    done = cli("score", STANDARD, str(path))
    assert (done.returncode, done.stdout) == (2, "")
    assert "EX-DEMO@2" in done.stderr
    path.write_text("schema: starcity/values@1\nstandard: EX-DEMO@1\nvalues: {H01: 80}\n", encoding="utf-8")
    assert cli("score", STANDARD, str(path)).returncode == 0


def test_refused_standard_when_scoring(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text("schema: starcity/standard@1\n", encoding="utf-8")
    done = cli("score", str(path), str(EXAMPLES / "values-1-typical.yaml"))
    assert (done.returncode, done.stdout) == (2, "")
    assert "code" in done.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("check", "no-such-file.yaml"),
        ("score", STANDARD, "no-such-values.yaml"),
        ("score", STANDARD),
        ("frobnicate",),
        ("score", STANDARD, str(EXAMPLES / "values-1-typical.yaml"), "--lang", "fr"),
        (),
    ],
)
def test_anything_else_exits_one(args):
    done = cli(*args)
    assert done.returncode == 1
    assert done.stdout == ""
