"""Fixtures of the browser suite: one headless Debian Chromium per test session, a fresh
browser context (cookies, language) per test, and ``shot``, which every test calls on
every screen it visits: it saves a full-page screenshot under
``test-output/screenshots/<test>/<n>-<name>.png`` and runs an axe-core scan that must
find no serious or critical violation.

Chromium comes from Debian (``apt-get install chromium fonts-noto-cjk``; ``.ci/run``
installs both): ``playwright install`` cannot download browsers on these machines.
Without /usr/bin/chromium the suite fails, saying so.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("PARTNERD_CHROMIUM", "/usr/bin/chromium")
REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO_ROOT / "test-output" / "screenshots"
# axe-core impacts that fail a page (the others — minor, moderate — are reported by axe
# but not fatal here).
FATAL_IMPACTS = ("serious", "critical")


@pytest.fixture(scope="session")
def playwright_driver():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as e:  # pragma: no cover - environment problem
        pytest.fail(f"Playwright for Python is not installed ({e}); pip install -r tests/requirements.txt")
    driver = sync_playwright().start()
    try:
        yield driver
    finally:
        driver.stop()


@pytest.fixture(scope="session")
def browser(playwright_driver):
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: the browser suite drives Debian's Chromium "
            "(apt-get install chromium fonts-noto-cjk; .ci/run installs both). "
            "`playwright install` cannot download browsers here."
        )
    browser = playwright_driver.chromium.launch(
        executable_path=CHROMIUM,
        args=["--no-sandbox", "--disable-background-networking"],
    )
    try:
        yield browser
    finally:
        browser.close()


@pytest.fixture
def new_page(browser, partnerd):
    """new_page(lang="en") -> a page in a fresh context (its own cookies) whose browser
    announces the language ``lang`` (Accept-Language through Playwright's ``locale``)
    and whose relative URLs go to the test's server. Contexts close after the test."""
    from browser.web import LOCALES

    contexts = []

    def make(lang: str = "en", *, base_url: str | None = None):
        context = browser.new_context(
            locale=LOCALES.get(lang, lang),
            base_url=base_url or partnerd.base_url,
            viewport={"width": 1280, "height": 800},
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def _test_dir(request) -> Path:
    module = Path(str(request.node.fspath)).stem
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", f"{module}.{request.node.name}").strip("-")
    return SCREENSHOTS / name


def axe_violations(page) -> list:
    """axe-core's serious and critical violations on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [v for v in results.response.get("violations", []) if v.get("impact") in FATAL_IMPACTS]


def describe_violations(violations) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} [{v.get('helpUrl', '')}]")
        for node in v.get("nodes", [])[:5]:
            lines.append(f"    at {node.get('target')}: {node.get('html', '')[:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"      {summary[:300]}")
    return "\n".join(lines)


@pytest.fixture
def shot(request):
    """shot(page, name): save a screenshot of the screen the page shows now and check it
    with axe-core (no serious or critical violation). Returns the PNG's path."""
    folder = _test_dir(request)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    count = [0]

    def take(page, name: str) -> Path:
        count[0] += 1
        safe = re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-") or "screen"
        path = folder / f"{count[0]:02d}-{safe}.png"
        page.wait_for_load_state("load")
        page.screenshot(path=str(path), full_page=True)
        violations = axe_violations(page)
        assert not violations, (
            f"axe-core found serious or critical accessibility violations on {page.url} "
            f"(screenshot {path}):\n{describe_violations(violations)}"
        )
        return path

    return take


@pytest.fixture(scope="session")
def reseller_for(partnerd):
    """reseller_for(lang) -> a reseller whose account's language (every new user's
    language setting) is ``lang``: reseller "a" for English, for the others a reseller
    made once per server. Signed in, a user's setting wins over Accept-Language, so
    pages in Japanese for a signed-in user need a user whose setting is Japanese."""
    import secrets as _secrets

    made = {}

    def get(lang: str) -> dict:
        if lang == "en":
            return partnerd.a
        if lang not in made:
            label = f"lang-{lang}-{_secrets.token_hex(3)}"
            reseller = partnerd.create_reseller(label, f"{label}.example")
            partnerd.directory(reseller).customers().patch(
                customerKey="my_customer", body={"language": lang}
            ).execute()
            made[lang] = reseller
        return made[lang]

    return get
