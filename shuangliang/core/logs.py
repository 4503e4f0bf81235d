"""Log output without personal data (QUALITY.md C4), as plain lines or JSON.

`PersonalDataFilter` sits on every handler: it renders the message (and any traceback) and
masks what could identify a person or open a private page — mobile and landline numbers,
resident identity numbers, e-mail addresses, and long tokens in URL paths (public page,
credential and tracking tokens). Django's request log ("Not Found: /u/<token>/") passes
through it like everything else.
"""

import json
import logging
import re

from .middleware import current_request_id

PATTERNS = [
    # Resident identity numbers (18 characters, the last may be X).
    (re.compile(r"(?<!\d)\d{17}[\dXx](?![\dA-Za-z])"), "[id-number]"),
    # Mainland mobile numbers, also with +86 or spaced/dashed groups.
    (re.compile(r"(?<!\d)(?:\+?86[ -]?)?1[3-9]\d[ -]?\d{4}[ -]?\d{4}(?!\d)"), "[phone]"),
    # Landlines with an area code.
    (re.compile(r"(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)"), "[phone]"),
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), "[email]"),
    # Tokens in paths: a path segment of 12+ URL-safe characters with a digit or a capital
    # (our own path words are lower-case, like /double-bright/).
    (re.compile(r"(?<=/)(?=[a-z_-]*[A-Z0-9])[A-Za-z0-9_-]{12,}(?=/|\?|$|\s|\")"), "[token]"),
]


def redact(text: str) -> str:
    for pattern, replacement in PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class PersonalDataFilter(logging.Filter):
    """Renders and masks the message and traceback of every record the handler emits."""

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = ()
        if record.exc_info:
            record.exc_text = redact(self._formatter.formatException(record.exc_info))
            # The traceback is kept as text only: formatters must not render it again.
            record.exc_info = None
        # Django's request log attaches the request (and logs after the middleware has
        # finished, so the id comes from the request); its repr carries the full path. The
        # record may pass several handlers: keep an id found by an earlier one.
        request_id = getattr(record, "request_id", None)
        request = getattr(record, "request", None)
        if request is not None:
            request_id = getattr(request, "request_id", request_id)
            record.request = None
        if not request_id or request_id == "-":
            request_id = current_request_id()
        record.request_id = request_id
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line, for log collectors."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", "-"),
            "message": record.getMessage(),
        }
        if getattr(record, "status_code", None):
            entry["status"] = record.status_code
        if record.exc_text:
            entry["exception"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False)
