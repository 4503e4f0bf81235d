from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DoubleBrightConfig(AppConfig):
    name = "shuangliang.doublebright"
    label = "doublebright"
    verbose_name = _("Double Bright")
