"""The steps the demo applicants, cities, the province and the experts take, each through the
real services at its own moment (see `timeline.replayed_at`)."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from starcity.accounts.models import User
from starcity.calls.choices import MaterialKind
from starcity.calls.models import Application, Call
from starcity.demo import values as demo_values
from starcity.demo.documents import report_file
from starcity.demo.seed import made_assessment
from starcity.demo.timeline import replayed_at
from starcity.regions.models import Region
from starcity.reviews.models import Panel, PanelMember

Task = tuple[str, str, str]  # title, description, domain


@dataclass(frozen=True)
class Applicant:
    """A demo applicant: its region, the operator who prepares it, what it applies for."""

    region_code: str
    operator: str  # username of the county operator, or of the city operator for a city
    target: int
    direction: str
    tasks: tuple[Task, ...]
    contact: tuple[str, str, str]  # name, phone, e-mail
    report_number: str  # the request's document number, {year} filled in

    @property
    def region(self) -> Region:
        return Region.objects.select_related("parent__parent").get(code=self.region_code)

    @property
    def user(self) -> User:
        return User.objects.get(username=self.operator)


def user(username: str) -> User:
    return User.objects.get(username=username)


def assessment(applicant: Applicant, *, grade: int, seed: int, at: datetime) -> Any:
    """A submitted self-assessment of the applicant at `grade`, made at `at`."""
    with replayed_at(at):
        return made_assessment(
            region=applicant.region, author=applicant.user, grade=grade, seed=seed, submit=True
        )


def start(call: Call, applicant: Applicant, *, at: datetime) -> Application:
    """The applicant starts its application to `call`."""
    from starcity.calls.services import application_create

    with replayed_at(at):
        return application_create(by=applicant.user, call=call, region=applicant.region)


def fill(
    application: Application,
    applicant: Applicant,
    *,
    at: datetime,
    self_assessment: Any = None,
    tasks: bool = True,
    report: bool = True,
) -> Application:
    """The applicant fills its application: target grade, self-assessment, breakthrough
    direction, contacts, then the draft task book and the application report."""
    from starcity.calls.services import application_save_tasks, application_update, material_attach

    by = applicant.user
    name, phone, email = applicant.contact
    with replayed_at(at):
        application = application_update(
            by=by,
            application=application,
            target_grade=applicant.target,
            self_assessment=self_assessment,
            breakthrough_direction=applicant.direction,
            contact_name=name,
            contact_phone=phone,
            contact_email=email,
        )
        if tasks:
            rows = [{"title": t, "description": d, "domain": domain} for t, d, domain in applicant.tasks]
            application = application_save_tasks(by=by, application=application, tasks=rows)
        if report:
            year = application.call.year
            material_attach(
                by=by,
                application=application,
                kind=MaterialKind.REPORT,
                file=report_file(
                    region=applicant.region,
                    year=year,
                    target=_grade_name(application, applicant.target),
                    number=applicant.report_number.format(year=year),
                    issued_on=at.date(),
                ),
            )
    return application


def _grade_name(application: Application, grade: int) -> str:
    from starcity.calls.completeness import grade_name
    from starcity.calls.selectors import call_level

    pinned = call_level(application.call, application.level)
    return grade_name(pinned.standard_version if pinned else None, grade)


def send_to_city(application: Application, applicant: Applicant, *, at: datetime) -> Application:
    from starcity.calls.services import application_send_to_city

    with replayed_at(at):
        return application_send_to_city(by=applicant.user, application=application)


def city_approve(application: Application, city_operator: str, *, at: datetime) -> Application:
    from starcity.calls.services import application_city_approve

    with replayed_at(at):
        return application_city_approve(by=user(city_operator), application=application)


def bundle(call: Call, city_operator: str, city_code: str, *, at: datetime) -> list[Application]:
    """The city submits every approved application of the call (统一提交)."""
    from starcity.calls.services import bundle_submit

    with replayed_at(at):
        result = bundle_submit(by=user(city_operator), call=call, city=Region.objects.get(code=city_code))
    if result.refused:
        raise RuntimeError(f"demo bundle refused: {[reason for _app, reason in result.refused]}")
    return result.submitted


def accept(application: Application, *, by: User, at: datetime) -> Application:
    from starcity.calls.services import application_accept

    with replayed_at(at):
        return application_accept(by=by, application=application)


# ---------------------------------------------------------------- panels


def members(panel: Panel) -> list[PanelMember]:
    """The panel's members (not substitutes) in draw order."""
    rows = PanelMember.objects.filter(panel=panel, role="member").select_related("expert__user")
    return list(rows.order_by("position"))


