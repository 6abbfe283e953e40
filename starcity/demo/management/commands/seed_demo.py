"""`python manage.py seed_demo`: demo accounts for every role, the expert pool, self-assessments,
last year's selection taken through to its final list and this year's in progress (idempotent)."""

from typing import Any

from django.core.management.base import BaseCommand

from starcity.accounts.models import User
from starcity.demo.experts import EXPERTS, expert_tries
from starcity.demo.seed import DEMO_PASSWORD, DemoAccount, seed_accounts, seed_assessments
from starcity.demo.year import YearsSeeded, seed_selection_years


class Command(BaseCommand):
    help = (
        "Create demo organisations and accounts (one per role, and an expert pool), self-assessments, "
        "last year's call through to its final list and this year's call in progress."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        from starcity.assessments.models import SelfAssessment

        before = SelfAssessment.objects.count()
        accounts = seed_accounts()
        years = seed_selection_years()
        seed_assessments()
        self.stdout.write(f"demo self-assessments created: {SelfAssessment.objects.count() - before}")
        self._years(years)
        self.stdout.write("")
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD})")
        labels = dict(_role_labels())
        for spec, user in accounts:
            self._line(spec, user, labels, self._tries(spec, user, years))
        self.stdout.write("")
        self.stdout.write("Expert pool (role 评审专家, same password)")
        for expert in EXPERTS[1:]:
            user = User.objects.get(username=expert.username)
            self.stdout.write(f"  {user.username:<13} {user.display_name:<6} {expert_tries(user)}")
        self.stdout.write("")
        self.stdout.write("Public portal without login: /public/")

    def _years(self, years: YearsSeeded) -> None:
        if not years.built:
            self.stdout.write("the database already holds calls: selection years left as they are")
        if years.past is not None:
            self.stdout.write(f"last year's call: {years.past.title} ({years.past.get_status_display()})")
        if years.current is not None:
            self.stdout.write(
                f"this year's call: {years.current.title} ({years.current.get_status_display()})"
            )
        if years.skipped:
            self.stdout.write(years.skipped)

    def _tries(self, spec: DemoAccount, user: User, years: YearsSeeded) -> str:
        if spec.username == "expert":
            return expert_tries(user)
        year = years.current.year if years.current else "this year"
        last = years.past.year if years.past else "last year"
        return spec.tries.format(year=year, last=last)

    def _line(self, spec: DemoAccount, user: User, labels: dict[str, str], tries: str) -> None:
        role = labels.get(spec.role, spec.role)
        self.stdout.write(f"  {user.username:<10} {role:<6} {spec.org_name:<14} {tries}")


def _role_labels() -> list[tuple[str, str]]:
    from starcity.accounts.choices import Role

    return [(str(value), str(label)) for value, label in Role.choices]
