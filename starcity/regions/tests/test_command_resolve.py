"""`manage.py resolve_regions`: lines or JSON on stdout, failures on stderr, exit 1 on any failure."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import translation

from starcity.regions.management.commands.resolve_regions import command_language

pytestmark = pytest.mark.django_db

ACCEPTANCE = ["淄博桓台县", "青岛西海岸新区", "济南章丘区", "聊城茌平区", "烟台蓬莱区", "市中区"]


def run(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("resolve_regions", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_acceptance_resolves_five_and_reports_shizhong_as_ambiguous():
    code, out, err = run(*ACCEPTANCE)
    lines = [line.split("\t") for line in out.splitlines()]
    assert [line[:4] for line in lines[:5]] == [
        ["淄博桓台县", "370321", "桓台县", "淄博市"],
        ["青岛西海岸新区", "370211", "黄岛区", "青岛市"],
        ["济南章丘区", "370114", "章丘区", "济南市"],
        ["聊城茌平区", "371503", "茌平区", "聊城市"],
        ["烟台蓬莱区", "370614", "蓬莱区", "烟台市"],
    ]
    assert lines[5][:2] == ["市中区", "-"]
    assert code == 1
    assert "市中区" in err and "济南市市中区（370103）" in err and "枣庄市市中区（370402）" in err
    assert "淄博桓台县" not in err


def test_all_resolved_exits_0_with_nothing_on_stderr():
    code, out, err = run("淄博桓台县", "章丘市")
    assert (code, err) == (0, "")
    assert out.splitlines()[1].split("\t") == ["章丘市", "370114", "章丘区", "济南市", "历史名称：章丘市"]


def test_every_failure_is_named_on_stderr():
    code, _, err = run("莱芜市", "高新区", "桓台")
    assert code == 1
    assert "济南市莱芜区（370116）" in err and "济南市钢城区（370117）" in err
    assert "高新区" in err and "桓台" not in err


def test_json_output():
    code, out, _ = run("--json", *ACCEPTANCE)
    data = json.loads(out)
    assert code == 1
    assert data[0] == {"query": "淄博桓台县", "code": "370321", "name": "桓台县", "city": "淄博市"}
    assert data[1]["code"] == "370211" and data[1]["city"] == "青岛市"
    assert data[5]["code"] is None and data[5]["query"] == "市中区"
    assert data[5]["candidates"] == [
        {"code": "370103", "name": "济南市市中区"},
        {"code": "370402", "name": "枣庄市市中区"},
    ]
    assert "有歧义" in data[5]["error"]


def test_json_not_found():
    _, out, _ = run("--json", "高新区")
    [item] = json.loads(out)
    assert item["code"] is None and item["candidates"] == [] and "高新区" in item["error"]


def test_language_option_switches_and_restores_the_language():
    with translation.override("zh-hans"):
        code, out, _ = run("--language", "en", "淄博桓台县")
        assert translation.get_language() == "zh-hans"
    assert code == 0 and "370321" in out


@pytest.mark.parametrize(
    ("option", "environ", "expected"),
    [
        ("en", "", "en"),
        (None, "en_US:en", "en"),
        (None, "en_US.UTF-8", "en"),
        (None, "zh_CN:zh", "zh-hans"),
        (None, "", None),
        (None, "C", None),
    ],
)
def test_command_language(monkeypatch, option, environ, expected):
    monkeypatch.setenv("LANGUAGE", environ)
    assert command_language(option) == expected
