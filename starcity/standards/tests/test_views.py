"""Every standards page: who may see it, who may publish, and what the pages show."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from starcity.accounts.selectors import has_role
from starcity.core.models import AuditEntry
from starcity.standards.models import StandardVersion
from starcity.standards.tests.conftest import with_field

pytestmark = pytest.mark.django_db

READERS = ["province_admin", "province_officer", "city_operator", "county_operator", "expert", "observer"]
NON_PUBLISHERS = ["province_officer", "city_operator", "county_operator", "expert", "observer"]


def _pages(version):
    return [
        reverse("standards:list"),
        reverse("standards:detail", args=[version.pk]),
        reverse("standards:download", args=[version.pk]),
        reverse("standards:compare") + f"?a={version.pk}&b={version.pk}",
        reverse("standards:upload"),
    ]


def test_anonymous_is_sent_to_login(client, city_standard):
    for url in _pages(city_standard):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login")), url
    response = client.post(reverse("standards:upload"), {"text": "x"})
    assert response.status_code == 302


@pytest.mark.parametrize("persona", READERS)
def test_every_role_may_browse(client, request, persona, city_standard):
    client.force_login(request.getfixturevalue(persona))
    for url in _pages(city_standard)[:4]:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("persona", NON_PUBLISHERS)
def test_only_province_admin_may_upload(client, request, persona, city_text):
    user = request.getfixturevalue(persona)
    assert not has_role(user, "province_admin")
    client.force_login(user)
    url = reverse("standards:upload")
    assert client.get(url).status_code == 403
    assert client.post(url, {"text": city_text}).status_code == 403
    assert StandardVersion.objects.count() == 0
    assert b"standards/upload/" not in client.get(reverse("standards:list")).content


def test_missing_version_is_404(client, province_officer):
    client.force_login(province_officer)
    assert client.get(reverse("standards:detail", args=[999999])).status_code == 404
    assert client.get(reverse("standards:download", args=[999999])).status_code == 404
    assert client.get(reverse("standards:compare") + "?a=999999&b=999998").status_code == 404
    assert client.get(reverse("standards:compare") + "?a=abc").status_code == 404


def test_wrong_method_is_refused(client, province_admin, city_standard):
    client.force_login(province_admin)
    assert client.post(reverse("standards:list")).status_code == 405
    assert client.post(reverse("standards:detail", args=[city_standard.pk])).status_code == 405
    assert client.delete(reverse("standards:upload")).status_code == 405


def test_list_shows_lines_versions_and_upload_button(client, province_admin, city_standard, county_standard):
    client.force_login(province_admin)
    body = client.get(reverse("standards:list")).content.decode()
    for version in (city_standard, county_standard):
        assert version.line.code in body
        assert version.version in body
        assert version.hash_prefix in body
        assert str(version.indicator_count) in body
    assert reverse("standards:upload") in body


def test_detail_shows_rules_indicators_and_thresholds(client, expert, city_standard):
    client.force_login(expert)
    body = client.get(reverse("standards:detail", args=[city_standard.pk])).content.decode()
    data = city_standard.data
    assert city_standard.title in body
    for grade in data["grades"]:
        assert grade in body
    for indicator in data["indicators"]:
        assert indicator["code"] in body
    assert "总分不低于" in body
    assert "每个领域得分不低于" in body
    assert "核心指标" in body
    assert "必达" not in body  # the assessments pages say 核心指标 too
    tiered = next(i for i in data["indicators"] if i["method"] == "tiered")
    assert tiered["tiers"][0] in body
    measured = next(i for i in data["indicators"] if i["method"] in ("threshold", "ratio"))
    assert f"{measured['thresholds'][0]}" in body
    if any(i["method"] == "boolean" for i in data["indicators"]):
        assert "是/否" in body
    assert "standard.publish" not in body
    assert "发布" in body
    assert reverse("standards:download", args=[city_standard.pk]) in body


def test_detail_uses_english_names_in_english(client, expert, city_standard):
    client.force_login(expert)
    client.cookies["django_language"] = "en"
    body = client.get(
        reverse("standards:detail", args=[city_standard.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    first = city_standard.data["indicators"][0]
    if first.get("name_en"):
        assert first["name_en"] in body


def test_download_returns_the_file_as_published(client, county_operator, city_standard):
    client.force_login(county_operator)
    response = client.get(reverse("standards:download", args=[city_standard.pk]))
    assert response.content.decode("utf-8") == city_standard.content
    assert "attachment" in response["Content-Disposition"]
    assert f"{city_standard.line.code}@{city_standard.version}.yaml" in response["Content-Disposition"]


def test_upload_form_for_admin(client, province_admin):
    client.force_login(province_admin)
    response = client.get(reverse("standards:upload"))
    assert response.status_code == 200
    assert b'type="file"' in response.content


def test_upload_a_file_publishes_and_redirects(client, province_admin, city_text):
    client.force_login(province_admin)
    upload = SimpleUploadedFile("sd-city.yaml", city_text.encode("utf-8"), content_type="application/yaml")
    response = client.post(reverse("standards:upload"), {"file": upload})
    version = StandardVersion.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("standards:detail", args=[version.pk])
    assert version.content == city_text
    assert version.source_name == "sd-city.yaml"
    assert version.published_by == province_admin
    followed = client.get(response["Location"])
    assert version.label in followed.content.decode()


def test_upload_pasted_text_publishes(client, province_admin, city_text):
    client.force_login(province_admin)
    response = client.post(reverse("standards:upload"), {"text": city_text.replace("\n", "\r\n")})
    assert response.status_code == 302
    assert StandardVersion.objects.get().content == city_text


def test_upload_broken_file_shows_every_error_and_writes_nothing(client, province_admin, broken_text):
    client.force_login(province_admin)
    before = (StandardVersion.objects.count(), AuditEntry.objects.count())
    upload = SimpleUploadedFile("broken.yaml", broken_text.encode("utf-8"))
    response = client.post(reverse("standards:upload"), {"file": upload})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="problems"' in body
    assert body.count("<li>第 ") >= 2
    assert "level" in body
    assert (StandardVersion.objects.count(), AuditEntry.objects.count()) == before


def test_upload_duplicate_is_a_conflict_shown_on_the_form(client, province_admin, city_standard):
    client.force_login(province_admin)
    before = AuditEntry.objects.count()
    response = client.post(reverse("standards:upload"), {"text": city_standard.content})
    assert response.status_code == 409
    body = response.content.decode()
    assert "已经发布" in body
    assert 'name="text"' in body  # the form again, to fix and resend
    assert AuditEntry.objects.count() == before


def test_upload_of_a_published_version_with_other_content_is_a_conflict(
    client, province_admin, city_standard
):
    client.force_login(province_admin)
    changed = city_standard.content.replace(city_standard.title, city_standard.title + "（修订）", 1)
    response = client.post(reverse("standards:upload"), {"text": changed})
    assert response.status_code == 409
    assert "内容不同" in response.content.decode()
    assert StandardVersion.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "payload", "message"),
    [
        ("standard.exe", b"schema: x\n", "扩展名“exe”"),
        ("standard.yaml", b"\x00\x01binary", "文本文件"),
        ("standard.yaml", "标准".encode("gbk"), "UTF-8"),
        ("standard.yaml", b"%PDF-1.4\n", "文本文件"),
        ("standard.yaml", b"a: b\n" * 300_000, "超过上限 1.0\xa0MB"),
    ],
    ids=["exe-name", "nul-bytes", "gbk", "pdf", "over-1-mb"],
)
def test_upload_checks_the_file_itself(client, province_admin, name, payload, message):
    client.force_login(province_admin)
    response = client.post(reverse("standards:upload"), {"file": SimpleUploadedFile(name, payload)})
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert name in body
    assert StandardVersion.objects.count() == 0


def test_the_file_is_judged_by_the_one_upload_validator(client, province_admin, city_text, monkeypatch):
    from starcity.standards import forms

    seen = []

    def validate(file, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(kwargs)
        return real(file, **kwargs)

    real = forms.validate_upload
    monkeypatch.setattr(forms, "validate_upload", validate)
    client.force_login(province_admin)
    upload = SimpleUploadedFile("sd-city.yml", city_text.encode("utf-8"))
    assert client.post(reverse("standards:upload"), {"file": upload}).status_code == 302
    assert seen == [{"allowed": {"yaml"}, "max_bytes": 1024 * 1024}]


def test_upload_needs_exactly_one_source(client, province_admin, city_text):
    client.force_login(province_admin)
    response = client.post(reverse("standards:upload"), {})
    assert response.status_code == 400
    assert "二者选一" in response.content.decode()
    upload = SimpleUploadedFile("sd-city.yaml", city_text.encode("utf-8"))
    response = client.post(reverse("standards:upload"), {"file": upload, "text": city_text})
    assert response.status_code == 400
    assert "二者选一" in response.content.decode()
    assert StandardVersion.objects.count() == 0


def test_compare_shows_colour_coded_changes(
    client, province_officer, province_admin, city_standard, city_text
):
    from starcity.standards.services import standard_version_publish

    data = city_standard.data
    first = data["indicators"][0]
    changed_text = with_field(city_text, "version", "2026-next").replace(
        f"code: {first['code']}\n", f"code: {first['code']}X\n", 1
    )
    newer = standard_version_publish(by=province_admin, content=changed_text)
    client.force_login(province_officer)
    url = reverse("standards:compare") + f"?a={city_standard.pk}&b={newer.pk}"
    body = client.get(url).content.decode()
    assert 'class="diff-added"' in body
    assert 'class="diff-removed"' in body
    assert f"{first['code']}X" in body
    assert 'class="diff-changed"' in body


def test_compare_across_lines_and_empty_form(client, expert, city_standard, county_standard):
    client.force_login(expert)
    assert client.get(reverse("standards:compare")).status_code == 200
    url = reverse("standards:compare") + f"?a={city_standard.pk}&b={county_standard.pk}"
    response = client.get(url)
    assert response.status_code == 200
    assert 'id="diff"' in response.content.decode()


def test_detail_timeline_shows_publication_and_supersession(client, province_admin, city_standard, city_text):
    from starcity.standards.services import standard_version_publish

    standard_version_publish(by=province_admin, content=with_field(city_text, "version", "2026-next"))
    client.force_login(province_admin)
    body = client.get(reverse("standards:detail", args=[city_standard.pk])).content.decode()
    assert "被新版本替代" in body
    assert "已被替代" in body


def test_head_is_answered_like_get(client, expert, city_standard):
    client.force_login(expert)
    for url in _pages(city_standard)[:4]:
        response = client.head(url)
        assert response.status_code == 200, url
        assert response.content == b"", url


def _english(client):
    client.cookies["django_language"] = "en"
    return client


def test_english_pages_show_the_english_title(client, expert, city_standard):
    _english(client).force_login(expert)
    for url in (reverse("standards:list"), reverse("standards:detail", args=[city_standard.pk])):
        body = client.get(url).content.decode()
        assert city_standard.title_en in body, url
        assert city_standard.title not in body, url
    items = client.get(reverse("accounts:workbench")).content.decode()
    assert city_standard.title_en in items


def test_evidence_list_is_written_the_way_each_language_writes_it(client, expert, city_standard):
    evidence = next(
        i["evidence"] for i in city_standard.data["indicators"] if len(i.get("evidence") or ()) > 1
    )
    client.force_login(expert)
    chinese = client.get(reverse("standards:detail", args=[city_standard.pk])).content.decode()
    assert f"佐证材料：{'、'.join(evidence)}" in chinese
    english = _english(client).get(reverse("standards:detail", args=[city_standard.pk])).content.decode()
    assert f"Evidence: {', '.join(evidence)}" in english
    assert "Evidence：" not in english and "、".join(evidence) not in english
