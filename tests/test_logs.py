"""QUALITY.md C4: no personal data in the log, whatever the format."""

import io
import json
import logging

import pytest
from django.conf import settings
from django.test import Client

from shuangliang.core.logs import JsonFormatter, PersonalDataFilter, redact

PHONE = "13812345678"
ID_NUMBER = "11010519491231002X"


@pytest.fixture
def console_handler():
    """A handler built like settings.LOGGING's console handler, on the root logger."""
    handler = logging.StreamHandler(io.StringIO())
    handler.addFilter(PersonalDataFilter())
    handler.setFormatter(logging.Formatter(settings.LOGGING["formatters"]["plain"]["format"]))
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield handler
    finally:
        root.removeHandler(handler)


@pytest.fixture
def log_output(console_handler):
    return console_handler.stream


def test_every_handler_of_the_settings_masks_personal_data():
    for name, handler in settings.LOGGING["handlers"].items():
        assert handler["filters"] == ["personal_data"], name
    assert settings.LOGGING["filters"]["personal_data"]["()"] == (
        "shuangliang.core.logs.PersonalDataFilter"
    )
    # runserver's request lines go through the same handler, not Django's own.
    assert settings.LOGGING["loggers"]["django.server"]["handlers"] == ["console"]


@pytest.mark.parametrize(
    "text",
    [
        f"mobile {PHONE}",
        "mobile +86 138 1234 5678",
        "office 0571-87654321",
        f"identity {ID_NUMBER}",
        "mail wang.fang@example.cn",
        "Not Found: /u/Ab3dEf6hIj9kLm/",
        "Not Found: /v/Zx9-Yw8_Vu7tSr6q/photo",
    ],
)
def test_redact_masks_what_identifies_a_person_or_opens_a_page(text):
    masked = redact(text)
    for secret in [PHONE, "1234 5678", "87654321", ID_NUMBER, "wang.fang", "Ab3dEf6hIj9kLm"]:
        assert secret not in masked
    assert "Zx9-Yw8_Vu7tSr6q" not in masked


def test_ordinary_figures_and_paths_are_left_alone():
    text = "Imported 10000 rows in 12.5 s for /enterprises/123/ in 999001; /double-bright/print/"
    assert redact(text) == text


def test_a_404_and_an_exception_log_no_personal_data(db, log_output, monkeypatch):
    client = Client(raise_request_exception=False)
    client.get(f"/u/{'Ab3dEf6hIj9kLmNo'}/{PHONE}/")

    class Boom:
        def cursor(self):
            raise ValueError(f"duplicate mobile {PHONE} for {ID_NUMBER}")

    monkeypatch.setattr("shuangliang.core.views.connection", Boom())
    client.get("/healthz")
    output = log_output.getvalue()
    assert "Not Found" in output and "ValueError" in output
    assert PHONE not in output and ID_NUMBER not in output
    assert "Ab3dEf6hIj9kLmNo" not in output


def test_json_lines_carry_the_request_id_and_no_personal_data(db, console_handler, log_output):
    console_handler.setFormatter(JsonFormatter())
    response = Client().get(f"/f/{PHONE}/")
    (line,) = [json.loads(x) for x in log_output.getvalue().splitlines() if x.strip()]
    assert line["level"] == "WARNING" and line["status"] == 404
    assert line["request_id"] == response["X-Request-ID"]
    assert PHONE not in json.dumps(line)
