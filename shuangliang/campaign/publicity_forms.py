"""Forms of the publicity pages: a news item (with photos) and the monthly bulletin's
federation and month. Fields are listed explicitly; the state is never a form field."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shuangliang.register.models import Federation

from .forms import DateInput, MultipleImageField
from .models import NewsItem, NewsPhoto
from .models.publicity import MAX_NEWS_PHOTOS
from .selectors.publicity import news_federations


class NewsPhotosField(MultipleImageField):
    max_files = MAX_NEWS_PHOTOS


class PhotoChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return _("Photo %(number)s") % {"number": obj.pk}


class NewsItemForm(forms.ModelForm):
    """Write or correct a news item. The federation is chosen only when it is new."""

    federation = forms.ModelChoiceField(
        label=_("Federation"), queryset=Federation.objects.none(), required=True
    )
    photos = NewsPhotosField(
        label=_("Photos"),
        required=False,
        help_text=_("JPEG, PNG or WebP; at most %(count)s photos per item.")
        % {"count": MAX_NEWS_PHOTOS},
    )
    remove_photos = PhotoChoiceField(
        label=_("Remove these photos"),
        queryset=NewsPhoto.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = NewsItem
        fields = ["title", "body", "published_on"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 12}),
            "published_on": DateInput(),
        }

    field_order = ["federation", "title", "body", "published_on", "photos", "remove_photos"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            choices = news_federations(user=user)
            self.fields["federation"].queryset = choices
            if len(choices) == 1:
                self.fields["federation"].initial = choices[0].pk
            del self.fields["remove_photos"]
        else:
            del self.fields["federation"]
            photos = self.instance.photos.all()
            if photos:
                self.fields["remove_photos"].queryset = photos
            else:
                del self.fields["remove_photos"]

    def item_data(self) -> dict:
        return {key: self.cleaned_data[key] for key in ("title", "body", "published_on")}


class BulletinForm(forms.Form):
    """Which federation's bulletin, for which month (the current one by default)."""

    federation = forms.ModelChoiceField(label=_("Federation"), queryset=Federation.objects.none())
    month = forms.CharField(
        label=_("Month"),
        widget=forms.TextInput(attrs={"type": "month", "pattern": r"\d{4}-\d{2}"}),
    )

    def __init__(self, data, *, user, **kwargs):
        choices = news_federations(user=user, action="view")
        first = choices.first()
        if data is not None and not data.get("federation") and not data.get("month"):
            data = None
        initial = {
            "federation": first.pk if first else None,
            "month": timezone.localdate().strftime("%Y-%m"),
        }
        super().__init__(data if data is not None else initial, **kwargs)
        self.fields["federation"].queryset = choices

    def clean_month(self) -> datetime.date:
        value = self.cleaned_data["month"].strip()
        try:
            month = datetime.datetime.strptime(value, "%Y-%m").date()
        except ValueError:
            raise forms.ValidationError(_("Give a month as YYYY-MM.")) from None
        if not 2000 <= month.year <= timezone.localdate().year + 1:
            raise forms.ValidationError(_("Give a month as YYYY-MM."))
        return month
