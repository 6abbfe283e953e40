"""Forms of the regions pages: the name search and a new community."""

from django import forms
from django.utils.translation import gettext_lazy as _

from starcity.core.errors import DomainError


class RegionSearchForm(forms.Form):
    q = forms.CharField(
        label=_("查找区域"),
        required=False,
        max_length=2000,
        help_text=_("可输入多个名称，用逗号、顿号或分号分隔，如：淄博桓台县、青岛西海岸新区"),
    )


class CommunityForm(forms.Form):
    """What the county enters for a community.

    The fields are not required here: the service checks every field at once and names each
    problem, so the form only carries the input to it.
    """

    marked_required = ("name", "street")

    name = forms.CharField(
        label=_("社区名称"), required=False, widget=forms.TextInput(attrs={"maxlength": 64})
    )
    street = forms.CharField(
        label=_("所属街道/镇"), required=False, widget=forms.TextInput(attrs={"maxlength": 64})
    )
    code = forms.CharField(
        label=_("统计用区划代码"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": 12, "inputmode": "numeric"}),
        help_text=_("可选：12 位统计用区划代码，以本县（市、区）代码开头。"),
    )

    def add_domain_errors(self, error: DomainError) -> None:
        """Show a service's refusal on the fields it names (on the form when it names none)."""
        problems = error.errors or [(error.field, error.message)]
        for field, message in problems:
            self.add_error(field if field in self.fields else None, str(message))
