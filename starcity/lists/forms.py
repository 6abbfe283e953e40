"""Forms of the list pages: they read input; the services decide."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from starcity.lists.choices import ObjectionStatus, Outcome
from starcity.lists.models import ListEntry, Objection, OnsiteItem, SelectionList
from starcity.lists.services import RESTORE
from starcity.lists.values import input_text
from starcity.scoring import Standard


class OverrideForm(forms.Form):
    outcome = forms.ChoiceField(label=_("调整为"))
    reason = forms.CharField(
        label=_("调整理由"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False
    )
    objection = forms.ChoiceField(label=_("依据的异议"), required=False)

    def __init__(
        self,
        *args: Any,
        entry: ListEntry,
        upheld: list[Objection] | None = None,
        require_objection: bool = False,
        **kwargs: Any,
    ) -> None:
        """`require_objection`: the list is in notice, the override must name an upheld
        objection (the service refuses it otherwise)."""
        kwargs.setdefault("prefix", f"entry-{entry.pk}")
        super().__init__(*args, **kwargs)
        choices = [(value, label) for value, label in Outcome.choices if value != entry.outcome]
        if entry.overridden:
            choices.append((RESTORE, _("恢复按排名规则确定")))
        cast(forms.ChoiceField, self.fields["outcome"]).choices = choices
        self.upheld = {str(objection.pk): objection for objection in upheld or []}
        if self.upheld:
            field = cast(forms.ChoiceField, self.fields["objection"])
            empty = [] if require_objection else [("", _("（无）"))]
            field.choices = empty + [(key, str(objection)) for key, objection in self.upheld.items()]
            field.required = require_objection
        else:
            del self.fields["objection"]

    def clean_objection(self) -> Objection | None:
        return self.upheld.get(self.cleaned_data.get("objection") or "")


def upheld_objections(selection_list: SelectionList) -> list[Objection]:
    """The upheld objections an override may name."""
    return list(
        Objection.objects.filter(selection_list=selection_list, status=ObjectionStatus.UPHELD).order_by("pk")
    )


class DocumentForm(forms.Form):
    document_number = forms.CharField(
        label=_("文号"), max_length=64, required=False, help_text=_("例如：鲁数字办发〔2026〕12号")
    )
    issuing_office = forms.CharField(label=_("发文机关"), max_length=128)


class ReviewForm(forms.Form):
    team = forms.CharField(label=_("复核组成员"), max_length=255, required=False)
    visited_on = forms.DateField(
        label=_("复核日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    summary = forms.CharField(label=_("复核结论"), widget=forms.Textarea(attrs={"rows": 4}), required=False)


CONFIRM, ADJUST = "confirm", "adjust"


class ItemForm(forms.Form):
    """One checklist item: confirm the panel's value or give an adjusted one, and the finding.
    The value's widget follows the indicator's method."""

    decision = forms.ChoiceField(
        label=_("核定结论"),
        choices=[(CONFIRM, _("确认专家组核定值")), (ADJUST, _("调整为"))],
        widget=forms.RadioSelect,
    )
    value = forms.CharField(label=_("调整后的值"), required=False, max_length=64)
    finding = forms.CharField(label=_("现场发现"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, item: OnsiteItem, standard: Standard, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"item-{item.pk}")
        if "initial" not in kwargs and not args:
            kwargs["initial"] = {
                "decision": ADJUST if item.confirmed is False else CONFIRM if item.confirmed else "",
                "value": input_text(standard, item.indicator, item.adjusted_value),
                "finding": item.finding,
            }
        super().__init__(*args, **kwargs)
        indicator = standard.indicator_map.get(item.indicator)
        if indicator is not None and indicator.method == "tiered":
            choices = [("", "—")] + [
                (
                    str(grade),
                    f"{grade} · {indicator.tiers[grade - 1]}"
                    if 0 < grade <= len(indicator.tiers)
                    else str(grade),
                )
                for grade in range(standard.n_grades + 1)
            ]
            self.fields["value"] = forms.ChoiceField(label=_("调整后的星级"), choices=choices, required=False)
        elif indicator is not None and indicator.method == "boolean":
            self.fields["value"] = forms.ChoiceField(
                label=_("调整后的值"), choices=[("", "—"), ("yes", _("是")), ("no", _("否"))], required=False
            )
        elif indicator is not None and indicator.method == "ratio":
            self.fields["value"].label = _("调整后的比例（%）")
            self.fields["value"].widget.attrs["inputmode"] = "decimal"
        elif indicator is not None:
            unit = f"（{indicator.unit}）" if indicator.unit else ""
            self.fields["value"].label = _("调整后的数值") + unit
            self.fields["value"].widget.attrs["inputmode"] = "decimal"

    @property
    def confirmed(self) -> bool:
        return self.cleaned_data.get("decision") == CONFIRM


class PhotoForm(forms.Form):
    file = forms.FileField(label=_("照片（PNG 或 JPEG）"))


class HandleForm(forms.Form):
    reason = forms.CharField(
        label=_("处理意见"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, required=False
    )


def _entry_label(entry: ListEntry) -> str:
    return entry.application.region.full_name


class ObjectionForm(forms.Form):
    """The public objection form. `website` is a honeypot: people never see it, robots fill it."""

    name = forms.CharField(label=_("姓名或单位名称"), max_length=128, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=32, required=False)
    email = forms.CharField(label=_("电子邮箱"), max_length=254, required=False)
    entry = forms.ModelChoiceField(
        label=_("涉及的申报地区（可选）"),
        queryset=ListEntry.objects.none(),
        required=False,
        empty_label=_("（不指定）"),
    )
    text = forms.CharField(
        label=_("异议内容"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000, required=False
    )
    website = forms.CharField(required=False, label=_("请勿填写此项"))

    def __init__(self, *args: Any, selection_list: SelectionList, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        entries = ListEntry.objects.filter(selection_list=selection_list).select_related(
            "application__region__parent"
        )
        field = cast(forms.ModelChoiceField, self.fields["entry"])
        field.queryset = entries.order_by("level", "application__region__code")
        field.label_from_instance = _entry_label  # type: ignore[method-assign,assignment]

    @property
    def is_robot(self) -> bool:
        return bool(self.cleaned_data.get("website"))
