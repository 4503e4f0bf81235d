"""Writes of the campaign: plans, tasks, teams, assignments, visits, follow-ups, focus plans.

Every write validates through the model, saves and logs (core.actionlog) in one transaction.
Access is the caller's business (views fetch through core.access); rules that are about the
data itself — a task's federation must lie under the campaign's, a follow-up moves only
along its transition table — are checked here.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from shuangliang.core.actionlog import changes, log_action, snapshot
from shuangliang.core.images import clean_image
from shuangliang.core.months import add_months
from shuangliang.register import services as register_services
from shuangliang.register.models import FOCUS_TAGS, Enterprise, Federation

from .models import (
    Assignment,
    Campaign,
    FocusPlan,
    FocusTagChange,
    FollowUp,
    Phase,
    Target,
    Task,
    Visit,
    VisitPhoto,
    WorkTeam,
)
from .plan_templates import PLAN_TEMPLATES


class CampaignError(Exception):
    """A domain rule refused the write; the message is for the user."""


def _fields(model: type[Model]) -> list[str]:
    return [
        f.attname if f.is_relation else f.name
        for f in model._meta.concrete_fields
        if f.editable and not f.primary_key and not getattr(f, "auto_now_add", False)
        if not getattr(f, "auto_now", False)
    ]


def _create(model: type[Model], *, actor, data: dict, action: str) -> Model:
    obj = model(**data)
    obj.full_clean()
    obj.save()
    log_action(obj, action, actor=actor, data={"created": snapshot(obj, _fields(model))})
    return obj


def _update(obj: Model, *, actor, data: dict, action: str) -> Model:
    fields = _fields(type(obj))
    # The stored row, not `obj`: a ModelForm's validation has already written into it.
    before = snapshot(type(obj)._default_manager.get(pk=obj.pk), fields)
    for name, value in data.items():
        setattr(obj, name, value)
    obj.full_clean()
    diff = changes(before, snapshot(obj, fields))
    if diff:
        obj.save(update_fields=sorted(diff))
        log_action(obj, action, actor=actor, data={"changes": diff})
    return obj


def _month_start(starts_on: datetime.date, month: int) -> datetime.date:
    return add_months(starts_on, month - 1)


def _month_end(starts_on: datetime.date, month: int) -> datetime.date:
    return add_months(starts_on, month) - datetime.timedelta(days=1)


# --- the plan -------------------------------------------------------------------------------


@transaction.atomic
def campaign_instantiate(
    *,
    actor,
    federation: Federation,
    template_code: str,
    starts_on: datetime.date,
    name: str = "",
    language: str | None = None,
) -> Campaign:
    """Copy a plan template into a federation's own campaign from `starts_on`: phases, stages,
    tasks and targets dated by month. The copy's texts are written in `language` (default:
    the active one) and may be edited freely afterwards."""
    template = PLAN_TEMPLATES.get(template_code)
    if template is None:
        raise CampaignError(_("There is no such plan template."))
    with translation.override(language or translation.get_language()):
        campaign = _create(
            Campaign,
            actor=actor,
            data={
                "federation": federation,
                "name": name or str(template.name),
                "description": str(template.description),
                "starts_on": starts_on,
                "ends_on": _month_end(starts_on, template.months),
            },
            action="campaign.campaign.created",
        )
        campaign.template_code = template.code
        campaign.save(update_fields=["template_code"])
        stages = []
        for order, phase_template in enumerate(template.phases):
            phase = Phase.objects.create(
                campaign=campaign,
                name=str(phase_template.name),
                order=order,
                starts_on=_month_start(starts_on, phase_template.first_month),
                ends_on=_month_end(starts_on, phase_template.last_month),
            )
            for stage_order, stage in enumerate(phase_template.stages):
                stages.append(
                    Phase.objects.create(
                        campaign=campaign,
                        parent=phase,
                        name=str(stage.name),
                        order=stage_order,
                        goal=str(stage.goal),
                        starts_on=_month_start(starts_on, stage.first_month),
                        ends_on=_month_end(starts_on, stage.last_month),
                    )
                )
        Task.objects.bulk_create(
            Task(
                campaign=campaign,
                phase=stages[task.stage],
                federation=federation,
                title=str(task.title),
                due_on=_month_end(starts_on, task.due_month),
            )
            for task in template.tasks
        )
        Target.objects.bulk_create(
            Target(
                campaign=campaign,
                metric=target.metric,
                percent=target.percent,
                due_on=_month_end(starts_on, target.due_month),
            )
            for target in template.targets
        )
    log_action(
        campaign,
        "campaign.campaign.instantiated",
        actor=actor,
        data={"template": template.code, "starts_on": starts_on.isoformat()},
    )
    return campaign


@transaction.atomic
def campaign_update(*, actor, campaign: Campaign, data: dict) -> Campaign:
    """Rename or re-date the campaign; phases and tasks keep their own dates."""
    return _update(campaign, actor=actor, data=data, action="campaign.campaign.changed")


@transaction.atomic
def phase_update(*, actor, phase: Phase, data: dict) -> Phase:
    """Adjust a phase or stage; it must stay within the campaign's period."""
    phase = _update(phase, actor=actor, data=data, action="campaign.phase.changed")
    campaign = phase.campaign
    if phase.starts_on < campaign.starts_on or phase.ends_on > campaign.ends_on:
        raise CampaignError(_("A phase must lie within the campaign's period."))
    return phase


