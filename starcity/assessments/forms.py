"""Forms: start a self-assessment, fill its answers (built from the standard), upload files.

The answers form is built from the standard version: one input per indicator that fits its
method (a decimal number as text, never a float; numerator and denominator; a tier chosen among
the tier texts; yes or no), a note, and a checkbox per bonus item and veto. Every error names the
indicator by code and name.
"""

import re
import unicodedata
from collections import defaultdict
from typing import Any, cast

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from starcity.assessments.choices import Status
from starcity.assessments.excel.cells import MAX_NOTE_CHARS
from starcity.assessments.models import SelfAssessment
from starcity.assessments.selectors import AssessmentFilters, ListOptions, answer_value, answers_of
from starcity.core.uploads import OversizedUpload, safe_filename
from starcity.regions.choices import Level
from starcity.regions.models import Region
from starcity.scoring import Standard
from starcity.standards.choices import StandardLevel
from starcity.standards.models import StandardVersion

DECIMAL_TEXT = re.compile(r"-?[0-9]+(\.[0-9]+)?")
YES, NO = "yes", "no"
NOTE_MAX = MAX_NOTE_CHARS  # the same limit as a note read from an Excel template
FIELD_PREFIXES = ("v__", "n__", "d__", "note__")


def field_names(code: str) -> dict[str, str]:
    """The form field names of one indicator (value, numerator, denominator, note)."""
    return {
        "value": f"v__{code}",
        "numerator": f"n__{code}",
        "denominator": f"d__{code}",
        "note": f"note__{code}",
    }


def _name(item: Any, lang: str) -> str:
    return (getattr(item, "name_en", None) or item.name) if lang == "en" else item.name


