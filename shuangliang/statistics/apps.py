from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatisticsConfig(AppConfig):
    name = "shuangliang.statistics"
    label = "statistics"
    verbose_name = _("Statistics")

    def ready(self) -> None:
        # The dashboard counts the three contracts from values stored on the enterprise,
        # kept in the same transaction as every change they derive from.
        from shuangliang.register import stored_figures

        stored_figures.connect()
        # The providers install themselves, and keep their tallies, when the layer loads.
        from . import figures  # noqa: F401
