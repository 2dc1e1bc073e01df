"""Serving the app: `conflict-sim viz` starts Solara's server on the app module and prints where it is.

The server's environment names the opening preset and results folder, turns off Solara's telemetry,
and silences Solara's warning about session cookies on plain http (it falls back to a same-site
cookie, which is right for a page served to this machine's browser, and the warning's advice is
about embedding the page in another site's frame).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from conflict_sim.errors import ConflictSimError
from conflict_sim.viz.assets import ensure_assets

PRESET_VARIABLE = "CONFLICT_SIM_PRESET"  # the preset the page opens with (read by conflict_sim.app)
RESULTS_VARIABLE = "CONFLICT_SIM_RESULTS"  # the results folder the explorer opens with


def command(host: str, port: int) -> list[str]:
    """The `solara run` command line for the app in production mode (no reloader, no browser)."""
    return [
        sys.executable,
        "-m",
        "solara",
        "run",
        "conflict_sim.app",
        "--host",
        host,
        "--port",
        str(port),
        "--production",
        "--no-open",
    ]


COOKIE_WARNING = "ignore:Cookies with samesite=none require https:UserWarning"  # a Python warnings filter


def environment(preset: str, results: str | None = None) -> dict[str, str]:
    """The server's environment: the opening preset and results folder, no telemetry, no cookie warning."""
    filters = ",".join(f for f in (os.environ.get("PYTHONWARNINGS", ""), COOKIE_WARNING) if f)
    return {
        **os.environ,
        PRESET_VARIABLE: preset,
        RESULTS_VARIABLE: str(Path(results).resolve()) if results else "",
        "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",
        "PYTHONWARNINGS": filters,
    }


def serve(host: str, port: int, preset: str, *, results: str | None = None, patience: float = 180.0) -> int:
    """Run the app until interrupted; print its address only once it answers. Returns an exit code.

    `results` is a results folder the explorer opens with (checked here: a bad one is one line).
    """
    if results is not None and not (Path(results) / "manifest.json").is_file():
        raise ConflictSimError(f"--results {results}: not a results folder (no manifest.json)")
    ensure_assets()
    server = subprocess.Popen(command(host, port), env=environment(preset, results))
    try:
        if not wait_until_answering(host, port, server, patience):
            if server.poll() is None:
                server.terminate()
            raise ConflictSimError(f"viz: the server did not start on {host}:{port} (is the port in use? try --port)")
        print(f"conflict-sim viz: open http://{host}:{port}/ (preset {preset}; Ctrl-C stops)", flush=True)
        return server.wait()
    except KeyboardInterrupt:
        server.terminate()
        server.wait()
        return 0


def wait_until_answering(host: str, port: int, server: subprocess.Popen, patience: float) -> bool:
    """Poll the page until it answers (True), the server exits or `patience` seconds pass (False)."""
    deadline = time.monotonic() + patience
    while time.monotonic() < deadline and server.poll() is None:
        try:
            with urllib.request.urlopen(f"http://{host}:{port}/", timeout=2):
                return True
        except (OSError, urllib.error.URLError):
            time.sleep(0.5)
    return False
