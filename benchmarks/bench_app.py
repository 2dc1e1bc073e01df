"""The browser app's own cost per simulated day, in-process: one Step plus the redraw of the whole page.

The page (`conflict_sim.app.Page`, sidebar and all) is rendered with `solara.render`, as the tests do,
at the default sample (Chengzhong, 20 households per agent) and render interval 1; each click on Step
runs one day and redraws the run panel, the district map and the six live charts. Timed at three
ages of the run (the model is moved on between them without drawing), against references measured
in the same run: the model's own step; the live charts' series (`viz.live`) against
`PetitionModel.daily()`, which they replace; the district map's spec; and the same clicks with
Reacton's default renderer (REACTON_FAST=0, a second process), which walks the whole page on every
redraw.

    python benchmarks/bench_app.py                  # 30 clicks at days 1, 365 and 1,095
    python benchmarks/bench_app.py --clicks 50
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

AGES = (0, 365, 1095)  # days already run when the clicks start

CLICKS = """
import json, statistics, sys, time
import ipyvuetify as v
import solara
from conflict_sim import app

clicks, ages = int(sys.argv[1]), json.loads(sys.argv[2])
model = solara.reactive(app.InteractiveModel())
page = solara.AppLayout(children=[app.Workbench(model, app.DEFAULT_PRESET, render_interval=1)])
_box, rc = solara.render(page, handle_error=False)
step = next(b for b in rc.find(v.Btn) if b.widget.children == ["Step"])
out = {}
for age in ages:
    model.value.run_for(age - int(model.value.time))  # move on without drawing
    page_times = []
    for _ in range(clicks):
        start = time.perf_counter()
        step.widget.click()
        page_times.append(time.perf_counter() - start)
    assert rc.find(v.CardTitle, children=[f"Day {int(model.value.time)}"]).widgets
    out[age] = statistics.median(page_times)
print(json.dumps(out))
"""


def page_clicks(clicks: int, fast: str) -> dict[str, float]:
    """Median seconds per Step click at each age, in a fresh process with REACTON_FAST=`fast`."""
    env = {**os.environ, "REACTON_FAST": fast}
    result = subprocess.run(
        [sys.executable, "-c", CLICKS, str(clicks), json.dumps(list(AGES))],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def parts(clicks: int) -> dict[int, dict[str, float]]:
    """Per age: the model's step, the live series and `daily()`, the district map spec (medians, s)."""
    from conflict_sim.app import InteractiveModel
    from conflict_sim.viz.district_map import district_spec
    from conflict_sim.viz.live import LiveSeries

    model = InteractiveModel()
    live = LiveSeries(model)
    found = {}
    for age in AGES:
        model.run_for(age - int(model.time))
        live.refresh()
        timing: dict[str, list[float]] = {"model step": [], "live series": [], "daily()": [], "map spec": []}
        for _ in range(clicks):
            for name, work in (
                ("model step", model.step),
                ("live series", live.refresh),
                ("map spec", lambda: district_spec(model)),
            ):
                start = time.perf_counter()
                work()
                timing[name].append(time.perf_counter() - start)
        for _ in range(max(3, clicks // 10)):
            start = time.perf_counter()
            model.daily()
            timing["daily()"].append(time.perf_counter() - start)
        found[age] = {name: statistics.median(values) for name, values in timing.items()}
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clicks", type=int, default=30)
    args = parser.parse_args()
    fast, default = page_clicks(args.clicks, "1"), page_clicks(args.clicks, "0")
    pieces = parts(args.clicks)
    print(
        f"{'day':>6} {'Step + redraw':>14} {'(Reacton default)':>18} {'model step':>11} {'live series':>12} "
        f"{'daily()':>9} {'map spec':>9}"
    )
    for age in AGES:
        p = pieces[age]
        print(
            f"{age + 1:>6} {fast[str(age)] * 1000:>11.1f} ms {default[str(age)] * 1000:>15.1f} ms "
            f"{p['model step'] * 1000:>8.1f} ms {p['live series'] * 1000:>9.2f} ms {p['daily()'] * 1000:>6.1f} ms "
            f"{p['map spec'] * 1000:>6.1f} ms"
        )
    worst = max(fast.values())
    ratios = [default[str(a)] / fast[str(a)] for a in AGES]
    print(
        f"Step + redraw at render interval 1: at most {worst * 1000:.0f} ms (target <= 50 ms); Reacton's default "
        f"renderer is {min(ratios):.1f}-{max(ratios):.1f}x slower; the model's own step is "
        f"{max(pieces[a]['model step'] / fast[str(a)] for a in AGES):.0%} of the time at most"
    )


if __name__ == "__main__":
    main()
