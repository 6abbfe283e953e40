"""`python manage.py seed_demo`: demo accounts for every role and demo self-assessments (idempotent)."""

from typing import Any

from django.core.management.base import BaseCommand

from starcity.demo.seed import DEMO_PASSWORD, seed_accounts, seed_assessments


class Command(BaseCommand):
    help = "Create demo organisations, accounts (one per role), a community and self-assessments."

    def handle(self, *args: Any, **options: Any) -> None:
        accounts = seed_accounts()
        made = seed_assessments()
        self.stdout.write(f"demo self-assessments created: {made}")
        self.stdout.write("")
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD})")
        for spec, user in accounts:
            role = dict(_role_labels()).get(spec.role, spec.role)
            self.stdout.write(f"  {user.username:<10} {role:<10} {spec.org_name}")


def _role_labels() -> list[tuple[str, str]]:
    from starcity.accounts.choices import Role

    return [(str(value), str(label)) for value, label in Role.choices]
