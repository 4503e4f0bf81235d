"""The benchmark's load generator (shuangliang/bench/load.py): each wrk thread asks for its own
random pages. Seeded alike, the threads asked for the same pages in the same order, and the
public page's cache served one thread what it had just rendered for the other."""

import collections
import http.server
import threading

import pytest

from shuangliang.bench import load

pytestmark = pytest.mark.skipif(not load.wrk_available(), reason="wrk is not installed")


class _Recorder(http.server.BaseHTTPRequestHandler):
    paths: list[str] = []

    def do_GET(self):  # noqa: N802 - the standard library's name
        self.paths.append(self.path)
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


def test_each_wrk_thread_asks_for_its_own_pages():
    _Recorder.paths = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        paths = [f"/u/page{n:06d}/" for n in range(200_000)]
        base_url = f"http://127.0.0.1:{server.server_address[1]}"
        result = load.run_wrk(base_url=base_url, paths=paths, seconds=1, connections=2, threads=2)
    finally:
        server.shutdown()
        server.server_close()
    requested = list(_Recorder.paths)
    assert result["requests"] > 50 and len(requested) > 50
    assert set(requested) <= set(paths)
    # Alike, every page would be asked for twice; apart, a repeat is a rare coincidence.
    repeats = sum(n - 1 for n in collections.Counter(requested).values())
    assert repeats < len(requested) * 0.1
