"""Cadre pages: the list of officers, appointing and ending terms, people, the register view."""

from django.contrib import messages
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from shuangliang.core.access import can, get_visible_or_404, visible
from shuangliang.core.actionlog import history_for, log_action
from shuangliang.register import services
from shuangliang.register.models import Officer, Person, Union
from shuangliang.register.selectors import federations_for_filter, in_subtree, search_q
from shuangliang.register.selectors import officer_list as select_officers

from ..filters import OfficerFilterForm
from ..forms import OfficerEndForm, OfficerForm, PersonForm
from .common import paginate, paginate_keys_first, post_data, require_any_scope


def officer_list(request: HttpRequest) -> HttpResponse:
    require_any_scope(request)
    federations = federations_for_filter(user=request.user).filter(depth__gte=1).only("name")
    form = OfficerFilterForm(request.GET or None, federations=federations)
    page = paginate_keys_first(request, select_officers(user=request.user, **form.to_kwargs()))
    return render(request, "backoffice/officer_list.html", {"form": form, "page": page})


@require_http_methods(["GET", "POST"])
def officer_appoint(request: HttpRequest, pk: int) -> HttpResponse:
    """Appoint a cadre: a new person, or (with ?person=) someone already in the register."""
    union = get_visible_or_404(Union.objects.all(), request.user, "change", pk=pk)
    existing = None
    if request.GET.get("person"):
        existing = get_visible_or_404(Person.objects.all(), request.user, pk=request.GET["person"])
    data = post_data(request)
    person_form = None if existing else PersonForm(data, prefix="person")
    officer_form = OfficerForm(data, prefix="officer", initial={"term_start": timezone.localdate()})
    forms_valid = officer_form.is_valid() and (person_form is None or person_form.is_valid())
    if data is not None and forms_valid:
        with transaction.atomic():
            person = existing or services.person_create(
                actor=request.user, data=person_form.cleaned_data
            )
            officer = services.officer_appoint(
                actor=request.user, union=union, person=person, data=officer_form.cleaned_data
            )
        messages.success(
            request,
            _("%(name)s was appointed as %(position)s.")
            % {"name": person.name, "position": officer.get_position_display()},
        )
        return redirect("backoffice:union_detail", pk=union.pk)
    return render(
        request,
        "backoffice/officer_appoint.html",
        {
            "union": union,
            "person_form": person_form,
            "officer_form": officer_form,
            "existing": existing,
        },
    )


@require_http_methods(["GET", "POST"])
def officer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    officer = get_visible_or_404(
        Officer.objects.select_related("person", "union"), request.user, "change", pk=pk
    )
    form = OfficerForm(post_data(request), instance=officer)
    if form.is_valid():
        services.officer_update(actor=request.user, officer=officer, data=form.cleaned_data)
        messages.success(request, _("The changes were saved."))
        return redirect("backoffice:union_detail", pk=officer.union_id)
    return render(
        request,
        "backoffice/form.html",
        {
            "form": form,
            "title": _("Edit the term of %(name)s") % {"name": officer.person.name},
            "object": officer.union,
        },
    )


@require_http_methods(["GET", "POST"])
def officer_end(request: HttpRequest, pk: int) -> HttpResponse:
    officer = get_visible_or_404(
        Officer.objects.select_related("person", "union"), request.user, "change", pk=pk
    )
    if officer.status != Officer.Status.ACTIVE:
        messages.info(request, _("This cadre has already left office."))
        return redirect("backoffice:union_detail", pk=officer.union_id)
    form = OfficerEndForm(post_data(request), initial={"ended_on": timezone.localdate()})
    if form.is_valid():
        services.officer_end(actor=request.user, officer=officer, **form.cleaned_data)
        messages.success(
            request, _("The term of %(name)s was ended.") % {"name": officer.person.name}
        )
        return redirect("backoffice:union_detail", pk=officer.union_id)
    return render(
        request,
        "backoffice/form.html",
        {
            "form": form,
            "title": _("End the term of %(name)s") % {"name": officer.person.name},
            "object": officer.union,
            "danger": True,
        },
    )


@require_POST
def officer_register(request: HttpRequest, pk: int) -> HttpResponse:
    officer = get_visible_or_404(
        Officer.objects.select_related("person"), request.user, "change", pk=pk
    )
    services.officer_register(actor=request.user, officer=officer)
    messages.success(
        request, _("%(name)s is now entered in the register.") % {"name": officer.person.name}
    )
    return redirect("backoffice:union_detail", pk=officer.union_id)


def _person_context(request: HttpRequest, person: Person, *, unmasked: bool) -> dict:
    terms = (
        visible(Officer.objects.filter(person=person), request.user)
        .select_related("union", "union__federation")
        .order_by("-term_start")
    )
    return {
        "person": person,
        "terms": terms,
        "history": history_for(person)[:50],
        "can_change": can(request.user, "change", person),
        "unmasked": unmasked,
    }


def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_visible_or_404(Person.objects.all(), request.user, pk=pk)
    return render(
        request, "backoffice/person_detail.html", _person_context(request, person, unmasked=False)
    )


@require_POST
def person_unmask(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the full phone numbers to a user who may change the person; the view is logged."""
    person = get_visible_or_404(Person.objects.all(), request.user, "change", pk=pk)
    log_action(person, "register.person.unmasked", actor=request.user)
    return render(
        request, "backoffice/person_detail.html", _person_context(request, person, unmasked=True)
    )


@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_visible_or_404(Person.objects.all(), request.user, "change", pk=pk)
    if request.method == "GET" and person.mobile:
        # The form holds the full number: opening it unmasks it, logged as such (QUALITY C2).
        log_action(person, "register.person.unmasked", actor=request.user)
    form = PersonForm(post_data(request), instance=person)
    if form.is_valid():
        services.person_update(actor=request.user, person=person, data=form.cleaned_data)
        messages.success(request, _("The changes were saved."))
        return redirect("backoffice:person_detail", pk=person.pk)
    return render(
        request,
        "backoffice/form.html",
        {"form": form, "title": _("Edit %(name)s") % {"name": person.name}, "person": person},
    )


def cadre_register(request: HttpRequest) -> HttpResponse:
    """登記入冊: per township, each union with its chair and how many cadres are registered."""
    require_any_scope(request)
    federations = federations_for_filter(user=request.user).filter(depth__gte=1)
    form = OfficerFilterForm(request.GET or None, federations=federations)
    kwargs = form.to_kwargs()
    unions = visible(Union.objects.all(), request.user).select_related("federation")
    if kwargs["federation"]:
        unions = in_subtree(unions, kwargs["federation"])
    if kwargs["q"]:
        unions = unions.filter(search_q(kwargs["q"]))
    active = Q(officers__status=Officer.Status.ACTIVE)
    unions = (
        unions.annotate(
            cadres=Count("officers", filter=active, distinct=True),
            registered=Count(
                "officers",
                filter=active & Q(officers__registration=Officer.Registration.REGISTERED),
                distinct=True,
            ),
        )
        .prefetch_related(
            Prefetch(
                "officers",
                queryset=Officer.objects.filter(
                    status=Officer.Status.ACTIVE, position__in=["chair", "vice_chair"]
                )
                .select_related("person")
                .order_by("position", "id"),
                to_attr="leaders",
            )
        )
        .order_by("federation__path", "name", "id")
    )
    page = paginate(request, unions)
    return render(request, "backoffice/cadre_register.html", {"form": form, "page": page})
