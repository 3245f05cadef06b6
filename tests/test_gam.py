"""GAM7, unchanged, against partnerd: tests/gam/scenario.py runs the real `gam` from PyPI
inside a network namespace holding only loopback and a mount namespace of its own
(`unshare -n -m`: its /etc/hosts maps Google's token address to loopback, where an HTTPS
front passes the refresh to partnerd), with its own partnerd on
SQLite (PostgreSQL's TCP port is not in that namespace), configured by `partnerd gam
setup`. GAM is installed by the test command into `.venv-gam/` (its pins differ from the
suite's)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import PARTNERD_BIN, REPO_ROOT

GAM_BIN = REPO_ROOT / ".venv-gam" / "bin" / "gam"
SCENARIO = Path(__file__).resolve().parent / "gam" / "scenario.py"


def test_gam_creates_a_customer_subscription_user_and_licence_unchanged(tmp_path):
    if not GAM_BIN.exists():
        pytest.fail(f"GAM is not installed at {GAM_BIN}: scripts/test installs it (pip install gam7)")
    if shutil.which("unshare") is None or shutil.which("ip") is None:
        pytest.fail("`unshare` (util-linux) and `ip` (iproute2) are needed to cut GAM off the network")
    env = {**os.environ, "PARTNERD_BIN": PARTNERD_BIN, "GAM_BIN": str(GAM_BIN)}
    proc = subprocess.run(["unshare", "-n", "-m", sys.executable, str(SCENARIO), str(tmp_path)],
                          capture_output=True, text=True, timeout=900, env=env)
    report = proc.stdout + proc.stderr
    log = tmp_path / "server.log"
    assert proc.returncode == 0, report + ("\nserver log (tail):\n" + log.read_text()[-4000:] if log.exists() else "")
    assert '"ok": true' in proc.stdout, report
