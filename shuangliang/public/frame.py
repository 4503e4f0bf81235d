"""The public union page's frame, rendered once per process, language and robots setting.

The frame (public/union_page.html on public/base.html: the head, the robots meta, the
language links, the footer) is the same for every union but for three values: the union's
name in the title, the page's own address in the language links, and the body (the
model-unit years and the content, which has its own cache). Rendering it with the template
engine on every scan cost about a third of a rendered page's time, so it is rendered once
with markers in those three places, split there, and joined with each request's values,
escaped exactly as the template escapes them (`tests/test_public_frame.py` compares the
two byte for byte, with a name and an address full of characters to escape).
"""

from dataclasses import dataclass
from types import SimpleNamespace
from urllib.parse import quote

from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.translation import get_language

# Markers: letters only, so that neither autoescaping nor `urlencode` changes them.
TITLE, HERE, BODY = "zqxFRAMETITLExqz", "zqxFRAMEHERExqz", "zqxFRAMEBODYxqz"
TEMPLATE = "public/union_page.html"


@dataclass(frozen=True)
class Frame:
    parts: tuple[str, ...]  # the text between markers
    slots: tuple[str, ...]  # the marker after each part but the last

    def fill(self, *, title: str, here: str, body: str) -> str:
        """The page: `title` and `here` as given (escaped here), `body` safe HTML."""
        values = {
            TITLE: escape(title),
            # The template's `request.get_full_path|urlencode`, then autoescaping.
            HERE: escape(quote(here, safe="/")),
            BODY: body,
        }
        out = [self.parts[0]]
        for slot, part in zip(self.slots, self.parts[1:], strict=True):
            out.append(values[slot])
            out.append(part)
        return "".join(out)


_FRAMES: dict[tuple[str, bool], Frame] = {}


def union_page_frame(*, indexable: bool) -> Frame:
    """The frame in the active language (rendered on first use, then kept)."""
    key = (get_language(), indexable)
    frame = _FRAMES.get(key)
    if frame is None:
        frame = _FRAMES[key] = _render(indexable=indexable)
    return frame


def _render(*, indexable: bool) -> Frame:
    html = render_to_string(
        TEMPLATE,
        {
            "union": SimpleNamespace(name=TITLE),
            "body": BODY,
            "indexable": indexable,
            "request": SimpleNamespace(get_full_path=lambda: HERE),
        },
    )
    parts, slots, rest = [], [], html
    while True:
        found = [(rest.find(mark), mark) for mark in (TITLE, HERE, BODY) if mark in rest]
        if not found:
            parts.append(rest)
            break
        at, mark = min(found)
        parts.append(rest[:at])
        slots.append(mark)
        rest = rest[at + len(mark) :]
    if set(slots) != {TITLE, HERE, BODY}:
        raise ValueError(f"{TEMPLATE} lost a marker: {sorted({TITLE, HERE, BODY} - set(slots))}")
    return Frame(tuple(parts), tuple(slots))
