"""Forms of the appeal pages: the worker's intake and tracking, the handlers' steps."""

import re
import secrets
from pathlib import PurePath

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _

from shuangliang.backoffice.filters import PlainSelect
from shuangliang.core.images import ACCEPT_ATTRIBUTE, clean_image

from . import conf
from .models import CalendarDay, Category, Satisfaction, Status

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_OFFICE_PHONE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")
IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".png", ".webp"}
DOCUMENT_EXTENSIONS = {".pdf"}
# A PDF that can run script, launch programs or carry other files is refused outright.
PDF_ACTIVE_MARKERS = (b"/JavaScript", b"/JS", b"/Launch", b"/EmbeddedFile", b"/RichMedia")


def clean_attachment(upload) -> ContentFile:
    """A photo re-encoded without metadata, or a PDF checked by its bytes and its size."""
    suffix = PurePath(getattr(upload, "name", "") or "").suffix.lower()
    if suffix in IMAGE_EXTENSIONS:
        content = clean_image(upload)
        content.content_type = "image/jpeg"
        return content
    if suffix not in DOCUMENT_EXTENSIONS:
        raise ValidationError(
            _("Only photos (JPEG, PNG, WebP) and PDF documents can be attached."),
            code="unsupported_type",
        )
    limit = conf.max_document_bytes()
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(
            _("The file is larger than %(limit)s MB.") % {"limit": limit // (1024 * 1024)},
            code="file_too_large",
        )
    if not data.startswith(b"%PDF-"):
        raise ValidationError(_("The file is not a PDF document."), code="unsupported_type")
    if any(marker in data for marker in PDF_ACTIVE_MARKERS):
        raise ValidationError(
            _("This PDF contains scripts or embedded files and cannot be accepted."),
            code="active_content",
        )
    content = ContentFile(data, name=f"{secrets.token_hex(16)}.pdf")
    content.content_type = "application/pdf"
    return content


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget",
            MultipleFileInput(attrs={"accept": ACCEPT_ATTRIBUTE + ",application/pdf"}),
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        uploads = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(uploads) > conf.max_attachments():
            raise ValidationError(
                _("Attach at most %(count)s files.") % {"count": conf.max_attachments()}
            )
        return [clean_attachment(super(AttachmentsField, self).clean(f, initial)) for f in uploads]


class AppealForm(forms.Form):
    """The worker's form. The server decides the route; these fields only state the wishes."""

    IDENTITY_CHOICES = [
        ("named", _("Named: give my name and phone, so the handler can reply to me formally")),
        ("anonymous", _("Anonymous: a tip or suggestion; nobody will know who sent it")),
    ]
    HANDLER_CHOICES = [
        ("union", _("Let the enterprise union handle it")),
        ("federation", _("Send it straight to the union federation")),
    ]

    form_key = forms.CharField(widget=forms.HiddenInput)
    enterprise = forms.ChoiceField(label=_("Enterprise"), required=False)
    category = forms.ModelChoiceField(
        label=_("What is it about?"), queryset=Category.objects.none(), empty_label=None
    )
    subject = forms.CharField(label=_("In one line"), max_length=100)
    body = forms.CharField(
        label=_("What happened?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "When, where, who is affected. "
            "Do not write your name here if you want to stay anonymous."
        ),
    )
    attachments = AttachmentsField(
        label=_("Photos or PDF documents (optional)"),
        required=False,
        help_text=_("Up to 3 files. Photos lose their location and camera data."),
    )
    identity = forms.ChoiceField(
        label=_("Who are you?"), choices=IDENTITY_CHOICES, widget=forms.RadioSelect, initial="named"
    )
    name = forms.CharField(label=_("Your name"), max_length=50, required=False)
    phone = forms.CharField(label=_("Your phone"), max_length=20, required=False)
    handler = forms.ChoiceField(
        label=_("Who should handle it?"),
        choices=HANDLER_CHOICES,
        widget=forms.RadioSelect,
        initial="union",
        required=False,
    )
    about_union = forms.BooleanField(
        label=_("My concern is about the enterprise union itself (it then goes to the federation)"),
        required=False,
    )
    identity_to_union = forms.BooleanField(
        label=_("The enterprise union may see my name and phone"),
        required=False,
        help_text=_(
            "Without this, only the union federation sees who you are. Your employer never does."
        ),
    )

    def __init__(self, *args, enterprises=(), has_union: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.enterprises = {str(e.pk): e for e in enterprises}
        self.fields["category"].queryset = Category.objects.filter(is_active=True).order_by(
            "sort_order", "id"
        )
        if len(self.enterprises) > 1:
            self.fields["enterprise"].required = True
            self.fields["enterprise"].choices = [("", "—")] + [
                (key, e.name) for key, e in self.enterprises.items()
            ]
        else:
            del self.fields["enterprise"]
        if not has_union:
            for name in ("handler", "about_union", "identity_to_union"):
                del self.fields[name]

    def clean_phone(self) -> str:
        phone = self.cleaned_data.get("phone", "").strip().replace(" ", "")
        if phone and not (_MOBILE.match(phone) or _OFFICE_PHONE.match(phone)):
            raise ValidationError(
                _("Enter an 11-digit mobile number or an office phone with its area code.")
            )
        return phone

    def clean(self):
        data = super().clean()
        if data.get("identity") == "anonymous":
            # Nothing of an anonymous worker is kept, whatever the browser sent.
            data["name"] = ""
            data["phone"] = ""
            data["identity_to_union"] = False
        elif data.get("identity") == "named":
            if not data.get("name", "").strip():
                self.add_error("name", _("A named appeal needs your name."))
            if not data.get("phone") and "phone" not in self.errors:
                self.add_error("phone", _("A named appeal needs your phone number."))
        return data

    def chosen_enterprise(self):
        if len(self.enterprises) == 1:
            return next(iter(self.enterprises.values()))
        return self.enterprises.get(self.cleaned_data.get("enterprise") or "")


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=64,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class WorkerMessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )


class WorkerConfirmForm(forms.Form):
    satisfaction = forms.ChoiceField(
        label=_("How satisfied are you with the answer?"),
        choices=Satisfaction.choices,
        widget=forms.RadioSelect,
    )


# Staff -----------------------------------------------------------------------------------


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Reply to the worker"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    final = forms.BooleanField(
        label=_("This is the answer (the appeal becomes answered)"), required=False
    )


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("Phone call note"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ExtendForm(forms.Form):
    days = forms.IntegerField(label=_("Extra working days"), min_value=1, max_value=30)
    reason = forms.CharField(label=_("Reason"), max_length=500)


class CloseForm(forms.Form):
    satisfaction = forms.ChoiceField(
        label=_("Satisfaction from the call back"),
        choices=[("", _("Not given"))] + Satisfaction.choices,
        required=False,
    )


class TransferForm(forms.Form):
    target = forms.ChoiceField(label=_("Send to"))

    def __init__(self, *args, targets: dict, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "—")]
        if targets["union"] is not None:
            choices.append((f"union:{targets['union'].pk}", targets["union"].name))
        for cadre in targets["cadres"]:
            label = f"{cadre.last_name}{cadre.first_name}" or cadre.username
            choices.append((f"cadre:{cadre.pk}", _("Assigned cadre %(name)s") % {"name": label}))
        for federation in targets["federations"]:
            choices.append((f"federation:{federation.pk}", federation.name))
        self.fields["target"].choices = choices
        self.targets = targets

    def resolved(self) -> dict:
        kind, _sep, pk = self.cleaned_data["target"].partition(":")
        if kind == "union":
            return {"union": self.targets["union"]}
        if kind == "cadre":
            return {"cadre": next(c for c in self.targets["cadres"] if str(c.pk) == pk)}
        return {"federation": next(f for f in self.targets["federations"] if str(f.pk) == pk)}


class AppealFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    # Written in Python (PlainSelect): a province has some 1,100 federations to choose from.
    federation = forms.TypedChoiceField(
        label=_("Federation"), required=False, coerce=int, empty_value=None, widget=PlainSelect
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All"))] + Status.choices
    )
    category = forms.TypedChoiceField(
        label=_("Category"), required=False, coerce=int, empty_value=None, widget=PlainSelect
    )
    deadline = forms.ChoiceField(
        label=_("Deadline"),
        required=False,
        choices=[
            ("", _("All")),
            ("overdue", _("Overdue")),
            ("soon", _("Nearly overdue")),
            ("escalated", _("Escalated")),
        ],
    )

    def __init__(self, *args, federations=(), categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["federation"].choices = [("", _("All"))] + [(f.pk, f.name) for f in federations]
        self.fields["category"].choices = [("", _("All"))] + [(c.pk, c.name) for c in categories]


class CalendarDayForm(forms.ModelForm):
    class Meta:
        model = CalendarDay
        fields = ["date", "kind", "name"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}
