from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StandardsConfig(AppConfig):
    name = "shuangliang.standards"
    label = "standards"
    verbose_name = _("Standards and inspections")

    def ready(self) -> None:
        # The figure layer counts standard compliance and rectifications through this provider.
        from . import figures, results

        # Each inspection's stored "is the union's result", rewritten with every change; its
        # receivers run before the figures' tallies, which count the stored flags.
        results.connect()
        figures.install()