class LevelSelect(forms.Select):
    """A select whose options carry the level of what they name (`data-level`), so the page can
    offer only the standard versions that fit the chosen region."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.levels: dict[str, str] = {}

    def create_option(self, name: str, value: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(name, value, *args, **kwargs)
        level = self.levels.get(str(value))
        if level:
            option["attrs"]["data-level"] = level
        return option


class RegionChoiceField(forms.ModelChoiceField):
    widget = LevelSelect

    def label_from_instance(self, obj: Any) -> str:
        return _("%(region)s（%(level)s）") % {"region": obj.full_name, "level": obj.get_level_display()}


class VersionChoiceField(forms.ModelChoiceField):
    widget = LevelSelect

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} · {obj.label}"


class VersionLabelField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.label)


class StartForm(forms.Form):
    """Choose a region the user may act for and a published version. The versions are grouped by
    level and marked with it, so the page offers only those of the chosen region's level; whether
    they match is the service's rule (`assessment_create`), not repeated here."""

    region = RegionChoiceField(queryset=Region.objects.none(), label=gettext_lazy("区域"))
    standard_version = VersionChoiceField(
        queryset=StandardVersion.objects.none(), label=gettext_lazy("标准版本")
    )
    title = forms.CharField(
        label=gettext_lazy("标题"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("可不填：默认为“区域自评估（标准版本）”。"),
    )

    def __init__(self, *args: Any, regions: Any, versions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region_field = cast(forms.ModelChoiceField, self.fields["region"])
        region_field.queryset = regions
        region_field.widget.levels = {str(region.pk): region.level for region in regions}
        version_field = cast(forms.ModelChoiceField, self.fields["standard_version"])
        version_field.queryset = versions
        version_field.widget.levels = {str(version.pk): version.level for version in versions}
        version_field.choices = _grouped_by_level(version_field, versions)

    @property
    def chosen_level(self) -> str:
        """The level of the region already chosen (bound or initial), "" when none is."""
        region = self["region"].value()
        return cast(LevelSelect, self.fields["region"].widget).levels.get(
            str(getattr(region, "pk", region)), ""
        )


def _grouped_by_level(field: forms.ModelChoiceField, versions: Any) -> list[Any]:
    """The versions as option groups, one per level in the levels' order."""
    groups: dict[str, list[tuple[Any, str]]] = defaultdict(list)
    for version in versions:
        groups[version.level].append((version.pk, field.label_from_instance(version)))
    grouped: list[Any] = [("", field.empty_label or "")]
    grouped += [(level.label, groups[level.value]) for level in StandardLevel if groups.get(level.value)]
    return grouped


class AnswersForm(forms.Form):
    """Every indicator of the standard, plus bonus items and vetoes."""

    def __init__(self, *args: Any, standard: Standard, lang: str = "zh", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.standard = standard
        self.lang = lang
        for indicator in standard.indicators:
            self._add_indicator(indicator)
        for item in standard.bonus:
            self.fields[f"bonus__{item.code}"] = forms.BooleanField(
                required=False, label=f"{item.code} {_name(item, lang)}"
            )
        for veto in standard.vetoes:
            self.fields[f"veto__{veto.code}"] = forms.BooleanField(
                required=False, label=f"{veto.code} {_name(veto, lang)}"
            )

    def label_of(self, code: str) -> str:
        indicator = self.standard.indicator_map.get(code)
        return f"{code} {_name(indicator, self.lang)}" if indicator is not None else code

    def _add_indicator(self, indicator: Any) -> None:
        names = field_names(indicator.code)
        label = self.label_of(indicator.code)
        if indicator.method == "threshold":
            self.fields[names["value"]] = _decimal_field(label, indicator.unit or "")
        elif indicator.method == "ratio":
            self.fields[names["numerator"]] = _decimal_field(_("%(label)s 分子") % {"label": label}, "")
            self.fields[names["denominator"]] = _decimal_field(_("%(label)s 分母") % {"label": label}, "")
        elif indicator.method == "tiered":
            self.fields[names["value"]] = _choice_field(label, self._tier_choices(indicator))
        else:
            self.fields[names["value"]] = _choice_field(
                label, [("", _("未填")), (YES, _("是")), (NO, _("否"))]
            )
        self.fields[names["note"]] = forms.CharField(
            label=_("%(label)s 说明") % {"label": label},
            required=False,
            max_length=NOTE_MAX,
            widget=forms.Textarea(attrs={"rows": 2}),
            error_messages={
                "max_length": _("%(label)s：说明最多 %(limit)d 个字。")
                % {"label": _escaped(label), "limit": NOTE_MAX}
            },
        )

    def _tier_choices(self, indicator: Any) -> list[tuple[str, str]]:
        choices = [("", _("未填")), ("0", _("0 · 未达到第 1 档"))]
        choices += [(str(i), f"{i} · {text}") for i, text in enumerate(indicator.tiers, start=1)]
        return choices

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for indicator in self.standard.indicators:
            if indicator.method == "ratio":
                self._clean_ratio(indicator.code, data)
        return data

    def _clean_ratio(self, code: str, data: dict[str, Any]) -> None:
        names = field_names(code)
        numerator, denominator = data.get(names["numerator"]), data.get(names["denominator"])
        label = self.label_of(code)
        if bool(numerator) != bool(denominator) and names["numerator"] not in self.errors:
            missing = names["denominator"] if numerator else names["numerator"]
            self.add_error(missing, _("%(label)s：分子和分母须同时填写。") % {"label": label})
        elif denominator and DECIMAL_TEXT.fullmatch(denominator) and is_zero_text(denominator):
            self.add_error(names["denominator"], _("%(label)s：分母不能为 0。") % {"label": label})

    def input(self) -> dict[str, Any]:
        """The cleaned input as services take it: values, bonus, vetoes and notes."""
        data = self.cleaned_data
        values: dict[str, Any] = {}
        notes: dict[str, str] = {}
        for indicator in self.standard.indicators:
            names = field_names(indicator.code)
            notes[indicator.code] = data.get(names["note"], "") or ""
            value = self._value(indicator, data, names)
            if value is not None:
                values[indicator.code] = value
        bonus = {item.code: bool(data.get(f"bonus__{item.code}")) for item in self.standard.bonus}
        vetoes = {veto.code: bool(data.get(f"veto__{veto.code}")) for veto in self.standard.vetoes}
        return {"values": values, "bonus": bonus, "vetoes": vetoes, "notes": notes}

    @staticmethod
    def _value(indicator: Any, data: dict[str, Any], names: dict[str, str]) -> Any:
        if indicator.method == "ratio":
            numerator, denominator = data.get(names["numerator"]), data.get(names["denominator"])
            return {"numerator": numerator, "denominator": denominator} if numerator and denominator else None
        raw = data.get(names["value"])
        if raw in (None, ""):
            return None
        if indicator.method == "tiered":
            return int(str(raw))
        if indicator.method == "boolean":
            return raw == YES
        return raw

    def add_engine_errors(self, by_code: dict[str, list[str]]) -> None:
        """Put the engine's refusals next to the indicator they name."""
        for code, messages in by_code.items():
            target = self._field_for_code(code)
            for message in messages:
                labelled = _("%(indicator)s：%(message)s") % {
                    "indicator": self.label_of(code),
                    "message": message,
                }
                self.add_error(target, labelled if code else message)

    def _field_for_code(self, code: str) -> str | None:
        names = field_names(code)
        for candidate in (names["value"], names["numerator"], f"bonus__{code}", f"veto__{code}"):
            if candidate in self.fields:
                return candidate
        return None

    def all_errors(self) -> list[str]:
        """Every error as one sentence naming its indicator, in form order."""
        messages = [str(e) for e in self.non_field_errors()]
        for name in self.fields:
            messages += [str(e) for e in self.errors.get(name, [])]
        return messages

    def errors_by_code(self) -> dict[str, list[str]]:
        """The errors of each indicator's fields (value, numerator, denominator, note), by code,
        for the error slot beside the indicator's inputs."""
        grouped: dict[str, list[str]] = {}
        for name in self.fields:
            code = indicator_code_of(name)
            if code and self.errors.get(name):
                grouped.setdefault(code, []).extend(str(e) for e in self.errors[name])
        return grouped


def indicator_code_of(field_name: str) -> str:
    """The indicator code of an answers-form field name ("n__H01" → "H01"); "" for the others."""
    for prefix in FIELD_PREFIXES:
        if field_name.startswith(prefix):
            return field_name[len(prefix) :]
    return ""


def is_zero_text(text: str) -> bool:
    """True when a decimal text is zero ("0", "0.00", "-0")."""
    return set(text.lstrip("-").replace(".", "")) <= {"0"}


def _escaped(text: str) -> str:
    """Text put into a Django error message that is later %-formatted with its params."""
    return text.replace("%", "%%")


def _choice_field(label: str, choices: list[tuple[str, str]]) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        required=False,
        widget=forms.RadioSelect,
        choices=choices,
        error_messages={
            "invalid_choice": _("%(label)s：请从列出的选项中选择。") % {"label": _escaped(label)}
        },
    )


class DecimalTextField(forms.CharField):
    """A decimal number kept as its exact text; full-width digits and points are folded."""

    def to_python(self, value: Any) -> str:
        text = super().to_python(value) or ""
        return unicodedata.normalize("NFKC", text).strip()


def _decimal_field(label: str, unit: str) -> forms.CharField:
    field = DecimalTextField(
        label=label,
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "size": 10}),
        error_messages={"max_length": _("%(label)s：数字过长。") % {"label": _escaped(label)}},
        validators=[_DecimalText(label)],
    )
    field.unit = unit  # type: ignore[attr-defined]
    return field


