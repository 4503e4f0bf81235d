from django.db import migrations

DEFAULT_KINDS = [
    ("comprehensive", "综合集体合同", True, 36, 1),
    ("wage", "工资专项集体合同", True, 12, 2),
    ("women", "女职工权益保护专项集体合同", True, 36, 3),
    ("safety", "劳动安全卫生专项集体合同", False, 36, 4),
]


def create_kinds(apps, schema_editor):
    ContractKind = apps.get_model("register", "ContractKind")
    for code, name, counts, months, order in DEFAULT_KINDS:
        ContractKind.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "counts_for_three": counts,
                "default_term_months": months,
                "sort_order": order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("register", "0001_initial")]
    operations = [migrations.RunPython(create_kinds, migrations.RunPython.noop)]
