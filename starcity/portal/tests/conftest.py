"""The portal's tests use the list fixtures of the lists app (a call, three applicants, the list
in each state)."""

from starcity.lists.tests.conftest import (  # noqa: F401
    call,
    formed,
    fresh_cache,
    in_notice,
    on_site,
    private_media,
    three,
)
