"""The inbox filter: all notifications, or only the unread ones."""

from django import forms
from django.utils.translation import gettext_lazy as _

ALL = "all"
UNREAD = "unread"


class InboxFilterForm(forms.Form):
    """`?show=unread` narrows the list; anything else (or nothing) shows everything."""

    show = forms.ChoiceField(choices=[(ALL, _("全部")), (UNREAD, _("未读"))], required=False, label=_("显示"))

    def unread_only(self) -> bool:
        return self.is_valid() and self.cleaned_data.get("show") == UNREAD
