from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a member of an organisation may do; the region of the organisation bounds it."""

    PROVINCE_OFFICER = "province_officer", _("省级工作人员")
    PROVINCE_ADMIN = "province_admin", _("省级管理员")
    CITY_OPERATOR = "city_operator", _("市级操作员")
    COUNTY_OPERATOR = "county_operator", _("县级操作员")
    COMMUNITY_OPERATOR = "community_operator", _("社区操作员")
    EXPERT = "expert", _("评审专家")
    OBSERVER = "observer", _("观察员")


PROVINCE_ROLES = frozenset({Role.PROVINCE_OFFICER, Role.PROVINCE_ADMIN})
OPERATOR_ROLES = frozenset({Role.CITY_OPERATOR, Role.COUNTY_OPERATOR, Role.COMMUNITY_OPERATOR})


class OrgKind(models.TextChoices):
    PROVINCIAL_OFFICE = "provincial_office", _("数字山东建设专项小组办公室")
    PROVINCIAL_BUREAU = "provincial_bureau", _("省大数据局")
    CITY_GOVERNMENT = "city_government", _("市人民政府")
    CITY_BUREAU = "city_bureau", _("市大数据局")
    COUNTY_GOVERNMENT = "county_government", _("县(市、区)人民政府")
    COUNTY_BUREAU = "county_bureau", _("县(市、区)大数据局")
    COMMUNITY_COMMITTEE = "community_committee", _("社区居委会")
    EXPERT_AFFILIATION = "expert_affiliation", _("专家所在单位")
