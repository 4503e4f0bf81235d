from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Benchmark-only pieces (the minimal reference view); installed by bench settings only."""

    name = "shuangliang.bench"
    label = "bench"
    default_auto_field = "django.db.models.BigAutoField"
