"""The message catalogues: English is complete, keeps every placeholder, is up to date with the
source, and is what the running app says.

The source strings are Simplified Chinese (the default language), so `locale/zh_Hans` may stay
empty: an empty msgstr falls back to the msgid. `locale/en` must translate every msgid.
Update the catalogues with `make messages`, translate the new entries, then compile them
(`make compilemessages`, which `make test` runs first).
"""

import ast
import re
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation
from django.utils.translation import gettext, ngettext

BASE_DIR = Path(settings.BASE_DIR)
LOCALE_DIR = BASE_DIR / "locale"
EN_PO = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.po"
EN_MO = EN_PO.with_suffix(".mo")
ZH_PO = LOCALE_DIR / "zh_Hans" / "LC_MESSAGES" / "django.po"

# What `make messages` leaves out (besides makemessages' own defaults: dot folders, *~, *.pyc).
IGNORED = ["var/*", "static/vendor/*", ".venv/*", "test-artifacts/*"]
GETTEXT_TOOLS = ("xgettext", "msguniq", "msgmerge", "msgattrib")

PERCENT = re.compile(r"%(?:\((?P<name>\w+)\))?[-#0 +]*(?:\d+|\*)?(?:\.\d+)?(?P<type>[diouxXeEfFgGcrsa%])")
BRACE = re.compile(r"(?<!\{)\{(?P<name>[^{}!:]*)(?:![rsa])?(?::[^{}]*)?\}(?!\})")


def _catalogue(path: Path) -> polib.POFile:
    assert path.is_file(), f"{path.relative_to(BASE_DIR)} is missing: run `make messages`"
    return polib.pofile(str(path))


def _percent(text: str) -> set[tuple[str | None, str]]:
    return {(m["name"], m["type"]) for m in PERCENT.finditer(text) if m["type"] != "%"}


def _brace(text: str) -> set[str]:
    return {m["name"] for m in BRACE.finditer(text)}


def _translations(entry: polib.POEntry) -> list[tuple[str, str]]:
    """(source, translation) pairs: msgid with msgstr, or each plural form with its source form."""
    if entry.msgid_plural:
        return [
            (entry.msgid if index == 0 else entry.msgid_plural, text)
            for index, text in sorted(entry.msgstr_plural.items())
        ]
    return [(entry.msgid, entry.msgstr)]


def _untranslated_or_fuzzy(po: polib.POFile) -> list[str]:
    live = [entry for entry in po if not entry.obsolete]
    return [
        f"{'fuzzy' if entry.fuzzy else 'untranslated'}: {entry.msgid!r} ({entry.occurrences[:1]})"
        for entry in live
        if entry.fuzzy or not all(text for _source, text in _translations(entry))
    ]


# ---------------------------------------------------------------------------------------------
# The English catalogue as committed


def test_english_catalogue_is_complete() -> None:
    po = _catalogue(EN_PO)
    assert len(po) > 100
    assert not po.metadata_is_fuzzy, "the header is marked fuzzy"
    assert po.metadata.get("Language") == "en"
    assert po.metadata.get("Plural-Forms", "").startswith("nplurals=2;")
    assert _untranslated_or_fuzzy(po) == []
    assert [entry.msgid for entry in po.obsolete_entries()] == []


def test_english_translations_keep_the_placeholders() -> None:
    wrong = []
    for entry in _catalogue(EN_PO):
        for source, text in _translations(entry):
            if _percent(source) != _percent(text) and "python-format" in entry.flags:
                wrong.append(f"{source!r} → {text!r}: {_percent(source)} ≠ {_percent(text)}")
            if _brace(source) != _brace(text):
                wrong.append(f"{source!r} → {text!r}: {{{_brace(source)}}} ≠ {{{_brace(text)}}}")
            names = {name for name, _type in _percent(source)}
            if "python-format" in entry.flags and None not in names:
                try:
                    text % dict.fromkeys(names, 1)  # formatting with every name is the check
                except (TypeError, ValueError, KeyError) as error:
                    wrong.append(f"{text!r} does not format: {error}")
    assert wrong == []


def test_chinese_catalogue_exists_and_needs_no_translation() -> None:
    po = _catalogue(ZH_PO)
    assert po.metadata.get("Plural-Forms", "").startswith("nplurals=1;")
    assert {entry.msgid for entry in po} == {entry.msgid for entry in _catalogue(EN_PO)}
    assert not [entry for entry in po if entry.fuzzy]


# ---------------------------------------------------------------------------------------------
# Up to date with the source


