"""Serving the app: `conflict-sim viz` starts Solara's server on the app module and prints where it is."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request

from conflict_sim.errors import ConflictSimError
from conflict_sim.viz.assets import ensure_assets

PRESET_VARIABLE = "CONFLICT_SIM_PRESET"  # the preset the page opens with (read by conflict_sim.app)


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


def environment(preset: str) -> dict[str, str]:
    """The server's environment: the opening preset, and no telemetry calls to the outside."""
    return {**os.environ, PRESET_VARIABLE: preset, "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False"}


def serve(host: str, port: int, preset: str, *, patience: float = 180.0) -> int:
    """Run the app until interrupted; print its address only once it answers. Returns an exit code."""
    ensure_assets()
    server = subprocess.Popen(command(host, port), env=environment(preset))
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