def member_accepts(member: PanelMember, *, at: datetime) -> None:
    from starcity.reviews.services import member_accept

    with replayed_at(at):
        member_accept(by=member.expert.user, member=member, declaration=True)


def member_declines(member: PanelMember, reason: str, *, at: datetime) -> PanelMember | None:
    """The member declines; returns the substitute invited in their place."""
    from starcity.reviews.services import member_decline

    with replayed_at(at):
        _declined, successor = member_decline(by=member.expert.user, member=member, reason=reason)
    return successor


def scorecard(
    member: PanelMember,
    *,
    grades: dict[str, int],
    base: int,
    at: datetime,
    submit: bool = True,
    only: int | None = None,
    override: dict[str, int] | None = None,
) -> None:
    """The member scores the application: their reading of the panel's profile `grades` (never
    below `base`), a few comments; `only` scores just the first indicators (work in progress);
    `override` sets some indicators' grades (a disagreement). Saved, then submitted."""
    from starcity.reviews.conclusion import pinned_standard
    from starcity.reviews.services import scorecard_save, scorecard_submit

    standard = pinned_standard(member.panel)
    seed = member.panel.application_id * 100 + member.expert_id
    read = demo_values.expert_grades(grades, base, seed=seed) | (override or {})
    values = demo_values.values_of(standard, read, seed=seed)
    if only is not None:
        values = dict(list(values.items())[:only])
    comments = {
        code: text
        for code, text in demo_values.comments_for(standard, seed=seed).items()
        if only is None or code in values
    }
    with replayed_at(at):
        scorecard_save(
            by=member.expert.user, member=member, standard=standard, values=values, comments=comments
        )
        if submit:
            scorecard_submit(by=member.expert.user, member=member, standard=standard)


def panel_profile(panel: Panel, base: int, lift: float = 0.3) -> dict[str, int]:
    """The grades the panel's experts see in the application: `base`, about `lift` of the
    indicators one higher."""
    from starcity.reviews.conclusion import pinned_standard

    return demo_values.profile(pinned_standard(panel), base, seed=panel.application_id, lift=lift)


def draw_seed(call: Call, wanted: dict[int, int], *, prefix: str) -> str:
    """The first seed `prefix-N` whose draw of every application of the call waiting for a panel
    puts, for each application id in `wanted`, that expert id among the members (the office may
    give the draw any seed; the demo picks one that gives its expert work). Pure: nothing is
    written; the draw itself then runs with this seed."""
    from starcity.reviews.selectors import applications_to_draw
    from starcity.reviews.services.draw import add_conflicts, load_pool, plan_for

    applications = list(applications_to_draw(call))
    for number in range(500):
        seed = f"{prefix}-{number}"
        pool = load_pool(call)
        add_conflicts(pool, applications)
        chosen = {
            application.pk: {
                c.pk
                for c in plan_for(
                    application, pool=pool, size=call.panel_size, substitutes=call.substitutes, seed=seed
                ).drawn.members
            }
            for application in applications
        }
        if all(expert in chosen.get(app, set()) for app, expert in wanted.items()):
            return seed
    raise RuntimeError("no demo draw seed gives the demo expert the panels it needs")


def read_notifications(recipients: Any, *, at: datetime) -> None:
    """The recipients read every notification they had received by `at` (at that moment)."""
    from starcity.notifications.models import Notification
    from starcity.notifications.services import notification_mark_read

    unread = Notification.objects.filter(
        recipient__in=recipients, read_at__isnull=True, created_at__lte=at
    ).select_related("recipient")
    with replayed_at(at):
        for notification in unread:
            notification_mark_read(by=notification.recipient, notification=notification)
