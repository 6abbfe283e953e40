"""YAML 1.2 core schema: what is a boolean, a null, an integer; lines; duplicate keys."""

import pytest

from starcity.scoring.numeric import YamlFloat
from starcity.scoring.yamlcore import read_yaml, resolve_plain


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("null", None),
        ("Null", None),
        ("NULL", None),
        ("~", None),
        ("", None),
        ("true", True),
        ("True", True),
        ("TRUE", True),
        ("false", False),
        ("FALSE", False),
        ("yes", "yes"),
        ("no", "no"),
        ("on", "on"),
        ("off", "off"),
        ("y", "y"),
        ("n", "n"),
        ("010", 10),
        ("-7", -7),
        ("+3", 3),
        ("0o17", 15),
        ("0x1F", 31),
        ("12.5", YamlFloat("12.5")),
        ("1e3", YamlFloat("1e3")),
        (".inf", YamlFloat(".inf")),
        (".NaN", YamlFloat(".NaN")),
        ("12:30", "12:30"),
        ("2019-01-01", "2019-01-01"),
        ("0b101", "0b101"),
        ("1_000", "1_000"),
    ],
)
def test_plain_scalars_follow_the_core_schema(text, expected):
    assert resolve_plain(text) == expected


def test_quoted_scalars_are_strings_and_tags_str_is_kept():
    doc = read_yaml("a: \"010\"\nb: 'true'\nc: !!str 5\nd: yes\n")
    assert doc.data == {"a": "010", "b": "true", "c": "5", "d": "yes"}
    assert not doc.problems


def test_floats_never_become_binary_floats():
    doc = read_yaml("w: 12.5\nv: 0.1\n")
    assert doc.data == {"w": YamlFloat("12.5"), "v": YamlFloat("0.1")}


def test_lines_of_paths():
    doc = read_yaml("a: 1\nlist:\n  - x: 1\n    y: [1, 2]\n  - x: 2\n")
    assert doc.lines["a"] == 1
    assert doc.lines["list"] == 2
    assert doc.lines["list[0]"] == 3
    assert doc.lines["list[0].y"] == 4
    assert doc.lines["list[1].x"] == 5
    assert doc.line("list[1].x.missing") == 5


@pytest.mark.parametrize(
    ("text", "path", "line"),
    [
        ("a: 1\nb: 2\na: 3\n", "a", 3),
        ("top:\n  k: 1\n  j: 2\n  k: 3\n", "top.k", 4),
        ("items:\n  - {code: A, code: B}\n", "items[0].code", 2),
    ],
)
def test_duplicate_key_is_a_problem_with_its_line(text, path, line):
    doc = read_yaml(text)
    [problem] = doc.problems
    assert (problem.code, problem.path, problem.line) == ("duplicate_key", path, line)


def test_duplicate_key_across_spellings_of_the_same_string():
    doc = read_yaml("a: 1\n'a': 2\n")
    assert [p.code for p in doc.problems] == ["duplicate_key"]


def test_json_is_read_by_the_same_reader():
    doc = read_yaml('{"a": 1, "b": [1.5, true, null], "c": "x"}')
    assert doc.data == {"a": 1, "b": [YamlFloat("1.5"), True, None], "c": "x"}


def test_syntax_error_has_a_line():
    doc = read_yaml("a: 1\nb: [1, 2\nc: 3\n")
    [problem] = doc.problems
    assert problem.code == "yaml_syntax"
    assert problem.line is not None
    assert doc.data is None


def test_non_text_key_and_unknown_tag_and_recursive_alias():
    assert [p.code for p in read_yaml("? [1, 2]\n: x\n").problems] == ["key_not_text"]
    assert [p.code for p in read_yaml("a: !!binary aGk=\n").problems] == ["unsupported_tag"]
    assert [p.code for p in read_yaml("a: &x [1, *x]\n").problems] == ["too_complex"]


def test_aliases_expand_within_limits():
    doc = read_yaml("a: &x [1, 2]\nb: *x\n")
    assert doc.data == {"a": [1, 2], "b": [1, 2]}
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for k in range(1, 8):
        name, prev = chr(ord("a") + k), chr(ord("a") + k - 1)
        bomb += f"{name}: &{name} [{', '.join([f'*{prev}'] * 7)}]\n"
    assert "too_complex" in {p.code for p in read_yaml(bomb).problems}
