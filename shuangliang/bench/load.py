"""(1) Pages under load: gunicorn with 2 workers on this machine, `wrk` from another process,
32 connections, each request for a different union picked at random."""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from django.conf import settings

# Each wrk thread runs the script in its own Lua state; seeded alike, the threads would ask
# for the same pages in the same order, and a page rendered for one would be served from the
# cache to the other. Each thread gets its own seed.
WRK_SCRIPT = """
local paths = {}
for line in io.lines("%(paths)s") do paths[#paths + 1] = line end
local threads = 0
setup = function(thread)
  thread:set("id", threads)
  threads = threads + 1
end
init = function(args)
  math.randomseed(%(seed)d + 7919 * id)
end
request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# gunicorn as deploy/shuangliang-web.service runs it (sync workers; the two of them):
# the page and its reference are served by the same configuration. Measured on 2 cores,
# gthread workers with 4 threads (keep-alive) cost about 0.45 ms less CPU per request for
# both the page and the minimal view, left the ratio as it was and did not lower the p99,
# which with 32 connections always open is 32 / throughput at the least (Little's law).
WORKER_CLASS = "sync"
THREADS = 1


class Server:
    """gunicorn serving the bench settings on a free loopback port."""

    def __init__(self, *, workers: int = 2):
        self.workers = workers
        self.worker_class = WORKER_CLASS
        self.threads = THREADS
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "Server":
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "shuangliang.bench.settings"}
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.process = subprocess.Popen(
            [
                str(gunicorn),
                "shuangliang.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--worker-class",
                self.worker_class,
                "--threads",
                str(self.threads),
                "--backlog",
                "2048",
                "--log-level",
                "warning",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{self.url}/healthz", timeout=2)  # noqa: S310
                return self
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError(self.process.stderr.read().decode()) from None
                time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer within 60 s")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def run_wrk(
    *, base_url: str, paths: list[str], seconds: int, connections: int = 32, threads: int = 2
) -> dict:
    """Requests/s and latency percentiles of `paths` (picked at random) under load."""
    with tempfile.TemporaryDirectory() as tmp:
        path_file = Path(tmp) / "paths.txt"
        path_file.write_text("\n".join(paths) + "\n")
        script = Path(tmp) / "random.lua"
        script.write_text(WRK_SCRIPT % {"paths": path_file, "seed": 8})
        command = [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "--latency",
            "-s",
            str(script),
            base_url,
        ]
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return parse_wrk(output) | {"connections": connections, "seconds": seconds}


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return round(float(number) * _UNITS[unit], 2)


def parse_wrk(output: str) -> dict:
    percentiles = {
        f"p{p}_ms": _ms(v) for p, v in re.findall(r"^\s+(50|75|90|99)%\s+(\S+)", output, re.M)
    }
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    return {
        "requests_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "requests": requests,
        "non_2xx": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(1).strip() if socket_errors else "",
        **percentiles,
    }


def measure_public_page(*, tokens: list[str], seconds: int, warmup: int = 3) -> list[dict]:
    """The public union page against the minimal view, on the same server, same tokens."""
    rows = []
    with Server(workers=2) as server:
        for name, prefix in (("public union page", "/u/"), ("minimal view", "/bench/minimal/")):
            paths = [f"{prefix}{token}/" for token in tokens]
            run_wrk(base_url=server.url, paths=paths, seconds=warmup)
            rows.append(
                {"page": name, **run_wrk(base_url=server.url, paths=paths, seconds=seconds)}
            )
    return rows
