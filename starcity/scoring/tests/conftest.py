"""The scoring tests need neither Django nor a database.

`starcity/conftest.py` has autouse fixtures for the Django apps (a fast password hasher through
pytest-django's `settings`); scoring never hashes a password, so they are replaced here by
no-ops, and these tests also run with `-p no:django`.
"""

import pytest


@pytest.fixture(autouse=True)
def _fast_password_hasher() -> None:
    """Nothing to speed up: the scoring engine hashes no passwords."""