class _DecimalText:
    """A decimal number written with digits and at most one point: no exponent, %, commas or units."""

    def __init__(self, label: str) -> None:
        self.label = label

    def __call__(self, value: str) -> None:
        if value and not DECIMAL_TEXT.fullmatch(value.strip()):
            raise forms.ValidationError(
                _("%(label)s：“%(value)s”不是数字，请只填十进制数字，例如 83.5（不要带 %%、逗号或单位）。")
                % {"label": self.label, "value": value},
                code="not_a_number",
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _DecimalText) and other.label == self.label


def initial_for(assessment: SelfAssessment, standard: Standard) -> dict[str, Any]:
    """The form's initial data from the stored answers, bonus and vetoes."""
    initial: dict[str, Any] = {}
    answers = answers_of(assessment)
    for indicator in standard.indicators:
        names = field_names(indicator.code)
        answer = answers.get(indicator.code)
        if answer is None:
            continue
        initial[names["note"]] = answer.note
        value = answer_value(answer)
        if isinstance(value, dict):
            initial[names["numerator"]], initial[names["denominator"]] = (
                value["numerator"],
                value["denominator"],
            )
        elif isinstance(value, bool):
            initial[names["value"]] = YES if value else NO
        elif value is not None:
            initial[names["value"]] = str(value)
    for code, flag in (assessment.bonus or {}).items():
        initial[f"bonus__{code}"] = bool(flag)
    for code, flag in (assessment.vetoes or {}).items():
        initial[f"veto__{code}"] = bool(flag)
    return initial


_SIZE_UNITS = ((1024**3, "GB"), (1024**2, "MB"), (1024, "KB"))


def _in_unit(size: int, unit: tuple[int, str], places: int) -> str:
    return f"{formats.number_format(size / unit[0], places)}\xa0{unit[1]}"  # as filesizeformat


