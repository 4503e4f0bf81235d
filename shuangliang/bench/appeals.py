"""(6) Appeal intake under load: workers posting the form of a union's public page, against
the minimal write view (one CSRF-checked post stored as one row), with zero lost."""

import random
import tempfile
from pathlib import Path
from urllib.parse import urlencode

from django.middleware.csrf import _get_new_csrf_string
from django.urls import reverse

from shuangliang.appeals import services
from shuangliang.appeals.models import Appeal, Category
from shuangliang.doublebright.models import UnionPage
from shuangliang.register.models import Union

from .load import Server, parse_wrk
from .models import BenchWrite

POST_SCRIPT = """
local bodies = {}
for line in io.lines("%(bodies)s") do bodies[#bodies + 1] = line end
local counter = 0
local threads = {}
setup = function(thread)
  thread:set("id", #threads)
  threads[#threads + 1] = thread
end
init = function(args)
  counter = id
end
request = function()
  counter = counter + %(threads)d
  local line = bodies[(counter %% #bodies) + 1]
  local tab = line:find("\\t")
  return wrk.format("POST", line:sub(1, tab - 1), {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "csrftoken=%(csrf)s",
  }, line:sub(tab + 1))
end
"""


def _bodies(count: int, csrf: str) -> tuple[list[str], list[str]]:
    """Tab-separated (path, body) lines: appeal posts to many unions, and minimal posts."""
    rng = random.Random(6)
    category = Category.objects.filter(is_active=True).order_by("pk").first()
    unions = list(
        Union.objects.filter(enterprises__isnull=False, kind=Union.Kind.SINGLE)
        .values_list("pk", "enterprises__pk")
        .order_by("pk")[:5000]
    )
    tokens = dict(
        UnionPage.objects.filter(union_id__in=[u for u, _e in unions]).values_list(
            "union_id", "token"
        )
    )
    appeals, minimal = [], []
    for n in range(count):
        union_id, enterprise_id = rng.choice(unions)
        key = services.form_key_new()
        fields = {
            "csrfmiddlewaretoken": csrf,
            "form_key": key,
            "enterprise": enterprise_id,
            "category": category.pk,
            "subject": f"加班费未足额发放 {n}",
            "body": "车间连续三个月周末加班，加班费没有按规定发放，希望工会帮忙了解情况。",
            "identity": "named",
            "name": "职工",
            "phone": f"139{rng.randint(0, 99999999):08d}",
            "handler": "union",
        }
        path = reverse("appeal:union_form", args=[tokens[union_id]])
        appeals.append(f"{path}\t{urlencode(fields)}")
        minimal.append(f"/bench/minimal-write/\t{urlencode(fields)}")
    return appeals, minimal


def _run(base_url: str, lines: list[str], csrf: str, seconds: int, tmp: Path) -> dict:
    import subprocess

    bodies = tmp / f"bodies-{len(lines)}-{seconds}.txt"
    bodies.write_text("\n".join(lines) + "\n")
    script = tmp / "post.lua"
    script.write_text(POST_SCRIPT % {"bodies": bodies, "csrf": csrf, "threads": 2})
    output = subprocess.run(
        [
            "wrk",
            "-t2",
            "-c32",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "--latency",
            "-s",
            str(script),
            base_url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return parse_wrk(output) | {"connections": 32, "seconds": seconds}


def measure_appeal_intake(*, seconds: int) -> dict:
    from .load import wrk_available

    if not wrk_available():
        return {"gap": "wrk is not installed (scripts/bench.sh)"}
    csrf = _get_new_csrf_string()
    # Every post needs a fresh form key: more than the fastest rate could use.
    appeals, minimal = _bodies(max(2_000, 400 * seconds), csrf)
    rows = []
    with tempfile.TemporaryDirectory() as tmp, Server(workers=2) as server:
        for name, lines, model in (
            ("appeal intake", appeals, Appeal),
            ("minimal write view", minimal, BenchWrite),
        ):
            before = model.objects.count()
            result = _run(server.url, lines, csrf, seconds, Path(tmp))
            stored = model.objects.count() - before
            answered = result["requests"] - result["non_2xx"]
            # A post answered with 2xx/3xx but not stored would be lost; posts still in
            # flight when wrk stops may be stored without an answer, so stored >= answered.
            result.update(page=name, stored=stored, lost=max(0, answered - stored))
            if answered > len(lines):
                result["note"] = "more posts than form keys: repeats answered as duplicates"
            rows.append(result)
    return {"rows": rows}
