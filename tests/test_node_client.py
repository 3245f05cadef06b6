"""The Node suite (tests/node/): Google's official Node.js client against partnerd.

googleapis and google-auth-library, at the versions tests/node/package-lock.json
pins, drive the server that the ``partnerd`` fixture started (SQLite, and
PostgreSQL when PARTNERD_TEST_POSTGRES_URL is set): the token exchange, customers,
the Directory customer's language, users and makeAdmin, subscriptions through the
ToS, paging, changeSeats, licence assignments, the read-only scope and foreign
subjects. This test hands the server, reseller A's key file and the admins to
``node --test`` through environment variables and fails with Node's report.

The packages are installed by ``npm ci --prefix tests/node --no-audit --no-fund``
(scripts/test does it).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

NODE_DIR = Path(__file__).resolve().parent / "node"
NODE_TIMEOUT = 300
NPM_CI = "npm ci --prefix tests/node --no-audit --no-fund"
PINNED = ("googleapis", "google-auth-library")


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.fail("`node` (Node.js 20 or later) is not on PATH; the Node client suite needs it")
    out = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
    m = re.fullmatch(r"v(\d+)\..*", out)
    if not m or int(m.group(1)) < 20:
        pytest.fail(f"the Node client suite needs Node.js 20 or later; `node --version` says {out!r}")
    return node


def _check_installed() -> None:
    """node_modules must hold exactly what the committed lock file pins."""
    lock = json.loads((NODE_DIR / "package-lock.json").read_text(encoding="utf-8"))
    for name in PINNED:
        manifest = NODE_DIR / "node_modules" / name / "package.json"
        if not manifest.is_file():
            pytest.fail(f"{manifest.parent} is missing: install the Node suite's packages with `{NPM_CI}`")
        installed = json.loads(manifest.read_text(encoding="utf-8"))["version"]
        locked = lock["packages"][f"node_modules/{name}"]["version"]
        if installed != locked:
            pytest.fail(f"{name} {installed} is installed but package-lock.json pins {locked}: run `{NPM_CI}`")


def test_node_client_suite(partnerd):
    node = _node()
    _check_installed()
    env = dict(os.environ)
    env.update({
        "PARTNERD_URL": partnerd.base_url,
        "PARTNERD_CONTROL_TOKEN": partnerd.control_token,
        "PARTNERD_KEY_FILE": partnerd.a["keyfile"],
        "PARTNERD_ADMIN_EMAIL": partnerd.a["adminEmail"],
        "PARTNERD_OTHER_ADMIN_EMAIL": partnerd.b["adminEmail"],
        "NO_COLOR": "1",
    })
    try:
        proc = subprocess.run(
            # Every *.test.js under tests/node (node_modules excluded), one
            # file at a time: light on a two-core machine, and the file that
            # moves the platform clock cannot overlap another.
            [node, "--test", "--test-concurrency=1", "--test-reporter=spec"],
            cwd=NODE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=NODE_TIMEOUT,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired as e:
        pytest.fail(
            f"the Node suite did not finish within {NODE_TIMEOUT}s\n"
            f"output:\n{e.stdout or ''}\n{e.stderr or ''}\nserver log:\n{partnerd.server_log()}"
        )
    report = proc.stdout + ("\n" + proc.stderr if proc.stderr.strip() else "")
    print(report)  # shown with `pytest -rP`
    if proc.returncode != 0:
        pytest.fail(
            f"`node --test tests/node` failed ({partnerd.backend}, exit {proc.returncode}):\n{report}\n"
            f"server log (tail):\n{partnerd.server_log()[-5000:]}",
            pytrace=False,
        )
    # Exit 0 alone would also pass a run that found no test file: every
    # top-level test() of tests/node/*.test.js must have run and passed.
    declared = sum(
        len(re.findall(r"^test\(", f.read_text(encoding="utf-8"), re.MULTILINE))
        for f in NODE_DIR.glob("*.test.js")
    )
    counts = {k: int(v) for k, v in re.findall(r"^ℹ (tests|pass|fail) (\d+)$", proc.stdout, re.MULTILINE)}
    assert declared > 0, f"no test() in {NODE_DIR}/*.test.js"
    assert counts == {"tests": declared, "pass": declared, "fail": 0}, (
        f"expected {declared} Node tests to run and pass, got {counts}:\n{report}"
    )
