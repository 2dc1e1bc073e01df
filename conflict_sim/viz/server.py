"""Serving the app: `conflict-sim viz` starts Solara's server on the app module and prints where it is."""

from __future__ import annotations

import os
import subprocess
import sys

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


def serve(host: str, port: int, preset: str) -> int:
    """Run the app until interrupted; returns the server's exit code."""
    ensure_assets()
    print(f"conflict-sim viz: open http://{host}:{port}/ (preset {preset}; Ctrl-C stops)", flush=True)
    try:
        return subprocess.call(command(host, port), env=environment(preset))
    except KeyboardInterrupt:
        return 0
