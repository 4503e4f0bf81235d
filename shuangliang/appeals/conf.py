"""The appeal rules, each overridable in settings (defaults from the petition regulations)."""

from django.conf import settings


def _setting(name: str, default):
    return getattr(settings, name, default)


def accept_working_days() -> int:
    """Days to decide whether to accept (受理), counted from submission."""
    return _setting("APPEAL_ACCEPT_WORKING_DAYS", 15)


def conclude_working_days() -> int:
    """Days to conclude (辦結), counted from acceptance."""
    return _setting("APPEAL_CONCLUDE_WORKING_DAYS", 60)


def max_extension_working_days() -> int:
    """The one extension allowed, with a reason."""
    return _setting("APPEAL_MAX_EXTENSION_WORKING_DAYS", 30)


def warning_working_days() -> int:
    """A case is "nearly overdue" this many working days before its deadline."""
    return _setting("APPEAL_WARNING_WORKING_DAYS", 3)


def rate_limit() -> tuple[int, int]:
    """(requests, seconds) per client for public intake and for failed tracking lookups."""
    return _setting("APPEAL_RATE_LIMIT", (5, 600))


def max_attachments() -> int:
    return _setting("APPEAL_MAX_ATTACHMENTS", 3)


def max_document_bytes() -> int:
    return _setting("APPEAL_MAX_DOCUMENT_BYTES", 5 * 1024 * 1024)


def public_min_count() -> int:
    """Public statistics never show an appeal count below this for a unit (QUALITY.md C6)."""
    return _setting("APPEAL_PUBLIC_MIN_COUNT", 5)