def sizes_apart(size: int, limit: int) -> tuple[str, str]:
    """A file's size and the upload limit as read, precise enough to tell them apart: "20.3 MB"
    and "20.0 MB"; with more decimals when one is not enough ("20.004 MB"); in bytes when even
    three are not ("20,971,521 字节")."""
    shown = str(filesizeformat(size)), str(filesizeformat(limit))
    if shown[0] != shown[1]:
        return shown
    unit = next((unit for unit in _SIZE_UNITS if limit >= unit[0]), None)
    for places in (2, 3):
        if unit is not None and _in_unit(size, unit, places) != _in_unit(limit, unit, places):
            return _in_unit(size, unit, places), _in_unit(limit, unit, places)
    return _bytes(size), _bytes(limit)


def _bytes(count: int) -> str:
    return ngettext("%(count)s 字节", "%(count)s 字节", count) % {"count": f"{count:,}"}


def refuse_oversized(upload: Any) -> Any:
    """The upload, unless it is larger than the limit (or the upload handler stopped keeping it):
    then a form error naming the file, its size and the limit, told apart."""
    limit = settings.UPLOAD_MAX_BYTES
    if isinstance(upload, OversizedUpload):
        limit = min(limit, upload.limit)
    if upload.size > limit or isinstance(upload, OversizedUpload):
        size, limit_text = sizes_apart(upload.size, limit)
        raise forms.ValidationError(
            _("文件“%(name)s”大小为 %(size)s，超过上限 %(limit)s。")
            % {"name": safe_filename(upload.name or ""), "size": size, "limit": limit_text}
        )
    return upload


class EvidenceUploadForm(forms.Form):
    indicator_code = forms.CharField(max_length=64, widget=forms.HiddenInput)
    file = forms.FileField(
        label=gettext_lazy("文件"),
        error_messages={
            "required": gettext_lazy("请先选择文件。"),
            "empty": gettext_lazy("所选文件是空文件。"),
        },
    )

    def clean_file(self) -> Any:
        """Refuse an over-sized file here, with sizes that can be told apart."""
        return refuse_oversized(self.cleaned_data["file"])


class RenameForm(forms.Form):
    title = forms.CharField(
        label=gettext_lazy("标题"),
        max_length=200,
        error_messages={
            "required": gettext_lazy("标题不能为空。"),
            "max_length": gettext_lazy("标题最多 %(limit_value)d 个字。"),
        },
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("已填写的 Excel 模板（.xlsx）"),
        error_messages={"required": gettext_lazy("请先选择文件。")},
    )

    def clean_file(self) -> Any:
        """Refuse an over-sized file before it is read into memory."""
        return refuse_oversized(self.cleaned_data["file"])


class ListFilterForm(forms.Form):
    """The list page's filters; every one optional. Which filters and grades are offered is the
    selector's decision (`list_options_for`): a filter that cannot narrow anything is left out."""

    city = forms.ModelChoiceField(
        queryset=Region.objects.none(),
        required=False,
        label=gettext_lazy("城市"),
        empty_label=gettext_lazy("全部"),
    )
    level = forms.ChoiceField(required=False, label=gettext_lazy("层级"))
    grade = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label=gettext_lazy("星级"))
    standard = VersionLabelField(
        queryset=StandardVersion.objects.none(),
        required=False,
        label=gettext_lazy("标准版本"),
        empty_label=gettext_lazy("全部"),
    )
    status = forms.ChoiceField(required=False, label=gettext_lazy("状态"))

    def __init__(self, *args: Any, options: ListOptions, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        everything = ("", _("全部"))
        if options.cities is None:
            del self.fields["city"]
        else:
            cast(forms.ModelChoiceField, self.fields["city"]).queryset = options.cities
        if not options.levels:
            del self.fields["level"]
        else:
            levels = [(level, Level(level).label) for level in options.levels]
            cast(forms.ChoiceField, self.fields["level"]).choices = [everything, *levels]
        grades = [("0", _("未达星级"))] + [(str(g), "★" * g) for g in range(1, options.grade_max + 1)]
        cast(forms.ChoiceField, self.fields["grade"]).choices = [everything, *grades]
        versions = StandardVersion.objects.select_related("line").order_by("line__code", "-published_at")
        cast(forms.ModelChoiceField, self.fields["standard"]).queryset = versions
        if options.statuses:
            statuses = [(status, Status(status).label) for status in options.statuses]
            cast(forms.ChoiceField, self.fields["status"]).choices = [everything, *statuses]
        else:
            del self.fields["status"]

    def filters(self) -> AssessmentFilters:
        """The filters to apply (an invalid filter counts as "any")."""
        data = self.cleaned_data if self.is_valid() else {}
        return AssessmentFilters(
            city=data.get("city"),
            level=data.get("level") or "",
            grade=data.get("grade"),
            standard_version=data.get("standard"),
            status=data.get("status") or "",
        )
