"""Writes of notices and model units; every one is checked, saved and logged in one transaction.

A notice moves draft → in review → approved → published (TRANSITIONS), or back from review
to draft; `notice_transition` is the only function that moves it. Publishing gives it the
federation's next document number of the year and puts it in the inbox of every union it
names. A designation moves proposed → approved or refused, through `designation_decide`.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shuangliang.core.actionlog import changes, log_action, snapshot
from shuangliang.register.models import Federation, Union

from . import results
from .models import Designation, Notice, NoticeDelivery, NoticeSequence
from .ranking import rank
from .selectors import designation_can_decide, notice_can_review, unions_proposable

State = Notice.State


class NoticeError(Exception):
    """A rule refused the action; the message is for the user."""


# Model units -------------------------------------------------------------------------------


def designation_propose(*, actor, union: Union, year: int, reason: str) -> Designation:
    """A township's staff propose one of its unions as a model unit for the year."""
    if not unions_proposable(user=actor).filter(pk=union.pk).exists():
        raise NoticeError(_("Only the staff of the union's township may propose it."))
    with transaction.atomic():
        if (
            Designation.objects.filter(union=union, year=year)
            .exclude(state=Designation.State.REFUSED)
            .exists()
        ):
            raise NoticeError(
                _("This union is already proposed or approved as a model unit for that year.")
            )
        designation = Designation.objects.create(
            union=union, year=year, reason=reason.strip(), proposed_by=actor
        )
        log_action(designation, "notices.designation.proposed", actor=actor, data={"year": year})
    return designation


def designation_decide(
    *, actor, designation: Designation, approve: bool, reason: str = ""
) -> Designation:
    """The county approves or refuses a proposal; a refusal says why."""
    if not designation_can_decide(user=actor, designation=designation):
        raise NoticeError(_("Only a federation above the union's township may decide."))
    reason = reason.strip()
    if not approve and not reason:
        raise NoticeError(_("Say why the proposal is refused."))
    with transaction.atomic():
        designation = Designation.objects.select_for_update().get(pk=designation.pk)
        if designation.state != Designation.State.PROPOSED:
            raise NoticeError(_("This proposal has already been decided."))
        designation.state = Designation.State.APPROVED if approve else Designation.State.REFUSED
        designation.decision_reason = reason
        designation.decided_by = actor
        designation.decided_at = timezone.now()
        designation.save(update_fields=["state", "decision_reason", "decided_by", "decided_at"])
        action = "approved" if approve else "refused"
        log_action(
            designation,
            f"notices.designation.{action}",
            actor=actor,
            data={"year": designation.year, "reason": reason},
        )
    return designation


# Notices -----------------------------------------------------------------------------------


def default_number_prefix(federation: Federation) -> str:
    """甲县总工会 → 甲县工通: the organ's short name and 工通 (a union's notice)."""
    short = federation.name.replace("总工会", "").replace("總工會", "")
    short = short.replace("工会", "").replace("工會", "")
    return f"{short}工通"[:20]


def notice_content(*, federation: Federation, year: int, standard, user=None) -> dict:
    """The figures and the two tables of a notice, computed from the standards' results:
    units graded model are commended, units below qualified are to improve, each table in
    ranking order (ranking.py)."""

    def row(ranked) -> dict:
        result = ranked.result
        return {
            "union_id": result.union_id,
            "name": result.name,
            "township": result.township,
            "score": str(result.score),
            "grade": result.grade,
        }

    ranked = rank(
        results.union_results(federation=federation, year=year, standard=standard, user=user)
    )
    return {
        "figures": results.results_figures(
            federation=federation, year=year, standard=standard, user=user
        ),
        "commended": [row(r) for r in ranked if r.result.grade == "model"],
        "to_improve": [row(r) for r in ranked if not results.is_passing(r.result.grade)],
    }


def notice_create(
    *,
    actor,
    federation: Federation,
    title: str,
    year: int,
    standard=None,
    content: dict | None = None,
) -> Notice:
    """A draft notice of the federation about the year's results. `content` (figures,
    commended, to_improve) is computed from the standards' results when not given."""
    if content is None:
        standard = standard or results.default_standard(federation=federation)
        content = notice_content(federation=federation, year=year, standard=standard, user=actor)
    with transaction.atomic():
        notice = Notice.objects.create(
            federation=federation,
            title=title.strip(),
            year=year,
            standard=standard,
            number_prefix=default_number_prefix(federation),
            figures=content.get("figures", {}),
            commended=content.get("commended", []),
            to_improve=content.get("to_improve", []),
            prepared_by=actor,
        )
        log_action(
            notice, "notices.notice.drafted", actor=actor, data={"year": year, "title": title}
        )
    return notice


def _require_draft(notice: Notice) -> None:
    if notice.state != State.DRAFT:
        raise NoticeError(_("Only a draft can be changed; return it to draft first."))


