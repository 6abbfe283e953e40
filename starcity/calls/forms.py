"""Forms of calls and applications: they parse and shape input; the services hold the rules."""

from collections.abc import Mapping
from typing import Any, cast

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from starcity.assessments.models import SelfAssessment
from starcity.calls import selectors
from starcity.calls.choices import ApplicationStatus, Direction, MaterialKind
from starcity.calls.completeness import grade_name, offered_targets
from starcity.calls.models import Application, Call
from starcity.calls.rules import CALENDAR_DATES, CALENDAR_FIELDS, RULE_FIELDS, LevelInput
from starcity.core import clock
from starcity.core.uploads import OversizedUpload, safe_filename
from starcity.regions.choices import Level
from starcity.regions.models import Region
from starcity.standards.selectors import published_versions

OFFER_ROWS = 4


class DateTimeLocalInput(forms.DateTimeInput):
    """A browser date-time picker to the second (Asia/Shanghai, the site's time zone)."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs={"step": "1", **(attrs or {})}, format="%Y-%m-%dT%H:%M:%S")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _widgets() -> dict[str, Any]:
    widgets: dict[str, Any] = {name: DateInput() for name in CALENDAR_DATES}
    widgets |= {name: DateTimeLocalInput() for name in ("opens_at", "deadline", "resubmission_until")}
    widgets["description"] = forms.Textarea(attrs={"rows": 4})
    return widgets


class VersionField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} · {obj.label}"


class CallForm(forms.ModelForm):
    """A draft call: rules, calendar, grade offers as rows, reminder days and the two levels."""

    reminder_text = forms.CharField(
        label=gettext_lazy("截止前提醒（天）"),
        required=False,
        help_text=gettext_lazy("用逗号分隔，如“7, 3, 1”；留空则不提醒。"),
    )

    class Meta:
        model = Call
        fields = [
            name for name in (*RULE_FIELDS, *CALENDAR_DATES) if name not in ("grade_offers", "reminder_days")
        ]
        widgets = _widgets()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["deadline"].help_text = _("北京时间，精确到秒；服务器按此时间判断是否逾期。")
        self.fields["grace_minutes"].help_text = _("截止后仍接受提交的分钟数（不对外公布的容错时间）。")
        self._add_offer_fields()
        self._add_level_fields()
        if not self.is_bound:
            self._initial_from_instance()

    def _add_offer_fields(self) -> None:
        for row in range(1, OFFER_ROWS + 1):
            self.fields[f"offer_{row}_met"] = forms.IntegerField(
                label=_("第 %(row)d 项：已达星级") % {"row": row}, required=False, min_value=0, max_value=9
            )
            self.fields[f"offer_{row}_target"] = forms.IntegerField(
                label=_("第 %(row)d 项：可申报星级") % {"row": row}, required=False, min_value=1, max_value=9
            )

    def _add_level_fields(self) -> None:
        for level in (Level.CITY, Level.COUNTY):
            label = Level(level).label
            self.fields[f"{level}_enabled"] = forms.BooleanField(
                label=_("开放%(level)s申报") % {"level": label}, required=False
            )
            self.fields[f"{level}_version"] = VersionField(
                label=_("%(level)s标准版本") % {"level": label},
                queryset=published_versions(level=level),
                required=False,
            )
            self.fields[f"{level}_pilots"] = forms.IntegerField(
                label=_("%(level)s试点名额") % {"level": label}, min_value=0, max_value=999, initial=0
            )
            self.fields[f"{level}_pre_pilots"] = forms.IntegerField(
                label=_("%(level)s预试点名额") % {"level": label}, min_value=0, max_value=999, initial=0
            )

    def _initial_from_instance(self) -> None:
        call = self.instance
        if not call.pk:
            self.initial.setdefault("year", clock.local_now().year)
        offers = call.grade_offers if call.pk else [[3, 4], [4, 5]]
        for row, (met, target) in enumerate(offers[:OFFER_ROWS], start=1):
            self.initial[f"offer_{row}_met"], self.initial[f"offer_{row}_target"] = met, target
        days = call.reminder_days if call.pk else [7, 3, 1]
        self.initial["reminder_text"] = ", ".join(str(d) for d in days)
        if call.pk:
            for item in call.levels.all():
                self.initial[f"{item.level}_enabled"] = True
                self.initial[f"{item.level}_version"] = item.standard_version_id
                self.initial[f"{item.level}_pilots"] = item.pilot_quota
                self.initial[f"{item.level}_pre_pilots"] = item.pre_pilot_quota

    def _post_clean(self) -> None:
        """No model validation here: the service checks every rule and names each field."""

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        if not 2000 <= year <= 2100:
            raise forms.ValidationError(_("年度须在 2000 至 2100 之间。"))
        return int(year)

    def offer_rows(self) -> list[tuple[Any, Any]]:
        return [(self[f"offer_{row}_met"], self[f"offer_{row}_target"]) for row in range(1, OFFER_ROWS + 1)]

    def level_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "label": Level(level).label,
                "enabled": self[f"{level}_enabled"],
                "version": self[f"{level}_version"],
                "pilots": self[f"{level}_pilots"],
                "pre_pilots": self[f"{level}_pre_pilots"],
            }
            for level in (Level.CITY, Level.COUNTY)
        ]

    def clean_reminder_text(self) -> list[int]:
        text = self.cleaned_data.get("reminder_text", "")
        parts = [p for p in text.replace("，", ",").replace("、", ",").replace(" ", ",").split(",") if p]
        try:
            return [int(p) for p in parts]
        except ValueError as exc:
            raise forms.ValidationError(_("提醒天数须为用逗号分隔的整数，如“7, 3, 1”。")) from exc

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        offers = []
        for row in range(1, OFFER_ROWS + 1):
            met, target = cleaned.get(f"offer_{row}_met"), cleaned.get(f"offer_{row}_target")
            if (met is None) != (target is None):
                self.add_error(
                    f"offer_{row}_target", _("第 %(row)d 项须同时填写已达星级和可申报星级。") % {"row": row}
                )
            elif met is not None:
                offers.append([met, target])
        cleaned["grade_offers"] = offers
        for level in (Level.CITY, Level.COUNTY):
            if cleaned.get(f"{level}_enabled") and not cleaned.get(f"{level}_version"):
                self.add_error(
                    f"{level}_version", _("请为%(level)s选择标准版本。") % {"level": Level(level).label}
                )
        return cleaned

    def values(self) -> dict[str, Any]:
        """The call's values for the service."""
        data = {name: self.cleaned_data.get(name) for name in self.Meta.fields}
        data["description"] = data.get("description") or ""
        data["grade_offers"] = self.cleaned_data["grade_offers"]
        data["reminder_days"] = self.cleaned_data.get("reminder_text") or []
        return data

    def levels(self) -> list[LevelInput]:
        """The levels open to applications, for the service."""
        return [
            LevelInput(
                level,
                self.cleaned_data[f"{level}_version"],
                self.cleaned_data.get(f"{level}_pilots") or 0,
                self.cleaned_data.get(f"{level}_pre_pilots") or 0,
            )
            for level in (Level.CITY, Level.COUNTY)
            if self.cleaned_data.get(f"{level}_enabled")
        ]


