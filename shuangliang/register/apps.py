from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegisterConfig(AppConfig):
    name = "shuangliang.register"
    label = "register"
    verbose_name = _("Register")

    def ready(self):
        from . import officer_changes

        officer_changes.connect()
