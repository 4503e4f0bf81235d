"""Forms for API tokens: the staff page's and the admin's share the rules in tokens.py."""

import datetime

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from .models import ApiToken
from .tokens import api_token_check, federations_for_token

EXPIRY_DAYS = (30, 90, 180, 365)


class ApiTokenForm(forms.ModelForm):
    """A new token of the user who fills it in."""

    expires_in = forms.TypedChoiceField(label=_("Valid for"), coerce=int, initial=90)

    class Meta:
        model = ApiToken
        fields = ["name", "federation", "can_write"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.user = user
        self.fields["federation"].queryset = federations_for_token(user=user)
        self.fields["expires_in"].choices = [
            (days, ngettext_lazy("%(days)d day", "%(days)d days", days) % {"days": days})
            for days in EXPIRY_DAYS
            if days <= settings.API_TOKEN_MAX_DAYS
        ]

    def clean(self):
        data = super().clean()
        days = data.get("expires_in")
        if days:
            self.instance.expires_at = timezone.now() + datetime.timedelta(days=days)
        return data

    def _post_clean(self):
        super()._post_clean()
        if not self.errors:
            try:
                api_token_check(token=self.instance)
            except forms.ValidationError as exc:
                self._update_errors(exc)


class ApiTokenAdminForm(forms.ModelForm):
    """A new token for any user, made by a superuser in the admin."""

    class Meta:
        model = ApiToken
        fields = ["user", "name", "federation", "can_write", "expires_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # An issued token's page shows every field read-only: the form then has none.
        if "user" in self.fields:
            self.fields["user"].queryset = get_user_model().objects.filter(is_active=True)

    def _post_clean(self):
        super()._post_clean()
        if not self.errors:
            try:
                api_token_check(token=self.instance)
            except forms.ValidationError as exc:
                self._update_errors(exc)
