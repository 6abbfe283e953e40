"""A YAML 1.2 core-schema reader that remembers where every item came from.

PyYAML implements YAML 1.1, whose resolver turns `yes`, `on` and `y` into booleans and `010`
into 8. We use only its parser and composer (the node tree) and resolve plain scalars ourselves
with the YAML 1.2 core schema:

- `null`, `Null`, `NULL`, `~` and the empty scalar are null;
- `true`/`True`/`TRUE`/`false`/`False`/`FALSE` are booleans (nothing else);
- `[-+]?[0-9]+` is a decimal integer (so `010` is 10), `0o17` octal, `0x1F` hexadecimal;
- floats are kept as their source text in `YamlFloat`, never as a binary float;
- quoted scalars are always strings.

Every item's path (`indicators[7].thresholds`) maps to its line, and a duplicate key anywhere is
reported with the line of the repeated key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from .numeric import YamlFloat
from .problems import Problem

__all__ = ["Document", "YamlFloat", "child_path", "read_yaml"]

_PLAIN_TAG = "tag:starcity:plain"
_STR_TAG = "tag:yaml.org,2002:str"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"

_NULL = re.compile(r"~|null|Null|NULL|")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT10 = re.compile(r"[-+]?[0-9]+")
_INT8 = re.compile(r"0o[0-7]+")
_INT16 = re.compile(r"0x[0-9a-fA-F]+")
_FLOAT = re.compile(
    r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?(\.inf|\.Inf|\.INF)|\.nan|\.NaN|\.NAN"
)
# Alias expansion is bounded so that a "billion laughs" document cannot exhaust memory.
_MAX_NODES = 200_000


class _Loader(yaml.SafeLoader):
    """PyYAML's parser and composer, with untagged plain scalars left unresolved."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        """Tag untagged plain scalars as such; quoted ones stay strings."""
        if kind is yaml.ScalarNode and implicit[0]:
            return _PLAIN_TAG
        return str(super().resolve(kind, value, implicit))


@dataclass
class Document:
    """A parsed document: plain Python data, the line of each path, and reading problems."""

    data: Any
    lines: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def line(self, path: str) -> int | None:
        """The line of `path`, or of its nearest ancestor that has one."""
        return line_of(self.lines, path)


def line_of(lines: dict[str, int], path: str) -> int | None:
    """The line recorded for `path` or its nearest recorded ancestor; None without lines."""
    while True:
        if path in lines:
            return lines[path]
        if not path:
            return None
        cut = max(path.rfind("."), path.rfind("["))
        path = path[:cut] if cut > 0 else ""


def child_path(parent: str, key: str | int) -> str:
    """`parent.key` for a mapping key, `parent[i]` for a sequence index."""
    if isinstance(key, int):
        return f"{parent}[{key}]"
    return f"{parent}.{key}" if parent else key


def resolve_plain(text: str) -> Any:
    """Resolve an untagged plain scalar with the YAML 1.2 core schema."""
    if _NULL.fullmatch(text):
        return None
    if text in _BOOL:
        return _BOOL[text]
    try:
        if _INT10.fullmatch(text):
            return int(text)
        if _INT8.fullmatch(text):
            return int(text[2:], 8)
        if _INT16.fullmatch(text):
            return int(text[2:], 16)
    except ValueError:  # more digits than Python converts; keep the text, a number check refuses it
        return YamlFloat(text)
    if _FLOAT.fullmatch(text):
        return YamlFloat(text)
    return text


def read_yaml(text: str) -> Document:
    """Parse one YAML document into plain data with a line for every path.

    A syntax error gives a document with data None and one problem `yaml_syntax` (with its line
    and column; `yaml_error` when PyYAML gives no position).
    """
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        detail = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        if mark is None:
            return Document(None, problems=[Problem("", None, "yaml_error", {"detail": detail})])
        params = {"detail": detail, "column": mark.column + 1}
        return Document(None, problems=[Problem("", mark.line + 1, "yaml_syntax", params)])
    except yaml.YAMLError as exc:
        return Document(None, problems=[Problem("", None, "yaml_error", {"detail": str(exc)})])
    doc = Document(None)
    if node is None:
        return doc
    walker = _Walker(doc)
    doc.data = walker.walk(node, "")
    return doc


class _Walker:
    """Turns a composed node tree into plain data, recording lines and duplicate keys."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.count = 0
        self.active: set[int] = set()

    def walk(self, node: yaml.Node, path: str) -> Any:
        """The plain data of `node` at `path`."""
        self.count += 1
        if self.count > _MAX_NODES or id(node) in self.active:
            self._problem(path, node, "too_complex", {})
            return None
        self.doc.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node, path)
        self.active.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode) and node.tag == _SEQ_TAG:
                return [self.walk(item, child_path(path, i)) for i, item in enumerate(node.value)]
            if isinstance(node, yaml.MappingNode) and node.tag == _MAP_TAG:
                return self._mapping(node, path)
            self._problem(path, node, "unsupported_tag", {"tag": node.tag})
            return None
        finally:
            self.active.discard(id(node))

    def _scalar(self, node: yaml.ScalarNode, path: str) -> Any:
        if node.tag == _PLAIN_TAG:
            return resolve_plain(node.value)
        if node.tag == _STR_TAG:
            return node.value
        self._problem(path, node, "unsupported_tag", {"tag": node.tag})
        return None

    def _mapping(self, node: yaml.MappingNode, path: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            key = self._key(key_node, path)
            if key is None:
                continue
            sub = child_path(path, key)
            if key in out:
                params = {"key": key, "first_line": first_line[key]}
                self.doc.problems.append(Problem(sub, line, "duplicate_key", params))
                continue
            first_line[key] = line
            self.doc.lines[sub] = line
            out[key] = self.walk(value_node, sub)
        return out

    def _key(self, node: yaml.Node, path: str) -> str | None:
        value = self._scalar(node, path) if isinstance(node, yaml.ScalarNode) else None
        if isinstance(value, str):
            return value
        shown = node.value if isinstance(node, yaml.ScalarNode) else "…"
        self._problem(path, node, "key_not_text", {"key": shown})
        return None

    def _problem(self, path: str, node: yaml.Node, code: str, params: dict[str, Any]) -> None:
        self.doc.problems.append(Problem(path, node.start_mark.line + 1, code, params))
