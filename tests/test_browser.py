"""End to end in a real headless Chromium: the app served by Solara, driven by Playwright.

Debian's `chromium` (installed by scripts/install-browser, which `make test` runs) is driven through its
executable path, since Playwright cannot download its own browsers here. The server runs on a free
loopback port for the module and is always stopped afterwards.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from conflict_sim.app import PLAY_INTERVAL, RENDER_INTERVAL, VIZ_SCALE
from conflict_sim.viz.assets import ensure_assets
from conflict_sim.viz.server import command, environment

CHROMIUM = Path(os.environ.get("CONFLICT_SIM_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
RESULTS = Path(__file__).resolve().parent.parent / "results"
STEPS = 5

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM}: run scripts/install-browser"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_serving(url: str, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited with code {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer within {timeout} s")


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    """The app served on a free loopback port, as `conflict-sim viz` serves it; stopped afterwards."""
    assert ensure_assets(), "the page's front-end packages are missing and npm could not fetch them"
    port = free_port()
    log = (tmp_path_factory.mktemp("server") / "solara.log").open("w")
    server = subprocess.Popen(
        command("127.0.0.1", port), env=environment("chengzhong"), stdout=log, stderr=subprocess.STDOUT
    )
    try:
        url = f"http://127.0.0.1:{port}/"
        wait_until_serving(url, server)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


@pytest.fixture(scope="module")
def page(app_url):
    """A fresh Chromium page on the app, with the controls loaded."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            tab = browser.new_page(viewport={"width": 1600, "height": 1100})
            tab.goto(app_url)
            tab.get_by_role("button", name="Step").wait_for(timeout=60_000)
            yield tab
        finally:
            browser.close()


def day(page) -> int:
    """The day on the run panel's counter."""
    title = page.locator(".v-card__title", has_text=re.compile(r"^Day \d+$")).first.inner_text()
    return int(title.split()[1])


def charts_drawn(page) -> list[str]:
    """Every Vega chart on the page as a PNG data URL of its canvas (the map first)."""
    return page.eval_on_selector_all(".vega-embed canvas.marks", "cs => cs.map(c => c.toDataURL())")


def test_stepping_in_the_browser_moves_the_counter_and_redraws_the_charts(page, tmp_path):
    """Pressing Step five times shows day 5, redraws the district map and draws all six live charts."""
    assert day(page) == 0
    page.wait_for_function("document.querySelectorAll('.vega-embed canvas.marks').length >= 1", timeout=30_000)
    map_before = charts_drawn(page)[0]
    for n in range(1, STEPS + 1):
        page.get_by_role("button", name="Step").click()
        page.get_by_text(f"Day {n}", exact=True).wait_for(timeout=30_000)
    assert day(page) == STEPS
    page.wait_for_function("document.querySelectorAll('.vega-embed canvas.marks').length >= 7", timeout=30_000)
    page.wait_for_timeout(1_000)  # Vega redraws after a short debounce
    drawn = charts_drawn(page)
    assert len(drawn) == 7 and drawn[0] != map_before
    screenshot = tmp_path / "app.png"
    page.screenshot(path=str(screenshot))
    RESULTS.mkdir(exist_ok=True)
    shutil.copy(screenshot, RESULTS / "app-screenshot.png")
    assert screenshot.stat().st_size > 50_000


def test_playing_runs_days_until_paused_and_reports_the_speed(page):
    """Play advances the model on its own until paused; the days per second are recorded in results/."""
    start, started = day(page), time.monotonic()
    page.get_by_role("button", name="▶").click()
    time.sleep(8)
    page.get_by_role("button", name="❚❚").click()
    seconds = time.monotonic() - started
    page.get_by_role("button", name="Step").wait_for(timeout=30_000)
    time.sleep(0.5)
    days = day(page) - start
    assert days >= 3
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "browser-speed.txt").write_text(
        f"{days} simulated days in {seconds:.1f} s of Play = {days / seconds:.2f} steps/s "
        f"(households per agent {VIZ_SCALE}, play interval {PLAY_INTERVAL} ms, "
        f"render interval {RENDER_INTERVAL})\n"
    )
