"""What the README promises a new user: `partnerd serve` on an empty database prints the
demo reseller's console address and admin sign-in; following them in a browser leads to
the sign-in page and on to the Partner Sales Console, the Admin console and the Customer
Service Portal, in each of the four languages (chosen with the switcher, since the demo
admin's own language setting is English)."""

from __future__ import annotations

import os
import re
import subprocess
import time

import pytest
import requests

from conftest import PARTNERD_BIN, _free_port
from browser.web import fill_signin, path_of

# The consoles' names in each language: the seeds' words (the catalogues' values).
NAMES = {
    "en": ("Partner Sales Console", "Admin console", "Customer Service Portal", "Change language"),
    "id": ("Konsol Partner Sales", "Konsol Admin", "Portal Layanan Pelanggan", "Ubah bahasa"),
    "fr": ("Console Ventes partenaires", "Console d'administration", "Portail du service client",
           "Changer de langue"),
    "ja": ("パートナー セールス コンソール", "管理コンソール", "カスタマー サービス ポータル", "言語を変更"),
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """`partnerd serve` as the README starts it (embedded SQLite, demo reseller), with
    what it printed."""
    workdir = tmp_path_factory.mktemp("demo")
    port = _free_port()
    out = open(workdir / "stdout.txt", "wb")
    proc = subprocess.Popen(
        [PARTNERD_BIN, "serve", "--listen", f"127.0.0.1:{port}"],
        cwd=workdir, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        env={k: v for k, v in os.environ.items() if not k.startswith("PARTNERD_")},
    )
    try:
        printed = ""
        deadline = time.time() + 60
        while time.time() < deadline:
            printed = (workdir / "stdout.txt").read_text(errors="replace")
            if "admin sign-in:" in printed:
                try:
                    if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2).ok:
                        break
                except requests.RequestException:
                    pass
            time.sleep(0.2)
        console = re.search(r"console:\s+(\S+)", printed)
        sign_in = re.search(r"admin sign-in:\s+(\S+) / (\S+)", printed)
        assert console and sign_in, f"the start-up did not print the console and sign-in:\n{printed}"
        yield {"console": console.group(1), "email": sign_in.group(1), "password": sign_in.group(2)}
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        out.close()


@pytest.mark.parametrize("lang", ["en", "id", "fr", "ja"])
def test_the_printed_sign_in_opens_every_console(demo, browser, shot, lang):
    from browser.web import LOCALES

    context = browser.new_context(locale=LOCALES[lang], viewport={"width": 1280, "height": 800})
    context.set_default_timeout(15_000)
    try:
        page = context.new_page()
        page.goto(demo["console"])
        assert path_of(page.url) == "/signin", page.url
        assert page.locator("html").get_attribute("lang") == lang, "the browser's language"
        shot(page, "signin")
        fill_signin(page, lang, demo["email"], demo["password"])
        assert path_of(page.url) == "/", page.url
        # The demo admin reads English by its setting; the switcher chooses the language.
        page.locator("header select[name=lang]").select_option(lang)
        page.locator("header form.language button").click()
        page.wait_for_load_state("load")
        partner, admin, support, _ = NAMES[lang]
        assert page.locator("html").get_attribute("lang") == lang
        shot(page, "home")
        for name, path in [(partner, "/partner"), (admin, "/admin"), (support, "/support")]:
            page.locator("main").get_by_role("link", name=name, exact=True).click()
            page.wait_for_load_state("load")
            assert path_of(page.url) == path, page.url
            current = page.locator("header nav [aria-current=page]")
            assert current.inner_text().strip() == name, f"{path} is not named {name!r}"
            assert demo["email"] in page.locator("header").inner_text()
            shot(page, path.strip("/"))
            page.go_back()
            page.wait_for_load_state("load")
    finally:
        context.close()
