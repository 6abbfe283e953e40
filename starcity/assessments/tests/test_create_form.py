"""The start page offers the standard versions of the chosen region's level."""

from django.urls import reverse

from starcity.assessments.forms import StartForm
from starcity.assessments.tests.conftest import region
from starcity.regions.models import Region
from starcity.standards.models import StandardVersion


def test_one_region_is_preselected_with_only_its_level(
    client, county_operator, county_standard, city_standard
):
    client.force_login(county_operator)
    response = client.get(reverse("assessments:create"))
    form = response.context["form"]
    assert form["region"].value() == region("370321").pk
    assert list(form.fields["standard_version"].queryset) == [county_standard]
    page = response.content.decode()
    assert f'<option value="{region("370321").pk}" selected data-level="county">' in page
    assert f'<option value="{county_standard.pk}" selected data-level="county">' in page
    assert city_standard.label not in page


def test_versions_are_grouped_and_marked_by_level(client, city_operator, county_standard, city_standard):
    client.force_login(city_operator)
    response = client.get(reverse("assessments:create"))
    page = response.content.decode()
    assert '<optgroup label="市级">' in page and '<optgroup label="县级">' in page
    assert f'<option value="{city_standard.pk}" data-level="city">' in page
    assert f'<option value="{county_standard.pk}" data-level="county">' in page
    assert f'<option value="{region("370300").pk}" data-level="city">' in page
    assert f'<option value="{region("370321").pk}" data-level="county">' in page
    assert 'option.getAttribute("data-level") === level' in page  # the script that filters them


def test_the_level_rule_is_the_services_not_the_forms(county_standard, city_standard):
    regions = Region.objects.filter(code__in=["370300", "370321"])
    form = StartForm(
        {"region": region("370321").pk, "standard_version": city_standard.pk},
        regions=regions,
        versions=StandardVersion.objects.all(),
    )
    assert form.is_valid(), form.errors
