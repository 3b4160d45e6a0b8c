"""Headless Chromium from Debian's packages, driven by Selenium through Debian's chromedriver.

Both paths are given to Selenium, so its Selenium Manager never runs (it would try to
download a driver or a browser). The browser gets no network: every host name fails to
resolve, so a page that needed a file from the internet would fail to draw.
"""

from __future__ import annotations

import base64
import io
import os
import shutil
import subprocess
import time
from pathlib import Path

import numpy as np
import pytest

INSTALL = Path(__file__).with_name("install_chromium.sh")
EXIT_NOT_ROOT = 2  # install_chromium.sh: not root, so apt-get cannot run
INSTALL_TIMEOUT_S = 1200  # apt-get update and install, behind another session's lock

# Records every uncaught script error and rejected promise of a page, from before its own
# scripts run (the browser console's log misses none either, but says less).
ERROR_HOOK = """
window.__pageErrors = [];
window.addEventListener('error', e => window.__pageErrors.push(
    String(e.message || e) + ' at ' + (e.filename || '') + ':' + (e.lineno || '')));
window.addEventListener('unhandledrejection', e => window.__pageErrors.push(
    'unhandled rejection: ' + String(e.reason)));
"""


def chromium_paths() -> tuple[str, str] | None:
    """The browser and driver executables of Debian's chromium and chromium-driver.

    The browser is the binary itself rather than /usr/bin/chromium, Debian's launcher
    script, which adds flags and settings for a desktop session.
    """
    browser = next((p for p in ("/usr/lib/chromium/chromium", shutil.which("chromium"))
                    if p and os.access(p, os.X_OK)), None)
    driver = next((p for p in (shutil.which("chromedriver"), "/usr/lib/chromium/chromedriver")
                   if p and os.access(p, os.X_OK)), None)
    return (browser, driver) if browser and driver else None


def ensure_chromium() -> tuple[str, str]:
    """Browser and driver paths, installing both with apt-get first where root can.

    Skips the calling test only where neither is installed and this is not root; fails
    where apt-get fails as root.
    """
    paths = chromium_paths()
    if paths is not None:
        return paths
    try:
        run = subprocess.run(["bash", str(INSTALL)], capture_output=True, text=True,
                             timeout=INSTALL_TIMEOUT_S)
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"{INSTALL.name} took over {INSTALL_TIMEOUT_S} s:\n{exc.stderr}")
    if run.returncode == EXIT_NOT_ROOT:
        pytest.skip("no headless browser: Debian's chromium and chromium-driver are not "
                    "installed, and only root can install them (apt-get install chromium "
                    "chromium-driver)")
    if run.returncode != 0:
        pytest.fail(f"{INSTALL.name} failed ({run.returncode}):\n{run.stdout}\n{run.stderr}")
    paths = chromium_paths()
    if paths is None:
        pytest.fail(f"{INSTALL.name} succeeded, yet chromium or chromedriver is missing")
    return paths


def start_driver(browser: str, driver: str):
    """A headless Chromium session without network, its console log kept."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for argument in (
        "--headless=new",
        "--no-sandbox",  # root in a container has no user namespaces for the sandbox
        "--disable-dev-shm-usage",
        # WebGL (plotly's 3-D scenes) on the CPU: this machine has no GPU
        "--use-angle=swiftshader",
        "--enable-unsafe-swiftshader",
        "--host-resolver-rules=MAP * ~NOTFOUND",
        "--window-size=1600,1800",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    session = webdriver.Chrome(service=Service(executable_path=driver), options=options)
    session.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": ERROR_HOOK})
    return session


def open_page(session, path: Path, size: tuple[int, int]) -> list[dict]:
    """Load a local page in a window of ``size`` (width, height in CSS px); returns the
    console entries it logged while loading."""
    session.get_log("browser")  # what earlier pages logged
    session.set_window_size(*size)
    session.get(path.resolve().as_uri())
    return session.get_log("browser")


PLOT_STATE = """
const graph = document.querySelector('.js-plotly-plot');
if (!graph || !graph._fullLayout) { return null; }
const layout = graph._fullLayout;
const scenes = Object.keys(layout).filter(k => /^scene\\d*$/.test(k)).map(k => {
    const scene = layout[k]._scene;
    const box = scene && scene.container ? scene.container.getBoundingClientRect() : null;
    return {id: k, drawn: !!(scene && scene.glplot && scene.glplot.canvas),
            box: box ? [box.left, box.top, box.width, box.height] : null};
});
return {
    id: graph.id,
    size: [layout.width, layout.height],
    scenes: scenes,
    // meta and legend group as the page gives them (plotly keeps neither for a hidden
    // trace); type, panel, visibility and the decoded coordinates as plotly drew them
    traces: graph._fullData.map((t, i) => ({
        meta: graph.data[i].meta, legendgroup: graph.data[i].legendgroup,
        type: t.type, scene: t.scene || null, visible: t.visible,
        n: [t.x ? t.x.length : -1, t.y ? t.y.length : -1, t.z ? t.z.length : -1]})),
    errors: window.__pageErrors,
    external: Array.from(document.querySelectorAll('script[src], link[href]'))
        .map(e => e.src || e.href).filter(u => /^https?:/.test(u)),
    resources: performance.getEntriesByType('resource').map(e => e.name)
        .filter(u => !/^(file|data|blob):/.test(u)),
    webglMessage: document.body.innerText.includes('WebGL is not supported'),
};
"""


def plot_state(session) -> dict | None:
    """What plotly drew on the page: its scenes, traces (meta, type, point counts),
    script errors and any resource it asked for outside the file itself."""
    return session.execute_script(PLOT_STATE)


def ink_per_box(session, boxes: list[list[float]]) -> list[int]:
    """Pixels of each box of the window's screenshot that a trace could have drawn.

    Ink is a strongly coloured pixel (max - min channel > 80) or a near-black one (every
    channel < 40): plotly's scene background, grid and axis titles are pale or
    grey-blue, so an empty scene has next to none.
    """
    from PIL import Image

    png = base64.b64decode(session.get_screenshot_as_base64())
    image = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    scale = session.execute_script("return window.devicePixelRatio") or 1
    counts = []
    for left, top, width, height in boxes:
        x0, y0 = round(left * scale), round(top * scale)
        part = image[y0:y0 + round(height * scale), x0:x0 + round(width * scale)]
        ink = ((part.max(-1) - part.min(-1)) > 80) | (part.max(-1) < 40)
        counts.append(int(ink.sum()))
    return counts


def click_button(session, label: str, settle_s: float = 1.0) -> None:
    """Click the plotly button (an updatemenu's) whose text is ``label``."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    for button in session.find_elements(By.CSS_SELECTOR, ".updatemenu-button"):
        if button.text.strip() == label:
            ActionChains(session).move_to_element(button).click().perform()
            time.sleep(settle_s)  # plotly redraws the scenes after the event
            return
    raise AssertionError(f"no button {label!r} on the page")


def click_legend_entry(session, index: int, settle_s: float = 1.0) -> None:
    """Click the ``index``-th legend entry (plotly toggles its legend group)."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    entry = session.find_elements(By.CSS_SELECTOR, ".legend .traces")[index]
    ActionChains(session).move_to_element(entry).click().perform()
    time.sleep(settle_s)
