"""`seed_demo` creates one account per role and demo self-assessments, and is idempotent."""

import io

import pytest
from django.core.management import call_command

from starcity.accounts.models import Membership, User
from starcity.assessments.models import SelfAssessment
from starcity.demo.seed import ACCOUNTS, DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def run() -> str:
    out = io.StringIO()
    call_command("load_standards", stdout=io.StringIO())
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_seed_demo_twice_creates_everything_once():
    first = run()
    counts = (User.objects.count(), Membership.objects.count(), SelfAssessment.objects.count())
    second = run()
    assert counts == (User.objects.count(), Membership.objects.count(), SelfAssessment.objects.count())
    assert counts[0] == len(ACCOUNTS) + 1  # and the community operator
    assert SelfAssessment.objects.filter(status="submitted").count() == 2
    assert SelfAssessment.objects.filter(status="draft").count() == 2
    for output in (first, second):
        assert DEMO_PASSWORD in output
        assert "huantai" in output


def test_demo_accounts_log_in_with_the_printed_password(client):
    run()
    for username in ("admin", "province", "zibo", "huantai", "community", "expert", "observer"):
        assert client.login(username=username, password=DEMO_PASSWORD), username
