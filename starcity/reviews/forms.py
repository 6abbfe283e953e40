"""Forms of the panels: the draw's seed, answering an invitation (with the no-conflict
declaration), the office's replacement, the scorecard (built from the pinned standard), the
discussion note and the chair's resolution. Every error names the indicator."""

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from starcity.reviews.services.draw import SEED_MAX
from starcity.reviews.services.members import REASON_MAX
from starcity.reviews.services.scorecards import (
    COMMENT_MAX,
    NO,
    NOTE_MAX,
    YES,
    entry_from_text,
    entry_text,
    indicator_label,
)
from starcity.scoring import Standard

DECLARATION = gettext_lazy(
    "本人郑重声明：本人与申报地区及其所在设区市不存在任职、工作隶属、亲属或其他利害关系，"
    "未参与本申报材料的编制；本人将独立、客观、公正地评审，对申报材料和评审情况保密，"
    "不向任何单位或个人透露评审意见和评分；如存在或发现利益冲突，将立即申报并回避。"
)


class DrawForm(forms.Form):
    seed = forms.CharField(
        label=gettext_lazy("抽取种子"),
        max_length=SEED_MAX,
        required=False,
        help_text=gettext_lazy("可不填：系统随机生成并记录。填写已公布的种子可重现抽取结果。"),
    )


class AcceptForm(forms.Form):
    declaration = forms.BooleanField(
        label=DECLARATION,
        required=True,
        error_messages={"required": gettext_lazy("接受邀请前须勾选并签署无利益冲突声明。")},
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("谢绝理由"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("请填写谢绝理由。")},
    )
    declare_conflict = forms.BooleanField(
        label=gettext_lazy("我与这份申报存在利益冲突（将记录为利益冲突申报，今后不再向我分配这份申报）"),
        required=False,
    )


class ReplaceForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("更换理由"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": gettext_lazy("请填写更换理由。")},
    )


def value_field_name(code: str) -> str:
    return f"v__{code}"


def comment_field_name(code: str) -> str:
    return f"c__{code}"


def _tier_choices(indicator: Any) -> list[tuple[str, str]]:
    choices = [("", _("未评")), ("0", _("0 · 未达到第 1 档"))]
    return choices + [(str(i), f"{i} · {text}") for i, text in enumerate(indicator.tiers, start=1)]


def value_field(indicator: Any, label: str, *, required: bool = False) -> forms.Field:
    """The input of a verified value fitting the indicator's method."""
    if indicator.method == "tiered":
        return forms.ChoiceField(label=label, choices=_tier_choices(indicator), required=required)
    if indicator.method == "boolean":
        return forms.ChoiceField(
            label=label, choices=[("", _("未评")), (YES, _("是")), (NO, _("否"))], required=required
        )
    unit = "%" if indicator.method == "ratio" else (indicator.unit or "")
    return forms.CharField(
        label=label,
        required=required,
        max_length=24,
        help_text=unit,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "class": "num-input"}),
    )


class ScorecardForm(forms.Form):
    """A verified value and a comment per indicator of the pinned standard."""

    def __init__(self, *args: Any, standard: Standard, lang: str = "zh", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.standard = standard
        self.lang = lang
        for indicator in standard.indicators:
            label = indicator_label(standard, indicator.code, lang)
            self.fields[value_field_name(indicator.code)] = value_field(indicator, label)
            self.fields[comment_field_name(indicator.code)] = forms.CharField(
                label=_("%(label)s 意见") % {"label": label},
                required=False,
                max_length=COMMENT_MAX,
                widget=forms.Textarea(attrs={"rows": 2}),
                error_messages={
                    "max_length": _("%(label)s：意见最多 %(max)d 个字。")
                    % {"label": label, "max": COMMENT_MAX}
                },
            )

    @classmethod
    def initial_from(cls, standard: Standard, scores: dict[str, Any]) -> dict[str, str]:
        """The form's initial data from the member's stored scores."""
        initial = {}
        for indicator in standard.indicators:
            score = scores.get(indicator.code)
            if score is not None:
                initial[value_field_name(indicator.code)] = entry_text(indicator, score.value)
                initial[comment_field_name(indicator.code)] = score.comment
        return initial

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.values: dict[str, Any] = {}
        self.comments: dict[str, str] = {}
        for indicator in self.standard.indicators:
            name = value_field_name(indicator.code)
            if name in self.errors:
                continue
            label = indicator_label(self.standard, indicator.code, self.lang)
            try:
                self.values[indicator.code] = entry_from_text(indicator, data.get(name), label)
            except ValueError as exc:
                self.add_error(name, str(exc))
            self.comments[indicator.code] = data.get(comment_field_name(indicator.code)) or ""
        return data

    def all_errors(self) -> list[str]:
        """Every error, each naming its indicator, in the standard's order."""
        return [str(message) for messages in self.errors.values() for message in messages]

    def rows(self) -> list[tuple[Any, Any, Any]]:
        """(indicator, value field, comment field) per indicator, in the standard's order."""
        return [
            (ind, self[value_field_name(ind.code)], self[comment_field_name(ind.code)])
            for ind in self.standard.indicators
        ]


class NoteForm(forms.Form):
    indicator = forms.CharField(widget=forms.HiddenInput, max_length=32)
    text = forms.CharField(
        label=gettext_lazy("讨论意见"),
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": gettext_lazy("请填写讨论意见。")},
    )


class ResolveForm(forms.Form):
    """The chair's value of one flagged indicator, and why."""

    indicator = forms.CharField(widget=forms.HiddenInput, max_length=32)
    reason = forms.CharField(
        label=gettext_lazy("理由"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": gettext_lazy("请填写确定该值的理由。")},
    )

    def __init__(self, *args: Any, standard: Standard, code: str, lang: str = "zh", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.standard = standard
        self.target = standard.indicator_map[code]
        self.label = indicator_label(standard, code, lang)
        self.fields["value"] = value_field(
            self.target, _("%(label)s 确定值") % {"label": self.label}, required=True
        )
        self.fields["value"].error_messages["required"] = _("%(label)s：请填写确定值。") % {
            "label": self.label
        }
        self.initial.setdefault("indicator", code)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "value" in data:
            try:
                data["entry"] = entry_from_text(self.target, data["value"], self.label)
            except ValueError as exc:
                self.add_error("value", str(exc))
        return data
