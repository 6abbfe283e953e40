"""notify(): one row per distinct active recipient, written in the caller's transaction; e-mail
only after commit, and a failing mail server never breaks the caller."""

from contextlib import suppress

from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction

from starcity.notifications.models import Notification
from starcity.notifications.services import notify


class RefusingBackend(BaseEmailBackend):
    """A mail server that cannot be reached."""

    def open(self):  # type: ignore[no-untyped-def]
        raise ConnectionRefusedError("mail server down")

    def send_messages(self, email_messages):  # type: ignore[no-untyped-def]
        raise ConnectionRefusedError("mail server down")


class PickyBackend(BaseEmailBackend):
    """A mail server that refuses one address and accepts the others."""

    accepted: list[str] = []

    def send_messages(self, email_messages):  # type: ignore[no-untyped-def]
        for message in email_messages:
            if "zibo" in message.to[0]:
                raise OSError("550 mailbox unavailable")
            PickyBackend.accepted.extend(message.to)
        return len(email_messages)


def send(recipients, **kwargs):  # type: ignore[no-untyped-def]
    defaults = {"kind": "application.returned", "title": "申报被退回", "body": "请修改后重新提交。"}
    return notify(recipients=recipients, **{**defaults, "url": "/calls/1/", **kwargs})


class TestRows:
    def test_one_row_per_distinct_active_recipient(self, county_operator, city_operator, expert):
        expert.is_active = False
        expert.save(update_fields=["is_active"])
        rows = send([county_operator, city_operator, county_operator, None, expert])
        assert len(rows) == 2
        stored = Notification.objects.all()
        assert sorted(n.recipient.username for n in stored) == ["huantai_county", "zibo_city"]
        assert {(n.kind, n.title, n.body, n.url) for n in stored} == {
            ("application.returned", "申报被退回", "请修改后重新提交。", "/calls/1/")
        }
        assert all(n.read_at is None and n.emailed_at is None for n in stored)

    def test_no_recipients_writes_nothing(self, db, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks() as callbacks:
            assert send([]) == []
        assert not Notification.objects.exists()
        assert callbacks == []

    def test_accepts_a_queryset(self, county_operator, city_operator):
        from starcity.accounts.models import User

        send(User.objects.filter(pk__in=[county_operator.pk, city_operator.pk]))
        assert Notification.objects.count() == 2

    def test_link_outside_this_site_is_dropped(self, county_operator):
        (row,) = send([county_operator], url="https://evil.example/phish")
        row.refresh_from_db()
        assert row.url == ""

    def test_long_title_is_shortened_and_one_line(self, county_operator):
        (row,) = send([county_operator], title="长" * 150 + "\n" + "题" * 100)
        row.refresh_from_db()
        assert len(row.title) == 200
        assert row.title.endswith("…") and "\n" not in row.title

    def test_rows_roll_back_with_the_caller(
        self, county_operator, mailoutbox, django_capture_on_commit_callbacks
    ):
        capture = django_capture_on_commit_callbacks(execute=True)
        with capture as callbacks, suppress(RuntimeError), transaction.atomic():
            send([county_operator])
            raise RuntimeError("the transition failed")
        assert not Notification.objects.exists()
        assert callbacks == []
        assert mailoutbox == []


class TestEmail:
    def test_sent_only_after_commit(self, with_email, mailoutbox, django_capture_on_commit_callbacks):
        county, city = with_email
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            send([county, city])
            assert mailoutbox == []
        assert len(callbacks) == 1
        assert mailoutbox == []
        callbacks[0]()
        assert sorted(message.to[0] for message in mailoutbox) == ["huantai@example.cn", "zibo@example.cn"]
        assert all(n.emailed_at is not None for n in Notification.objects.all())

    def test_message_carries_title_body_and_absolute_link(
        self, with_email, settings, mailoutbox, django_capture_on_commit_callbacks
    ):
        settings.SITE_URL = "https://starcity.example.cn"
        county, _ = with_email
        with django_capture_on_commit_callbacks(execute=True):
            send([county])
        (message,) = mailoutbox
        assert message.subject == "申报被退回"
        assert message.to == ["huantai@example.cn"]
        assert "请修改后重新提交。" in message.body
        assert "https://starcity.example.cn/calls/1/" in message.body
        assert "请勿直接回复" in message.body

    def test_recipient_without_address_gets_the_row_only(
        self, with_email, expert, mailoutbox, django_capture_on_commit_callbacks
    ):
        county, _ = with_email
        with django_capture_on_commit_callbacks(execute=True):
            send([county, expert])
        assert [m.to for m in mailoutbox] == [["huantai@example.cn"]]
        assert Notification.objects.get(recipient=expert).emailed_at is None
        assert Notification.objects.get(recipient=county).emailed_at is not None

    def test_in_app_only_when_asked(self, with_email, mailoutbox, django_capture_on_commit_callbacks):
        county, _ = with_email
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            send([county], email=False)
        assert callbacks == [] and mailoutbox == []
        assert Notification.objects.get().emailed_at is None

    def test_unreachable_mail_server_breaks_nothing(
        self, with_email, settings, django_capture_on_commit_callbacks, caplog
    ):
        settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
        county, city = with_email
        with django_capture_on_commit_callbacks(execute=True):
            rows = send([county, city])
        assert len(rows) == 2
        assert Notification.objects.count() == 2
        assert not Notification.objects.filter(emailed_at__isnull=False).exists()
        assert "not sent" in caplog.text

    def test_one_refused_address_leaves_only_that_row_unmarked(
        self, with_email, settings, django_capture_on_commit_callbacks
    ):
        settings.EMAIL_BACKEND = f"{__name__}.PickyBackend"
        PickyBackend.accepted = []
        county, city = with_email
        with django_capture_on_commit_callbacks(execute=True):
            send([county, city])
        assert PickyBackend.accepted == ["huantai@example.cn"]
        assert Notification.objects.get(recipient=county).emailed_at is not None
        assert Notification.objects.get(recipient=city).emailed_at is None
