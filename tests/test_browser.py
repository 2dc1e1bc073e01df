"""End to end in a real headless Chromium: the app served by Solara, driven by Playwright.

Debian's `chromium` (installed by scripts/install-browser, which `make test` runs) is driven through its
executable path, since Playwright cannot download its own browsers here. The server runs on a free
loopback port for the module and is always stopped afterwards. Speeds measured here are written to
results/ (not asserted beyond a floor: a loaded machine must not fail the suite); docs/app.md quotes them.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import statistics
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from conflict_sim.app import PLAY_INTERVAL, RENDER_INTERVAL, VIZ_SCALE
from conflict_sim.viz.assets import ensure_assets
from conflict_sim.viz.server import command, environment
from tests.stored_results import stored_comparison, stored_sweep

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
def server_log(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("server") / "solara.log"


@pytest.fixture(scope="module")
def app_url(server_log):
    """The app served on a free loopback port, as `conflict-sim viz` serves it; stopped afterwards."""
    assert ensure_assets(), "the page's front-end packages are missing and npm could not fetch them"
    port = free_port()
    log = server_log.open("w")
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
def browser():
    """Headless Chromium for the module."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def open_app(browser, url: str):
    tab = browser.new_page(viewport={"width": 1600, "height": 1100})
    tab.goto(url)
    tab.get_by_role("button", name="Step").wait_for(timeout=60_000)
    return tab


@pytest.fixture(scope="module")
def page(browser, app_url):
    """A Chromium page on the app, with the controls loaded (shared by the live-page tests, in order)."""
    tab = open_app(browser, app_url)
    yield tab
    tab.close()


def day(page) -> int:
    """The day on the run panel's counter."""
    title = page.locator(".v-card__title", has_text=re.compile(r"^Day \d+$")).first.inner_text()
    return int(title.split()[1])


def charts_drawn(page) -> list[str]:
    """Every Vega chart on the page as a PNG data URL of its canvas (the map first)."""
    return page.eval_on_selector_all(".vega-embed canvas.marks", "cs => cs.map(c => c.toDataURL())")


def test_stepping_in_the_browser_moves_the_counter_and_redraws_the_charts(page, tmp_path):
    """Pressing Step five times shows day 5 x the render interval (Mesa's Step runs that many days),
    redraws the district map and draws all six live charts; the tabs have names, not numbers."""
    assert day(page) == 0
    assert page.get_by_role("tab", name="District and live charts").is_visible()
    assert page.get_by_role("tab", name="Side by side").is_visible()
    assert not page.get_by_text(re.compile(r"^Page \d$")).count()
    page.wait_for_function("document.querySelectorAll('.vega-embed canvas.marks').length >= 1", timeout=30_000)
    map_before = charts_drawn(page)[0]
    for n in range(1, STEPS + 1):
        page.get_by_role("button", name="Step").click()
        page.get_by_text(f"Day {n * RENDER_INTERVAL}", exact=True).wait_for(timeout=30_000)
    assert day(page) == STEPS * RENDER_INTERVAL
    page.wait_for_function("document.querySelectorAll('.vega-embed canvas.marks').length >= 7", timeout=30_000)
    page.wait_for_timeout(1_000)  # the charts draw as the browser gets to them
    drawn = charts_drawn(page)
    assert len(drawn) == 7 and drawn[0] != map_before
    screenshot = tmp_path / "app.png"
    page.screenshot(path=str(screenshot))
    RESULTS.mkdir(exist_ok=True)
    shutil.copy(screenshot, RESULTS / "app-screenshot.png")
    assert screenshot.stat().st_size > 50_000


def test_the_server_says_nothing_about_cookies(page, server_log):
    """Loading the page over http on 127.0.0.1 leaves no session-cookie warning in the server's output."""
    page.reload()
    page.get_by_role("button", name="Step").wait_for(timeout=60_000)
    assert "samesite" not in server_log.read_text().lower()


def test_playing_runs_days_until_paused_and_reports_the_speed(page):
    """Play at the default intervals advances the model on its own until paused; the days per second are
    recorded in results/ (docs/app.md quotes them; the floor here only catches a page that does not play)."""
    start, started = day(page), time.monotonic()
    page.get_by_role("button", name="▶").click()
    time.sleep(8)
    page.get_by_role("button", name="❚❚").click()
    seconds = time.monotonic() - started
    page.get_by_role("button", name="Step").wait_for(timeout=30_000)
    time.sleep(0.5)
    days = day(page) - start
    assert days >= 3 * RENDER_INTERVAL
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "browser-speed.txt").write_text(
        f"{days} simulated days in {seconds:.1f} s of Play = {days / seconds:.2f} days/s "
        f"(households per agent {VIZ_SCALE}, play interval {PLAY_INTERVAL} ms, "
        f"render interval {RENDER_INTERVAL})\n"
    )


