"""The test run never looks up a name past this machine, nor does any bot it starts."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.offline import OFFLINE_PYTHONPATH, REFUSED_LOG, refused


def test_a_made_up_host_is_refused_at_once_and_named() -> None:
    began = time.monotonic()
    with pytest.raises(socket.gaierror, match=r"tests are offline: q\.example is not looked up"):
        socket.getaddrinfo("q.example", 443)
    assert time.monotonic() - began < 0.5  # no resolver was asked, so none could time out


@pytest.mark.parametrize("host", ["127.0.0.1", "::1", "localhost"])
def test_addresses_and_local_names_still_resolve(host: str) -> None:
    if host == "::1" and not socket.has_ipv6:
        pytest.skip("no IPv6 in this Python")
    assert socket.getaddrinfo(host, 80, type=socket.SOCK_STREAM)


def test_a_process_the_tests_start_is_offline_too_and_says_what_it_tried(tmp_path: Path) -> None:
    log = tmp_path / "refused.log"
    code = (
        "import socket\n"
        "for host in ('127.0.0.1', 'news.example', 'api.telegram.org'):\n"
        "    try:\n"
        "        socket.getaddrinfo(host, 443)\n"
        "    except socket.gaierror as exc:\n"
        "        print(exc)\n"
    )
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": OFFLINE_PYTHONPATH, REFUSED_LOG: str(log)}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert refused(log) == ["news.example", "api.telegram.org"]
    assert "tests are offline: api.telegram.org is not looked up" in done.stdout
