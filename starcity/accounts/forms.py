from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    """The login form with Chinese-first labels and messages."""

    error_messages = {
        "invalid_login": _("用户名或密码不正确。注意密码区分大小写。"),
        "inactive": _("该账户已停用，请联系管理员。"),
    }