# One click on Step, timed in the page: from the click to the counter showing the next day, and to the
# last chart drawn (each chart stamps `data-drawn` on its container when it has drawn new data). The next
# click comes once the page is idle again: all seven charts drawn and 0.2 s more, or 1.5 s after the click
# at most (should a chart have had nothing new to draw), so each step is timed from an idle page.
CHARTS = 7  # the district map and the six live charts
TIME_ONE_STEP = """async ([next, charts]) => {
    const step = [...document.querySelectorAll('button')].find(b => b.textContent.trim() === 'Step');
    const redrawn = new Set();
    let last = 0, allDrawn;
    const everyChart = new Promise(resolve => { allDrawn = resolve; });
    const drawn = new MutationObserver(records => {
        last = performance.now();
        records.forEach(r => redrawn.add(r.target));
        if (redrawn.size >= charts) allDrawn();
    });
    drawn.observe(document.body, {subtree: true, attributes: true, attributeFilter: ['data-drawn']});
    const start = performance.now();
    const counter = await new Promise(resolve => {
        const shown = () => [...document.querySelectorAll('.v-card__title')].some(e => e.textContent.trim() === next);
        const watch = new MutationObserver(() => { if (shown()) { watch.disconnect(); resolve(performance.now()); } });
        watch.observe(document.body, {childList: true, subtree: true, characterData: true});
        step.click();
    });
    const cap = new Promise(resolve => setTimeout(resolve, Math.max(0, start + 1500 - performance.now())));
    await Promise.race([everyChart.then(() => new Promise(resolve => setTimeout(resolve, 200))), cap]);
    drawn.disconnect();
    return [counter - start, last ? last - start : null, redrawn.size];
}"""


def test_one_step_at_render_interval_one_is_timed_in_the_browser(page):
    """With the render interval at 1, each Step shows the next day; the time from the click to the new
    day on the page (and to the charts redrawn) over ten idle steps goes to results/browser-step.txt."""
    page.get_by_role("slider", name="Render Interval (steps)").focus()
    page.keyboard.press("Home")  # the slider's minimum: 1
    page.get_by_text("Render Interval (steps)").wait_for()
    first = day(page)
    timings = [page.evaluate(TIME_ONE_STEP, [f"Day {first + n}", CHARTS]) for n in range(1, 11)]
    assert day(page) == first + 10
    counter = [t[0] for t in timings]
    charts = [t[1] for t in timings if t[1] is not None]
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "browser-step.txt").write_text(
        f"Step at render interval 1, 10 clicks, each once the page is idle (the {CHARTS} charts drawn, at most "
        f"1.5 s after the previous click; {min(t[2] for t in timings)} to {max(t[2] for t in timings)} charts "
        f"redrawn a step): click to next day shown median "
        f"{statistics.median(counter):.0f} ms (min {min(counter):.0f}, max {max(counter):.0f}); click to the "
        f"last of the {CHARTS} charts drawn median {statistics.median(charts) if charts else float('nan'):.0f} ms "
        f"(households per agent {VIZ_SCALE})\n"
    )


# --- the results explorer ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    """A stored comparison (the model on tiny) and a stored Sobol sweep (the stand-in), written by the engine."""
    folder = tmp_path_factory.mktemp("stored")
    return {"comparison": stored_comparison(folder / "compare"), "sweep": stored_sweep(folder / "sweep")}


@pytest.fixture(scope="module")
def explorer_page(browser, app_url):
    """The app in a second page, on its results explorer tab."""
    tab = open_app(browser, app_url)
    tab.get_by_role("tab", name="Results explorer").click()
    tab.get_by_label("Results folder").wait_for(timeout=30_000)
    yield tab
    tab.close()


def open_folder(page, folder: Path) -> None:
    box = page.get_by_label("Results folder")
    box.fill(str(folder))
    box.press("Enter")


def figure_shown(page, title: str) -> None:
    """A figure with this title is on the page and its image has loaded."""
    page.get_by_role("heading", name=title, exact=True).wait_for(timeout=60_000)
    page.wait_for_function(
        """(title) => [...document.querySelectorAll('.explorer-figure')].some(f =>
            f.querySelector('h3')?.textContent === title && f.querySelector('img')?.naturalWidth > 300)""",
        arg=title,
        timeout=60_000,
    )


def test_the_explorer_opens_a_stored_comparison_and_draws_each_view(explorer_page, stored, tmp_path):
    """A comparison folder opens on its arms and paired differences; every other view draws when chosen."""
    open_folder(explorer_page, stored["comparison"])
    figure_shown(explorer_page, "Outcome distributions")
    figure_shown(explorer_page, "Paired differences against baseline")
    for view, title in [
        ("Daily series of a run", "Daily series of one replication"),
        ("Course of an outcome", "Course over time"),
    ]:
        explorer_page.get_by_role("button", name=view).click()
        figure_shown(explorer_page, title)
    explorer_page.get_by_role("button", name="Manifest").click()
    explorer_page.get_by_role("heading", name="Manifest", exact=True).wait_for(timeout=30_000)
    assert explorer_page.get_by_text('"root_seed": 1').count()
    explorer_page.screenshot(path=str(tmp_path / "explorer.png"))
    assert (tmp_path / "explorer.png").stat().st_size > 20_000


def test_the_explorer_opens_a_stored_sweep_and_draws_each_view(explorer_page, stored):
    """A Sobol sweep opens on an outcome against a parameter; arms, a run, the course and its Sobol
    indices draw when chosen; the PNG download is the report's figure file."""
    open_folder(explorer_page, stored["sweep"])
    figure_shown(explorer_page, "Outcomes by office_quality")
    for view, title in [
        ("Arms and paired differences", "Paired differences against baseline"),
        ("Daily series of a run", "Daily series of one replication"),
        ("Course of an outcome", "Course over time"),
        ("Sensitivity indices", "Sobol sensitivity indices"),
    ]:
        explorer_page.get_by_role("button", name=view).click()
        figure_shown(explorer_page, title)
    with explorer_page.expect_download(timeout=30_000) as download:
        explorer_page.get_by_role("button", name="PNG").first.click()
    saved = download.value.path()
    assert download.value.suggested_filename == "office_sweep-sobol.png"
    assert saved.read_bytes().startswith(b"\x89PNG")
    explorer_page.screenshot(path=str(RESULTS / "explorer-screenshot.png"))