def _source_copy(target: Path) -> Path:
    """The project as makemessages reads it, copied to `target`, with a copy of locale/.

    makemessages writes each file's strings to the LOCALE_PATHS entry whose parent folder holds
    that file, so the sources must sit next to the copied locale/ for the repository's catalogue
    to stay untouched (templates are also briefly written as `*.html.py` beside themselves).
    """
    skip = {"locale", "var", "static", "test-artifacts", "db.sqlite3"}
    for entry in BASE_DIR.iterdir():
        if entry.name.startswith(".") or entry.name in skip or entry.name.startswith("db.sqlite3"):
            continue
        if entry.is_dir():
            shutil.copytree(entry, target / entry.name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        elif entry.suffix in (".py", ".html", ".txt"):
            shutil.copy2(entry, target / entry.name)
    if (BASE_DIR / "static").is_dir():
        shutil.copytree(BASE_DIR / "static", target / "static", ignore=shutil.ignore_patterns("vendor"))
    shutil.copytree(LOCALE_DIR, target / "locale", ignore=shutil.ignore_patterns("*.mo"))
    return target


@pytest.mark.skipif(
    not all(shutil.which(tool) for tool in GETTEXT_TOOLS),
    reason="GNU gettext (xgettext, msgmerge…) is not installed; CI installs it",
)
def test_catalogue_is_up_to_date_with_the_source(tmp_path, settings, monkeypatch) -> None:
    project = _source_copy(tmp_path / "project")
    committed = EN_PO.read_bytes()
    monkeypatch.chdir(project)
    settings.LOCALE_PATHS = [project / "locale"]

    call_command("makemessages", locale=["en"], ignore_patterns=IGNORED, no_obsolete=True, verbosity=0)

    assert EN_PO.read_bytes() == committed, "makemessages wrote into the repository's locale/"
    fresh = polib.pofile(str(project / "locale" / "en" / "LC_MESSAGES" / "django.po"))
    hint = "the source has strings the catalogue lacks: run `make messages` and translate them"
    assert _untranslated_or_fuzzy(fresh) == [], hint
    stale = {e.msgid for e in _catalogue(EN_PO)} - {e.msgid for e in fresh}
    assert stale == set(), "the catalogue has strings the source no longer uses: run `make messages`"


TRANSLATION_FUNCTIONS = {
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
}
# The names xgettext looks for in Python with the keywords makemessages adds.
EXTRACTED_NAMES = TRANSLATION_FUNCTIONS | {"_"}


def test_translation_functions_go_by_names_makemessages_extracts() -> None:
    """`gettext_lazy as _lazy` would work at run time but its strings never reach the catalogue."""
    hidden = []
    for path in sorted((BASE_DIR / "starcity").rglob("*.py")) + sorted((BASE_DIR / "config").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
                for alias in node.names:
                    bound = alias.asname or alias.name
                    if alias.name in TRANSLATION_FUNCTIONS and bound not in EXTRACTED_NAMES:
                        hidden.append(f"{path.relative_to(BASE_DIR)}: {alias.name} as {bound}")
    assert hidden == []


# ---------------------------------------------------------------------------------------------
# The running app


def test_compiled_english_catalogue_is_current() -> None:
    hint = "compile the catalogues: `make compilemessages`"
    assert EN_MO.is_file(), hint
    assert EN_MO.stat().st_mtime >= EN_PO.stat().st_mtime, hint


@pytest.mark.parametrize(
    ("msgid", "english"),
    [
        ("工作台", "Workbench"),
        ("省级工作人员", "Province officer"),
        ("数字山东建设专项小组办公室", "Office of the Digital Shandong Construction Special Group"),
        ("第{row}行", "row {row}"),
    ],
)
def test_english_round_trip(msgid: str, english: str) -> None:
    with translation.override("en"):
        assert gettext(msgid) == english
    with translation.override("zh-hans"):
        assert gettext(msgid) == msgid


def test_english_round_trip_with_placeholders_plurals_and_lazy_labels() -> None:
    from starcity.accounts.choices import Role

    source = "标准文件未通过校验，共 %(counter)s 处问题，未作任何改动："
    with translation.override("en"):
        assert gettext("文件“%(name)s”是空文件。") % {"name": "a.pdf"} == "The file “a.pdf” is empty."
        assert ngettext(source, source, 1) % {"counter": 1} == (
            "The standard file failed validation with 1 problem; nothing was changed:"
        )
        assert "3 problems" in ngettext(source, source, 3) % {"counter": 3}
        assert str(Role.COUNTY_OPERATOR.label) == "County operator"
    with translation.override("zh-hans"):
        assert str(Role.COUNTY_OPERATOR.label) == "县级操作员"
        assert ngettext(source, source, 3) % {"counter": 3} == source % {"counter": 3}