@transaction.atomic
def target_save(*, actor, campaign: Campaign, data: dict, target: Target | None = None) -> Target:
    """Add a target to the campaign or change one."""
    if target is None:
        return _create(
            Target, actor=actor, data={**data, "campaign": campaign}, action="campaign.target.added"
        )
    return _update(target, actor=actor, data=data, action="campaign.target.changed")


@transaction.atomic
def target_delete(*, actor, target: Target) -> None:
    log_action(target, "campaign.target.deleted", actor=actor, data={"deleted": str(target)})
    target.delete()


def _check_task_federation(campaign: Campaign, federation: Federation) -> None:
    if not federation.path.startswith(campaign.federation.path):
        raise CampaignError(
            _("A task belongs to the campaign's federation or to a federation under it.")
        )


@transaction.atomic
def task_create(*, actor, campaign: Campaign, data: dict) -> Task:
    """Add a task; a lower federation adds its own tasks to a higher federation's campaign."""
    _check_task_federation(campaign, data["federation"])
    phase = data.get("phase")
    if phase is not None and phase.campaign_id != campaign.pk:
        raise CampaignError(_("The phase belongs to another campaign."))
    return _create(
        Task, actor=actor, data={**data, "campaign": campaign}, action="campaign.task.added"
    )


@transaction.atomic
def task_update(*, actor, task: Task, data: dict) -> Task:
    if "federation" in data:
        _check_task_federation(task.campaign, data["federation"])
    return _update(task, actor=actor, data=data, action="campaign.task.changed")


@transaction.atomic
def task_set_done(*, actor, task: Task, done: bool) -> Task:
    """Mark a task done today (or open it again)."""
    task = Task.objects.select_for_update().get(pk=task.pk)
    if done == task.is_done:
        return task
    task.done_on = timezone.localdate() if done else None
    task.done_by = actor if done else None
    task.save(update_fields=["done_on", "done_by"])
    log_action(task, "campaign.task.done" if done else "campaign.task.reopened", actor=actor)
    return task


# --- teams and assignments ------------------------------------------------------------------


@transaction.atomic
def work_team_save(*, actor, data: dict, members, team: WorkTeam | None = None) -> WorkTeam:
    """Create or change a work team and set its members."""
    if team is None:
        team = _create(WorkTeam, actor=actor, data=data, action="campaign.work_team.created")
    else:
        team = _update(team, actor=actor, data=data, action="campaign.work_team.changed")
    before = set(team.members.values_list("pk", flat=True))
    after = {member.pk for member in members}
    if before != after:
        team.members.set(members)
        log_action(
            team,
            "campaign.work_team.members_changed",
            actor=actor,
            data={"added": sorted(after - before), "removed": sorted(before - after)},
        )
    return team


@transaction.atomic
def assignment_save(*, actor, data: dict, assignment: Assignment | None = None) -> Assignment:
    """Assign a cadre to an enterprise (掛點) for a period, or change the assignment."""
    team = data.get("team")
    enterprise = data.get("enterprise") or assignment.enterprise
    if team is not None and not enterprise.federation.path.startswith(team.federation.path):
        raise CampaignError(_("The work team's federation does not cover this enterprise."))
    if assignment is None:
        return _create(Assignment, actor=actor, data=data, action="campaign.assignment.created")
    return _update(assignment, actor=actor, data=data, action="campaign.assignment.changed")


@transaction.atomic
def assignment_end(*, actor, assignment: Assignment, on: datetime.date) -> Assignment:
    """End an assignment on a day (not before it started)."""
    if on < assignment.starts_on:
        raise CampaignError(_("The assignment cannot end before it starts."))
    return _update(
        assignment, actor=actor, data={"ends_on": on}, action="campaign.assignment.ended"
    )


# --- visits and follow-ups ------------------------------------------------------------------


