"""Users, organisations attached to regions, and memberships that carry a role."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from starcity.accounts.choices import OrgKind, Role
from starcity.core.text import enumeration
from starcity.regions.choices import Level
from starcity.regions.models import Region

# The region levels at which each role may be held (experts and observers: anywhere).
ROLE_LEVELS: dict[str, frozenset[str]] = {
    Role.PROVINCE_OFFICER: frozenset({Level.PROVINCE}),
    Role.PROVINCE_ADMIN: frozenset({Level.PROVINCE}),
    Role.CITY_OPERATOR: frozenset({Level.CITY}),
    Role.COUNTY_OPERATOR: frozenset({Level.COUNTY}),
    Role.COMMUNITY_OPERATOR: frozenset({Level.COMMUNITY}),
}


class User(AbstractUser):
    """A person who logs in. What they may do comes from their memberships."""

    display_name = models.CharField(_("姓名"), max_length=64, blank=True)
    phone = models.CharField(_("电话"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username


class Organisation(models.Model):
    """A body taking part in the programme, attached to the region it belongs to."""

    name = models.CharField(_("名称"), max_length=128, unique=True)
    kind = models.CharField(_("类型"), max_length=32, choices=OrgKind.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("所属区域"), on_delete=models.PROTECT, related_name="organisations"
    )

    class Meta:
        verbose_name = _("机构")
        verbose_name_plural = _("机构")
        ordering = ["region__path", "name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A user's role in an organisation; the organisation's region bounds what the role reaches."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    is_active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("成员身份")
        verbose_name_plural = _("成员身份")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"], name="membership_unique_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation} · {self.get_role_display()}"

    @property
    def region(self) -> Region:
        return self.organisation.region

    def clean(self) -> None:
        """A role sits at its own level: a county operator in a county body, and so on."""
        from django.core.exceptions import ValidationError

        expected = ROLE_LEVELS.get(self.role)
        if expected and self.organisation_id and self.organisation.region.level not in expected:
            raise ValidationError(
                {
                    "organisation": _("角色“%(role)s”须属于%(levels)s层级的机构，“%(org)s”属于%(level)s。")
                    % {
                        "role": self.get_role_display(),
                        "levels": enumeration(Level(level).label for level in expected),
                        "org": self.organisation.name,
                        "level": self.organisation.region.get_level_display(),
                    }
                }
            )
