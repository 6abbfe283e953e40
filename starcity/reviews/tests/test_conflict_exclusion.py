"""A conflicted expert never sees the application: every panels URL with an application or panel
id answers 404 to a conflicted expert (even one drawn before the conflict arose) and to an
unassigned expert; the queue, the visible panels and notifications leave them out."""

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, reverse

from starcity.calls.models import ApplicationMaterial
from starcity.calls.snapshots import application_snapshot
from starcity.core import clock
from starcity.notifications.models import Notification
from starcity.regions.models import Region
from starcity.reviews import urls as reviews_urls
from starcity.reviews import urls_panels
from starcity.reviews.models import DeclaredConflict
from starcity.reviews.selectors import expert_queue, panels_visible_to
from starcity.reviews.services import member_replace
from starcity.reviews.testing import make_expert
from starcity.reviews.tests.test_panel_views_scenario import (
    accept_all,
    build_scenario,
    drawn_panel,
    make_pool,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenario(province_officer, county_operator, county_operator_other_city, county_standard):
    return build_scenario(province_officer, county_operator, county_operator_other_city, county_standard)


ID_KWARGS = {"pk", "application_pk", "material_pk", "member_pk"}


def application_urls(panel, material, member):
    """Every reviews URL that names an application or a panel (the panels' and the pool's),
    filled with this panel's ids. Expert pages (`experts/<pk>/`) name experts, not applications."""
    urls = {}
    for pattern in reviews_urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        route = str(pattern.pattern)
        names = set(pattern.pattern.regex.groupindex)
        if not names or not names <= ID_KWARGS or route.startswith("experts/"):
            continue
        main = panel.application_id if route.startswith("applications/") else panel.pk
        values = {
            "pk": main,
            "application_pk": panel.application_id,
            "material_pk": material.pk,
            "member_pk": member.pk,
        }
        urls[pattern.name] = reverse(f"reviews:{pattern.name}", kwargs={name: values[name] for name in names})
    return urls


@pytest.fixture
def material(scenario, settings, tmp_path, county_operator):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    application = scenario.application
    item = ApplicationMaterial(
        application=application,
        kind="report",
        original_name="申请报告.pdf",
        content_kind="pdf",
        size=8,
        sha256="0" * 64,
        uploaded_by=county_operator,
    )
    item.file.save("report.pdf", ContentFile(b"%PDF-1.4"), save=False)
    item.save()
    revision = application.revisions.get()
    revision.snapshot = application_snapshot(application, number=1, submitted_at=clock.now())
    revision.save()
    return item


def assert_all_404(client, user, urls):
    """GET pages answer 404; POST-only URLs (405 on GET, which reveals nothing) answer 404 to a
    POST."""
    client.force_login(user)
    data = {"reason": "r", "declaration": "on", "indicator": "H01", "text": "x", "value": "1"}
    for target in urls.values():
        status = client.get(target).status_code
        if status == 405:
            status = client.post(target, data).status_code
        assert status == 404, (target, status)


def test_the_url_list_covers_every_application_page(scenario, material):
    panel = drawn_panel(scenario)
    urls = application_urls(panel, material, panel.members.first())
    panel_names = {p.name for p in urls_panels.urlpatterns if set(p.pattern.regex.groupindex) & ID_KWARGS}
    assert len(panel_names) >= 11 and panel_names <= set(urls)
    assert urls["application_conflicts"] == reverse(
        "reviews:application_conflicts", args=[scenario.application.pk]
    )


def test_conflicted_member_gets_404_everywhere(client, scenario, material):
    panel = drawn_panel(scenario)
    members = accept_all(panel)
    conflicted = members[1]
    # a computed conflict that arose after the draw: the expert moved to 淄博
    conflicted.expert.home_region = Region.objects.get(code="370303")
    conflicted.expert.save()
    assert_all_404(client, conflicted.expert.user, application_urls(panel, material, conflicted))
    assert panel.pk not in set(panels_visible_to(conflicted.expert.user).values_list("pk", flat=True))
    assert expert_queue(conflicted.expert.user) == []


def test_member_with_a_declared_conflict_gets_404_everywhere(client, scenario, material):
    panel = drawn_panel(scenario)
    member = accept_all(panel)[0]
    DeclaredConflict.objects.create(
        expert=member.expert,
        application=scenario.application,
        reason="亲属任职",
        declared_by=member.expert.user,
    )
    assert_all_404(client, member.expert.user, application_urls(panel, material, member))


def test_unassigned_expert_gets_404_everywhere(client, scenario, material):
    panel = drawn_panel(scenario)
    member = panel.members.first()
    stranger = make_pool(1, prefix="未分配专家")[0]
    assert_all_404(client, stranger.user, application_urls(panel, material, member))


def test_declined_and_replaced_experts_lose_access(client, scenario, material):
    panel = drawn_panel(scenario)
    members = accept_all(panel)
    member_replace(by=scenario.officer, member=members[2], reason="回避")
    assert_all_404(client, members[2].expert.user, application_urls(panel, material, members[2]))


def test_conflicted_experts_are_never_invited_or_notified(scenario):
    zibo = make_expert("淄博本地专家", "370321", employer="桓台单位", with_account=True)
    panel = drawn_panel(scenario)
    assert not panel.members.filter(expert=zibo).exists()
    assert not Notification.objects.filter(recipient=zibo.user).exists()
    members = accept_all(panel)
    DeclaredConflict.objects.create(
        expert=members[0].expert, application=scenario.application, reason="r", declared_by=scenario.officer
    )
    Notification.objects.all().delete()
    member_replace(by=scenario.officer, member=members[0], reason="利益冲突")
    assert not Notification.objects.filter(recipient=members[0].expert.user).exists()


def test_call_pages_are_the_office_s(client, scenario):
    drawn_panel(scenario)
    expert = make_pool(1, prefix="其他专家")[0]
    client.force_login(expert.user)
    assert client.get(reverse("reviews:call_panels", args=[scenario.call.pk])).status_code == 403
    assert client.post(reverse("reviews:call_draw", args=[scenario.call.pk])).status_code == 403
