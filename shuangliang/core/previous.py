"""What a row holds in the database before a save changes it.

Receivers that keep stored figures and tallies exact refresh both the place a row is counted
under now and the one it was counted under before (a contract moved to another union, a union
to another township, an appeal to another federation); their pre_save receivers read the
previous value with `previous_value`, and the post_save receivers use both.
"""

from django.db.models import Model


def previous_value(instance: Model, field: str):
    """The stored value of `field` (an attname, e.g. "union_id") for `instance`; None for a
    row not saved yet. One indexed query."""
    if instance.pk is None:
        return None
    return (
        type(instance)._default_manager.filter(pk=instance.pk).values_list(field, flat=True).first()
    )
