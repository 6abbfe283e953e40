"""The shipped example values score against the shipped city standard from the command line."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_cli_scores_the_shipped_city_example():
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "starcity.scoring",
            "score",
            str(ROOT / "standards" / "sd-city.yaml"),
            str(ROOT / "standards" / "examples" / "sd-city-values.yaml"),
            "--json",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["standard"] == {"code": "SD-CITY", "version": "2019-trial-derived"}
    assert result["grade"] == 3
    assert result["missing"] == ["H06"]
    assert len(result["indicators"]) == 49
    assert result["plan"]["target"] == 4
