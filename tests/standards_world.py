"""Standards and inspections of the test world (issue 5), all in county C1 so county C2 is an
outsider to every object:

- `standard1`: C1's 九有 standard, version 1 published (`version1`), version 2 in draft with
  `item_draft` (the draft's first item: the item routes edit only drafts);
- `round1`: C1's spot check under version 1 with `inspection1`, U1's draft assigned to the
  cadre, holding an answer with `evidence1` (a name only: the photo route answers with a
  placeholder);
- `selfcheck1`: U1's self-check in draft;
- `inspection_done`: a supervisory check of U1, submitted, that failed the first item and so
  opened `rectification1` (open, U1's).
"""

from django.utils import timezone

from shuangliang.standards import services
from shuangliang.standards.models import Answer, Evidence, Inspection, Item


def _answer_all(inspection: Inspection, *, failing: int = 0) -> None:
    """Answer every item: the first `failing` items fail, the rest earn full points."""
    for n, item in enumerate(Item.objects.filter(version=inspection.version).order_by("pk")):
        passed = n >= failing
        fields = {"inspection": inspection, "item": item}
        if item.judgement == Item.Judgement.YES_NO:
            fields["yes"] = passed
        elif item.judgement == Item.Judgement.SCALE:
            fields["level"] = item.scale_max if passed else 0
        else:
            fields["number"] = (item.threshold or 0) + (1 if passed else -1)
        Answer.objects.create(**fields)


def standards_world_objects(*, c1, u1, users) -> dict:
    county = users["county_c1"]
    standard1 = services.standard_from_template(actor=county, federation=c1, code="nine_haves")
    version1 = services.standard_publish(actor=county, standard=standard1)
    draft = services.standard_draft(actor=county, standard=standard1)
    item_draft = draft.items.order_by("pk").first()
    year = timezone.localdate().year
    round1 = services.round_create(
        actor=county,
        federation=c1,
        kind="spot",
        name="甲县年度抽查",
        version=version1,
        year=year,
        due_on=None,
        seed="world",
        params={"mode": "number", "value": 1, "weight": "none"},
    )
    inspection1 = round1.inspections.get()
    if inspection1.union_id != u1.pk:  # the draw took U2: make it U1's, as the cast expects
        inspection1.union = u1
        inspection1.save(update_fields=["union"])
    services.inspection_assign(actor=county, inspection=inspection1, inspector=users["cadre"])
    first = version1.items.order_by("pk").first()
    answer = Answer.objects.create(inspection=inspection1, item=first, yes=True)
    evidence1 = Evidence.objects.create(answer=answer, photo="standards/evidence/world.jpg")
    selfcheck1 = services.self_check_start(actor=users["chair_u1"], union=u1, version=version1)
    inspection_done = Inspection.objects.create(
        kind=Inspection.Kind.SUPERVISORY, union=u1, version=version1, year=year
    )
    _answer_all(inspection_done, failing=1)
    services.inspection_submit(actor=county, inspection=inspection_done)
    rectification1 = inspection_done.rectifications.get()
    return {
        "standard1": standard1,
        "version1": version1,
        "item_draft": item_draft,
        "round1": round1,
        "inspection1": inspection1,
        "evidence1": evidence1,
        "selfcheck1": selfcheck1,
        "inspection_done": inspection_done,
        "rectification1": rectification1,
    }
