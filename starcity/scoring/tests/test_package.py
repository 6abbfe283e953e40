"""The package is pure Python (no Django, nothing else from starcity) and its benchmark works."""

import ast
import random
import subprocess
import sys
from pathlib import Path

from starcity.scoring.bench import bench_engine
from starcity.scoring.synthetic import random_batch, synthetic_standard

PACKAGE = Path(__file__).resolve().parents[1]
ALLOWED = {"yaml", "__future__"} | set(sys.stdlib_module_names)


def _imports(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


def test_only_stdlib_and_pyyaml_are_imported():
    for path in PACKAGE.glob("*.py"):
        for name in _imports(path):
            assert name.split(".")[0] in ALLOWED, f"{path.name} imports {name}"


def test_importing_does_not_load_django():
    code = (
        "import sys, starcity.scoring.cli, starcity.scoring.bench\n"
        "print(any(m.startswith('django') for m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=PACKAGE.parents[1], timeout=60
    )
    assert done.stdout.strip() == "False", done.stderr


def test_synthetic_standard_has_forty_nine_indicators_and_varied_results():
    standard = synthetic_standard(49)
    assert len(standard.indicators) == 49
    from starcity.scoring import score

    results = [score(standard, v) for v in random_batch(standard, 300, random.Random(2))]
    assert len({r.grade for r in results}) >= 5
    assert any(r.missing for r in results) and any(r.vetoed for r in results)


def test_bench_engine_reports_its_figures():
    figures = bench_engine(synthetic_standard(49), 200, seed=1)
    assert set(figures) == {"n", "seconds", "per_second"}
    assert figures["n"] == 200 and figures["seconds"] > 0 and figures["per_second"] > 0
