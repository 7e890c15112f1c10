"""`python -m bot healthcheck`, the container's HEALTHCHECK: 0 only when /healthz says 200."""

from __future__ import annotations

import asyncio
import socket

import pytest
from aiohttp import web

from bot.cli import main
from bot.healthprobe import healthz_url, probe
from tests.ops.ops_kit import serving


def routes(status: int) -> list[web.RouteDef]:
    async def healthz(request: web.Request) -> web.Response:
        return web.json_response({"status": "x", "failed": ["telegram"]}, status=status)

    return [web.get("/healthz", healthz)]


@pytest.mark.parametrize(
    ("listen", "url"),
    [
        ("0.0.0.0:9100", "http://127.0.0.1:9100/healthz"),
        ("[::]:9100", "http://[::1]:9100/healthz"),
        ("10.1.2.3:9100", "http://10.1.2.3:9100/healthz"),
        (":9100", "http://127.0.0.1:9100/healthz"),
    ],
)
def test_the_probe_asks_the_address_the_bot_listens_on(listen: str, url: str) -> None:
    assert healthz_url(listen) == url


@pytest.mark.parametrize(("status", "code"), [(200, 0), (503, 1)])
async def test_the_exit_code_follows_the_answer(
    status: int, code: int, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    async with serving(routes(status)) as url:
        monkeypatch.setenv("METRICS_LISTEN", url.removeprefix("http://"))
        assert await asyncio.to_thread(main, ["healthcheck"]) == code
    assert '"failed": ["telegram"]' in capsys.readouterr().out


def test_no_server_or_no_setting_is_unhealthy(monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    assert probe(f"127.0.0.1:{port}", timeout=2) == 1
    assert probe(None) == 1
    assert probe("nonsense") == 1
