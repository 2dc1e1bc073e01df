"""The browser-side packages of a Solara page, mirrored from the npm registry for machines without a CDN.

A Solara page loads its front end (the Vuetify app, RequireJS, Font Awesome) and some widgets' code
(Vega for charts, the grid layout SolaraViz uses) through Solara's `/_solara/cdn` proxy, which fetches
each file from a public CDN on first use and caches it. Where that CDN cannot be reached (CI, closed
networks), `ensure_assets` takes the same packages from the npm registry with `npm pack` and unpacks
them into the proxy's cache, so the proxy never needs to go online. With the files present it does nothing.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from importlib import resources
from pathlib import Path

import ipyvue

# Pages and widgets whose CDN packages the app needs: the page template, charts, SolaraViz's grid layout.
SOURCES = (
    "server/templates/solara.html.j2",
    "widgets/vue/vegalite.vue",
    "widgets/vue/gridlayout.vue",
    "widgets/vue/gridlayout_v3.vue",
)
OWN_TEMPLATE = Path(__file__).with_name("vega_view.vue")  # the app's chart widget loads Vega the same way
PACKAGE_URL = re.compile(r"(?:\{\{cdn\}\}|getCdn\(\)\})/((?:@[\w.-]+/)?[\w.-]+@[\w.-]+)/")


def cache_dir() -> Path:
    """Solara's CDN proxy cache (`SOLARA_ASSETS_PROXY_CACHE_DIR`, by default under the venv)."""
    from solara.server.settings import assets

    return Path(assets.proxy_cache_dir)


def needed() -> list[str]:
    """npm specs (name@version) of every package the app's page asks the proxy for."""
    from solara.server.settings import assets

    solara_files = resources.files("solara")
    texts = [(solara_files / source).read_text() for source in SOURCES]
    texts.append(OWN_TEMPLATE.read_text())
    found = {m for text in texts for m in PACKAGE_URL.findall(text)}
    found.add(assets.fontawesome_path.strip("/").split("/")[0])
    # The template names a Vue 2 and a Vue 3 front end; Solara's server picks one by ipyvue's version.
    vue3 = ipyvue.__version__.startswith("3")
    unused = "@widgetti/solara-vuetify-app@" if vue3 else "@widgetti/solara-vuetify3-app@"
    return sorted(spec for spec in found if not spec.startswith(unused))


def missing(folder: Path | None = None) -> list[str]:
    """Needed packages not yet unpacked in the cache."""
    folder = folder or cache_dir()
    return [spec for spec in needed() if not (folder / spec / "package.json").is_file()]


def ensure_assets(folder: Path | None = None) -> bool:
    """Unpack any missing package into the cache from the npm registry; True when none is missing.

    Without npm, or when the registry fails, it says so on stderr and leaves the fetch to Solara's proxy.
    """
    folder = folder or cache_dir()
    todo = missing(folder)
    npm = shutil.which("npm")
    if not todo or npm is None:
        return not todo
    with tempfile.TemporaryDirectory() as tmp:
        try:
            run = subprocess.run(
                [npm, "pack", "--silent", *todo], cwd=tmp, check=True, timeout=300, capture_output=True, text=True
            )
        except (OSError, subprocess.SubprocessError) as exc:
            print(
                f"conflict-sim: could not fetch {', '.join(todo)} with npm ({exc}); the page "
                "loads only if Solara reaches its CDN",
                file=sys.stderr,
            )
            return False
        for spec, tarball in zip(todo, run.stdout.split(), strict=True):
            _unpack(Path(tmp) / tarball, folder / spec)
    return not missing(folder)


def _unpack(tarball: Path, target: Path) -> None:
    """An npm tarball's `package/` folder becomes `target` (written aside, then renamed)."""
    staging = target.with_name(f".{target.name}.partial")
    shutil.rmtree(staging, ignore_errors=True)
    with tarfile.open(tarball) as tar:
        tar.extractall(staging, filter="data")
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(target, ignore_errors=True)
    (staging / "package").rename(target)
    shutil.rmtree(staging, ignore_errors=True)