class CalendarForm(forms.ModelForm):
    """The dates of a published call that may still move."""

    class Meta:
        model = Call
        fields = list(CALENDAR_FIELDS)
        widgets = _widgets()

    def _post_clean(self) -> None:
        """No model validation here: the service checks every rule and names each field."""

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in CALENDAR_FIELDS}


class RegionField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name}（{obj.get_level_display()}）"


class ExtensionForm(forms.Form):
    region = RegionField(label=gettext_lazy("申报地区"), queryset=Region.objects.none())
    until = forms.DateTimeField(label=gettext_lazy("延期至"), widget=DateTimeLocalInput())
    reason = forms.CharField(
        label=gettext_lazy("理由"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False
    )

    def __init__(self, *args: Any, call: Call, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        levels = [item.level for item in call.levels.all()]
        field = cast(forms.ModelChoiceField, self.fields["region"])
        field.queryset = (
            Region.objects.filter(level__in=levels, is_active=True).select_related("parent").order_by("code")
        )


def grade_choices(application: Application) -> list[tuple[str, str]]:
    pinned = selectors.call_level(application.call, application.level)
    version = pinned.standard_version if pinned else None
    choices = [("", _("（请选择）"))]
    for target in offered_targets(application.call):
        offer = selectors.grade_offer_for(application.call, target) or [0, target]
        choices.append(
            (
                str(target),
                _("%(target)s（自评估须达到%(needed)s）")
                % {"target": grade_name(version, target), "needed": grade_name(version, offer[0])},
            )
        )
    return choices


class AssessmentField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return _("%(title)s · %(grade)s · %(score)s 分 · 提交于 %(time)s") % {
            "title": obj.title,
            "grade": obj.grade_label,
            "score": obj.score,
            "time": obj.submitted_at.strftime("%Y-%m-%d") if obj.submitted_at else "",
        }


class ApplicationForm(forms.Form):
    """Target grade, self-assessment, breakthrough direction and contacts."""

    target_grade = forms.TypedChoiceField(
        label=gettext_lazy("申报星级"), coerce=int, empty_value=None, required=False
    )
    self_assessment = AssessmentField(
        label=gettext_lazy("自评估"), queryset=SelfAssessment.objects.none(), required=False
    )
    breakthrough_direction = forms.ChoiceField(
        label=gettext_lazy("突破方向"),
        choices=[("", gettext_lazy("（请选择）")), *Direction.choices],
        required=False,
    )
    contact_name = forms.CharField(label=gettext_lazy("联系人"), max_length=64, required=False)
    contact_phone = forms.CharField(label=gettext_lazy("联系电话"), max_length=32, required=False)
    contact_email = forms.EmailField(
        label=gettext_lazy("电子邮箱"),
        max_length=254,  # the model's column
        required=False,
        # wide enough for a whole institutional address (about 40 characters)
        widget=forms.EmailInput(attrs={"size": 40, "autocomplete": "email"}),
    )

    def __init__(self, *args: Any, application: Application, **kwargs: Any) -> None:
        if not args and "initial" not in kwargs:
            kwargs["initial"] = {
                "target_grade": application.target_grade,
                "self_assessment": application.self_assessment_id,
                "breakthrough_direction": application.breakthrough_direction,
                "contact_name": application.contact_name,
                "contact_phone": application.contact_phone,
                "contact_email": application.contact_email,
            }
        super().__init__(*args, **kwargs)
        cast(forms.TypedChoiceField, self.fields["target_grade"]).choices = grade_choices(application)
        assessment = cast(forms.ModelChoiceField, self.fields["self_assessment"])
        assessment.queryset = selectors.eligible_assessments(application).select_related("standard_version")
        assessment.empty_label = _("（请选择已提交的自评估）")


def tasks_from_post(data: Mapping[str, Any]) -> list[dict[str, str]]:
    """The task rows of the task-book form (parallel lists), without the rows left entirely blank."""
    getlist = data.getlist  # type: ignore[attr-defined]
    rows = zip(getlist("task_title"), getlist("task_description"), getlist("task_domain"), strict=False)
    return [
        {"title": title.strip(), "description": description.strip(), "domain": domain.strip()}
        for title, description, domain in rows
        if title.strip() or description.strip()
    ]


class MaterialUploadForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("材料类型"), choices=MaterialKind.choices)
    file = forms.FileField(label=gettext_lazy("文件"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not isinstance(upload, OversizedUpload):
            upload.name = safe_filename(upload.name)
        return upload


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, required=False
    )


class ApplicationFilterForm(forms.Form):
    """List filters: call, level, status and city (only those that can narrow what the user sees)."""

    call = forms.ModelChoiceField(label=gettext_lazy("批次"), queryset=Call.objects.none(), required=False)
    level = forms.ChoiceField(label=gettext_lazy("层级"), required=False)
    status = forms.ChoiceField(label=gettext_lazy("状态"), required=False)
    city = forms.ModelChoiceField(
        label=gettext_lazy("设区市"), queryset=Region.objects.none(), required=False, to_field_name="code"
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        call = cast(forms.ModelChoiceField, self.fields["call"])
        call.queryset = selectors.calls_visible_to(user)
        call.empty_label = _("全部")
        cast(forms.ChoiceField, self.fields["level"]).choices = [
            ("", _("全部")),
            (Level.CITY, Level.CITY.label),
            (Level.COUNTY, Level.COUNTY.label),
        ]
        cast(forms.ChoiceField, self.fields["status"]).choices = [("", _("全部")), *ApplicationStatus.choices]
        cities = selectors.cities_for_filter(user)
        city = cast(forms.ModelChoiceField, self.fields["city"])
        city.queryset = cities
        city.empty_label = _("全部")
        if cities.count() <= 1:
            del self.fields["city"]

    def filters(self) -> selectors.ApplicationFilters:
        if not self.is_bound or not self.is_valid():
            return selectors.ApplicationFilters()
        data = self.cleaned_data
        return selectors.ApplicationFilters(
            call=data.get("call"),
            level=data.get("level") or "",
            status=data.get("status") or "",
            city=data.get("city"),
        )
