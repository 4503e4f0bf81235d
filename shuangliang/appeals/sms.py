"""The SMS interface. The default backend only logs (no number, no text leaves the server);
a deployment sets APPEAL_SMS_BACKEND to a dotted path of a `send(recipient, text)` callable."""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


def logging_backend(recipient, text: str) -> None:
    logger.info("SMS to user %s: %s", getattr(recipient, "pk", None), text)


def send_sms(*, recipient, text: str) -> None:
    path = getattr(settings, "APPEAL_SMS_BACKEND", "")
    backend = import_string(path) if path else logging_backend
    backend(recipient, text)