def visit_log(
    *, actor, enterprise: Enterprise, data: dict, follow_ups: list[dict], photos=()
) -> Visit:
    """Record a visit with its follow-ups and photos. Photos are cleaned first (outside the
    transaction: decoding takes a while and SQLite holds its write lock from BEGIN); a refused
    photo raises ValidationError and nothing is written."""
    cleaned = [clean_image(photo) for photo in photos]
    if data.get("visited_on") and data["visited_on"] > timezone.localdate():
        raise CampaignError(_("A visit cannot be dated in the future."))
    with transaction.atomic():
        visit = _create(
            Visit,
            actor=actor,
            data={**data, "enterprise": enterprise, "visitor": actor},
            action="campaign.visit.logged",
        )
        for follow_up in follow_ups:
            _follow_up_create(actor=actor, visit=visit, data=follow_up)
        for content in cleaned:
            photo = VisitPhoto(visit=visit)
            photo.image.save(content.name, content, save=False)
            photo.save()
        if cleaned:
            log_action(
                visit, "campaign.visit.photos_added", actor=actor, data={"count": len(cleaned)}
            )
    return visit


def _follow_up_create(*, actor, visit: Visit, data: dict) -> FollowUp:
    return _create(
        FollowUp, actor=actor, data={**data, "visit": visit}, action="campaign.follow_up.opened"
    )


@transaction.atomic
def follow_up_add(*, actor, visit: Visit, data: dict) -> FollowUp:
    """Add a follow-up to an earlier visit."""
    return _follow_up_create(actor=actor, visit=visit, data=data)


# The follow-up's lifecycle: which state may move to which.
FOLLOW_UP_TRANSITIONS = {
    FollowUp.State.OPEN: {FollowUp.State.CLOSED},
    FollowUp.State.CLOSED: {FollowUp.State.OPEN},
}


@transaction.atomic
def follow_up_transition(*, actor, follow_up: FollowUp, to: str, outcome: str = "") -> FollowUp:
    """Close a follow-up with its outcome, or reopen it; any other move is refused."""
    follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    if to not in FOLLOW_UP_TRANSITIONS[follow_up.state]:
        raise CampaignError(_("This follow-up cannot make that move."))
    if to == FollowUp.State.CLOSED and not outcome.strip():
        raise CampaignError(_("Say what came of it before closing the follow-up."))
    previous = follow_up.state
    follow_up.state = to
    if to == FollowUp.State.CLOSED:
        follow_up.closed_on = timezone.localdate()
        follow_up.outcome = outcome.strip()
    else:
        follow_up.closed_on = None
    follow_up.save(update_fields=["state", "closed_on", "outcome"])
    log_action(
        follow_up,
        f"campaign.follow_up.{to}",
        actor=actor,
        data={"from": previous, "to": to, "outcome": follow_up.outcome},
    )
    return follow_up


# --- focus enterprises ----------------------------------------------------------------------


@transaction.atomic
def focus_plan_save(*, actor, enterprise: Enterprise, data: dict) -> FocusPlan:
    """Create or change the plan of a focus enterprise."""
    plan = FocusPlan.objects.filter(enterprise=enterprise).first()
    if plan is None:
        return _create(
            FocusPlan,
            actor=actor,
            data={**data, "enterprise": enterprise},
            action="campaign.focus_plan.created",
        )
    return _update(plan, actor=actor, data=data, action="campaign.focus_plan.changed")


@transaction.atomic
def focus_tag_change(
    *, actor, enterprise: Enterprise, tag: str, added: bool, on: datetime.date, reason: str
) -> FocusTagChange:
    """Put a focus tag on an enterprise or take it off, recording the date and the reason.
    The enterprise's own flag changes through the register's service (and its log)."""
    if tag not in FOCUS_TAGS:
        raise CampaignError(_("There is no such focus tag."))
    if getattr(enterprise, tag) == added:
        raise CampaignError(
            _("The enterprise already has this tag.")
            if added
            else _("The enterprise does not have this tag.")
        )
    if on > timezone.localdate():
        raise CampaignError(_("The change cannot be dated in the future."))
    register_services.enterprise_update(actor=actor, enterprise=enterprise, data={tag: added})
    try:
        return _create(
            FocusTagChange,
            actor=actor,
            data={
                "enterprise": enterprise,
                "tag": tag,
                "added": added,
                "changed_on": on,
                "reason": reason.strip(),
                "actor": actor if getattr(actor, "is_authenticated", False) else None,
            },
            action="campaign.focus_tag.added" if added else "campaign.focus_tag.removed",
        )
    except ValidationError as error:
        raise CampaignError(" ".join(error.messages))
