"""Standards: the list with templates to copy, a standard's versions and items, editing the
draft version and publishing it."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shuangliang.core.access import can, get_visible_or_404
from shuangliang.core.actionlog import history_for

from .. import services
from ..forms import ItemForm, SectionForm, StandardCopyForm, StandardForm, TemplateCopyForm
from ..models import Item, Standard, StandardVersion
from ..selectors import standards_visible, version_outline, version_shown
from ..template_data import TEMPLATES
from .common import require_reader, require_staff


def _standard(request: HttpRequest, pk: int, action: str = "view") -> Standard:
    return get_visible_or_404(
        Standard.objects.select_related("federation"), request.user, action, pk=pk
    )


@require_http_methods(["GET", "POST"])
def standard_list(request: HttpRequest) -> HttpResponse:
    """Standards in the user's view, and (for staff) starting one from a template or a copy."""
    require_reader(request)
    data = request.POST if request.method == "POST" else None
    action = request.POST.get("action") if data is not None else None
    if data is not None:
        require_staff(request)
    template_form = TemplateCopyForm(
        data if action != "copy" else None, user=request.user, prefix="t"
    )
    copy_form = StandardCopyForm(data if action == "copy" else None, user=request.user, prefix="c")
    form = copy_form if action == "copy" else template_form
    if data is not None and form.is_valid():
        federation = form.cleaned_data["federation"]
        if action == "copy":
            standard = services.standard_copy(
                actor=request.user, federation=federation, source=form.cleaned_data["source"]
            )
        else:
            standard = services.standard_from_template(
                actor=request.user, federation=federation, code=form.cleaned_data["template"]
            )
        messages.success(
            request, _("The standard was created as a draft: check it, then publish it.")
        )
        return redirect("standards:standard_detail", pk=standard.pk)
    standards = list(standards_visible(user=request.user).prefetch_related("versions"))
    return render(
        request,
        "standards/standard_list.html",
        {
            "standards": standards,
            "templates": TEMPLATES.values(),
            "template_form": template_form,
            "copy_form": copy_form,
            "can_write": bool(template_form.fields["federation"].queryset.exists()),
        },
    )


@require_GET
def standard_detail(request: HttpRequest, pk: int) -> HttpResponse:
    standard = _standard(request, pk)
    version_pk = request.GET.get("version")
    versions = list(standard.versions.order_by("-number"))
    shown = next((v for v in versions if str(v.pk) == version_pk), None) or version_shown(
        standard=standard
    )
    return render(
        request,
        "standards/standard_detail.html",
        {
            "standard": standard,
            "versions": versions,
            "version": shown,
            "outline": version_outline(version=shown) if shown else [],
            "total": sum((i.points for i in shown.items.all()), 0) if shown else 0,
            "can_change": can(request.user, "change", standard),
            "history": history_for(standard)[:20],
        },
    )


@require_http_methods(["GET", "POST"])
def standard_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Name, description and the grade thresholds of the draft version."""
    standard = _standard(request, pk, "change")
    shown = version_shown(standard=standard)
    initial = {"name": standard.name, "description": standard.description}
    if shown is not None:
        initial.update(
            threshold_model=shown.threshold_model,
            threshold_qualified=shown.threshold_qualified,
            threshold_basic=shown.threshold_basic,
        )
    form = StandardForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.standard_update(
            actor=request.user,
            standard=standard,
            name=data["name"],
            description=data["description"],
            thresholds={k: data[k] for k in services.THRESHOLD_FIELDS},
        )
        messages.success(request, _("The draft version was saved."))
        return redirect("standards:standard_detail", pk=standard.pk)
    return render(
        request,
        "standards/form.html",
        {"form": form, "standard": standard, "title": _("Edit the standard")},
    )


@require_POST
def standard_new_version(request: HttpRequest, pk: int) -> HttpResponse:
    standard = _standard(request, pk, "change")
    services.standard_draft(actor=request.user, standard=standard)
    messages.success(request, _("A draft of the next version was started from the latest version."))
    return redirect("standards:standard_detail", pk=standard.pk)


@require_POST
def standard_publish(request: HttpRequest, pk: int) -> HttpResponse:
    standard = _standard(request, pk, "change")
    try:
        version = services.standard_publish(actor=request.user, standard=standard)
    except services.StandardsError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _(
                "Version %(number)s is published; earlier scores keep the version they "
                "were given under."
            )
            % {"number": version.number},
        )
    return redirect("standards:standard_detail", pk=standard.pk)


def _draft_or_redirect(request: HttpRequest, standard: Standard) -> StandardVersion | None:
    draft = standard.versions.filter(state=StandardVersion.State.DRAFT).first()
    if draft is None:
        messages.error(request, _("Start a new version before changing the standard."))
    return draft


@require_http_methods(["GET", "POST"])
def section_create(request: HttpRequest, pk: int) -> HttpResponse:
    standard = _standard(request, pk, "change")
    if _draft_or_redirect(request, standard) is None:
        return redirect("standards:standard_detail", pk=standard.pk)
    form = SectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.section_create(
            actor=request.user, standard=standard, title=form.cleaned_data["title"]
        )
        messages.success(request, _("The section was added to the draft version."))
        return redirect("standards:standard_detail", pk=standard.pk)
    context = {"form": form, "standard": standard, "title": _("Add a section")}
    return render(request, "standards/form.html", context)


@require_http_methods(["GET", "POST"])
def item_create(request: HttpRequest, pk: int) -> HttpResponse:
    standard = _standard(request, pk, "change")
    draft = _draft_or_redirect(request, standard)
    if draft is None:
        return redirect("standards:standard_detail", pk=standard.pk)
    if not draft.sections.exists():
        messages.error(request, _("Add a section first."))
        return redirect("standards:section_create", pk=standard.pk)
    form = ItemForm(request.POST or None, version=draft)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        section = data.pop("section")
        services.item_save(actor=request.user, section=section, item=None, fields=data)
        messages.success(request, _("The item was added to the draft version."))
        return redirect("standards:standard_detail", pk=standard.pk)
    context = {"form": form, "standard": standard, "title": _("Add an item")}
    return render(request, "standards/form.html", context)


def _draft_item(request: HttpRequest, pk: int) -> Item:
    item = get_visible_or_404(
        Item.objects.select_related("version__standard__federation", "section"),
        request.user,
        "change",
        pk=pk,
    )
    if item.version.state != StandardVersion.State.DRAFT:
        raise Http404  # a published version's items are frozen; they have no edit page
    return item


@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _draft_item(request, pk)
    standard = item.version.standard
    form = ItemForm(request.POST or None, instance=item, version=item.version)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        section = data.pop("section")
        services.item_save(actor=request.user, section=section, item=item, fields=data)
        messages.success(request, _("The item was saved."))
        return redirect("standards:standard_detail", pk=standard.pk)
    context = {"form": form, "standard": standard, "item": item, "title": _("Edit the item")}
    return render(request, "standards/form.html", context)


@require_POST
def item_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = _draft_item(request, pk)
    standard = item.version.standard
    services.item_delete(actor=request.user, item=item)
    messages.success(request, _("The item was removed from the draft version."))
    return redirect("standards:standard_detail", pk=standard.pk)