EDITABLE_FIELDS = ["title", "number_prefix", "free_text"]


def notice_update(*, actor, notice: Notice, **values) -> Notice:
    """Change a draft's title, number prefix and free text."""
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {sorted(unknown)}")
    with transaction.atomic():
        notice = Notice.objects.select_for_update().select_related("federation").get(pk=notice.pk)
        _require_draft(notice)
        before = snapshot(notice, values)
        for name, value in values.items():
            setattr(notice, name, value)
        notice.full_clean(exclude=["standard", "federation", "prepared_by", "reviewed_by"])
        notice.save(update_fields=[*values, "updated_at"])
        log_action(
            notice,
            "notices.notice.edited",
            actor=actor,
            data={"changes": changes(before, snapshot(notice, values))},
        )
    return notice


def notice_refresh(*, actor, notice: Notice) -> Notice:
    """Recompute a draft's figures and tables from the results as they stand now."""
    content = notice_content(
        federation=notice.federation, year=notice.year, standard=notice.standard, user=actor
    )
    with transaction.atomic():
        notice = Notice.objects.select_for_update().select_related("federation").get(pk=notice.pk)
        _require_draft(notice)
        notice.figures = content["figures"]
        notice.commended = content["commended"]
        notice.to_improve = content["to_improve"]
        notice.save(update_fields=["figures", "commended", "to_improve", "updated_at"])
        log_action(notice, "notices.notice.refreshed", actor=actor, data=content["figures"])
    return notice


# action → (from states, to state)
TRANSITIONS: dict[str, tuple[set[str], str]] = {
    "submit": ({State.DRAFT}, State.IN_REVIEW),
    "return": ({State.IN_REVIEW, State.APPROVED}, State.DRAFT),
    "approve": ({State.IN_REVIEW}, State.APPROVED),
    "publish": ({State.APPROVED}, State.PUBLISHED),
}
REVIEW_ACTIONS = {"return", "approve"}


def _next_number(federation: Federation, year: int) -> int:
    sequence, _created = NoticeSequence.objects.select_for_update().get_or_create(
        federation=federation, year=year
    )
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return sequence.last_number


def _deliver(notice: Notice) -> int:
    """Put the notice in the inbox of each union it names (that still exists)."""
    commended = {row["union_id"] for row in notice.commended}
    named = commended | {row["union_id"] for row in notice.to_improve}
    existing = Union.objects.filter(pk__in=named).values_list("pk", flat=True)
    rows = [
        NoticeDelivery(notice=notice, union_id=pk, commended=pk in commended) for pk in existing
    ]
    NoticeDelivery.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def notice_transition(*, actor, notice: Notice, action: str, comment: str = "") -> Notice:
    """Move the notice by `action` (submit, return, approve, publish) if the table allows it
    and the actor may: staff submit and publish, a second person (staff or a leader)
    returns or approves."""
    if action not in TRANSITIONS:
        raise NoticeError(_("Unknown action."))
    sources, target = TRANSITIONS[action]
    with transaction.atomic():
        notice = Notice.objects.select_for_update().select_related("federation").get(pk=notice.pk)
        if notice.state not in sources:
            raise NoticeError(
                _("A notice that is “%(state)s” cannot be moved that way.")
                % {"state": State(notice.state).label}
            )
        if action in REVIEW_ACTIONS and not notice_can_review(user=actor, notice=notice):
            raise NoticeError(
                _("A notice is reviewed by another member of staff or a leader, not its author.")
            )
        before = notice.state
        notice.state = target
        fields = ["state", "updated_at"]
        data: dict = {"from": before, "to": target}
        if action in REVIEW_ACTIONS:
            notice.reviewed_by = actor
            notice.review_comment = comment.strip()[:500]
            fields += ["reviewed_by", "review_comment"]
            data["comment"] = notice.review_comment
        if action == "publish":
            today = timezone.localdate()
            notice.issued_on = today
            notice.number_year = today.year
            notice.number = _next_number(notice.federation, today.year)
            notice.published_at = timezone.now()
            fields += ["issued_on", "number_year", "number", "published_at"]
            data["document_number"] = notice.document_number
        notice.save(update_fields=fields)
        if action == "publish":
            data["delivered_to"] = _deliver(notice)
        log_action(notice, f"notices.notice.{action}", actor=actor, data=data)
    return notice


def inbox_mark_read(*, actor, deliveries) -> int:
    """Mark the user's unread inbox entries read, one log entry each."""
    with transaction.atomic():
        unread = list(deliveries.filter(read_at__isnull=True).select_related("notice"))
        now = timezone.now()
        for delivery in unread:
            delivery.read_at = now
        NoticeDelivery.objects.bulk_update(unread, ["read_at"])
        for delivery in unread:
            log_action(delivery, "notices.delivery.read", actor=actor)
    return len(unread)
