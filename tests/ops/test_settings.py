"""The operations settings: webhook mode, the health and metrics server, the log format."""

from __future__ import annotations

import re

import pytest
from pydantic import ValidationError

from bot.config import Settings
from tests.support.botapi import TEST_TOKEN
from tests.support.paths import ROOT

SECRET = "s3cret_token-ABC"


def settings(**env: str) -> Settings:
    return Settings(_env_file=None, BOT_TOKEN=TEST_TOKEN, **env)  # type: ignore[call-arg]


def refusal(**env: str) -> str:
    with pytest.raises(ValidationError) as caught:
        settings(**env)
    return str(caught.value)


def test_without_webhook_url_the_bot_polls_and_serves_no_metrics() -> None:
    s = settings()
    assert s.webhook_url is None
    assert s.metrics_listen is None
    assert s.log_format == "text"
    assert s.webhook_listen == ("0.0.0.0", 8080)


def test_empty_values_mean_not_set() -> None:
    s = settings(WEBHOOK_URL="", WEBHOOK_SECRET="", METRICS_LISTEN=" ", WEBHOOK_LISTEN="")
    assert s.webhook_url is None and s.webhook_secret is None and s.metrics_listen is None
    assert s.webhook_listen == ("0.0.0.0", 8080)


def test_an_https_webhook_url_with_a_secret_is_accepted() -> None:
    s = settings(
        WEBHOOK_URL="https://bot.example.com/tg/hook",
        WEBHOOK_SECRET=SECRET,
        WEBHOOK_LISTEN="127.0.0.1:8443",
    )
    assert s.webhook_url == "https://bot.example.com/tg/hook"
    assert s.webhook_secret == SECRET
    assert s.webhook_listen == ("127.0.0.1", 8443)
    assert s.webhook_path == "/tg/hook"


def test_a_webhook_url_without_a_path_is_served_at_the_root() -> None:
    s = settings(WEBHOOK_URL="https://bot.example.com", WEBHOOK_SECRET=SECRET)
    assert s.webhook_path == "/"


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:8080/hook", "http://localhost/hook", "http://[::1]:9000/"],
)
def test_plain_http_is_accepted_only_for_a_loopback_host(url: str) -> None:
    assert settings(WEBHOOK_URL=url, WEBHOOK_SECRET=SECRET).webhook_url == url


@pytest.mark.parametrize(
    "url",
    ["http://bot.example.com/hook", "http://10.0.0.5/hook", "ftp://bot.example.com/", "hook"],
)
def test_a_webhook_url_telegram_would_refuse_is_refused_at_start(url: str) -> None:
    assert "WEBHOOK_URL" in refusal(WEBHOOK_URL=url, WEBHOOK_SECRET=SECRET)


def test_webhook_mode_without_a_secret_is_refused() -> None:
    message = refusal(WEBHOOK_URL="https://bot.example.com/hook")
    assert "WEBHOOK_SECRET" in message


@pytest.mark.parametrize("secret", ["has space", "ünïcode", "x" * 257, "semi;colon"])
def test_a_secret_telegram_would_refuse_is_refused(secret: str) -> None:
    message = refusal(WEBHOOK_URL="https://bot.example.com/hook", WEBHOOK_SECRET=secret)
    assert "WEBHOOK_SECRET" in message


@pytest.mark.parametrize("path", ["/healthz", "/metrics"])
def test_a_webhook_path_that_clashes_with_the_ops_endpoints_on_one_address_is_refused(
    path: str,
) -> None:
    message = refusal(
        WEBHOOK_URL=f"https://bot.example.com{path}",
        WEBHOOK_SECRET=SECRET,
        WEBHOOK_LISTEN="0.0.0.0:8080",
        METRICS_LISTEN="0.0.0.0:8080",
    )
    assert "WEBHOOK_URL" in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0.0.0.0:9100", ("0.0.0.0", 9100)),
        ("localhost:1", ("localhost", 1)),
        ("[::]:9100", ("::", 9100)),
        (":9100", ("0.0.0.0", 9100)),
    ],
)
def test_listen_addresses_are_host_and_port(text: str, expected: tuple[str, int]) -> None:
    assert settings(METRICS_LISTEN=text).metrics_listen == expected


@pytest.mark.parametrize("text", ["9100", "host:", "host:http", "host:70000", "[::1:9100"])
def test_a_listen_address_without_a_valid_port_is_refused(text: str) -> None:
    assert "METRICS_LISTEN" in refusal(METRICS_LISTEN=text)
    assert "WEBHOOK_LISTEN" in refusal(WEBHOOK_LISTEN=text)


def test_log_format_is_text_or_json() -> None:
    assert settings(LOG_FORMAT="JSON").log_format == "json"
    assert "LOG_FORMAT" in refusal(LOG_FORMAT="xml")


def test_the_operations_settings_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("WEBHOOK_URL", "https://bot.example.com/hook")
    monkeypatch.setenv("WEBHOOK_SECRET", SECRET)
    monkeypatch.setenv("WEBHOOK_LISTEN", "127.0.0.1:8443")
    monkeypatch.setenv("METRICS_LISTEN", "[::]:9100")
    monkeypatch.setenv("LOG_FORMAT", "json")
    s = settings()
    assert (s.webhook_listen, s.metrics_listen, s.log_format) == (
        ("127.0.0.1", 8443),
        ("::", 9100),
        "json",
    )


@pytest.mark.parametrize(
    "name", ["WEBHOOK_URL", "WEBHOOK_SECRET", "WEBHOOK_LISTEN", "METRICS_LISTEN", "LOG_FORMAT"]
)
def test_each_operations_setting_is_in_the_example_file_and_its_value_is_valid(
    name: str,
) -> None:
    text = (ROOT / ".env.example").read_text()
    match = re.search(rf"^{name}=(.*)$", text, re.M)
    assert match, f"{name} is not in .env.example"
    settings(**{name: match.group(1)})  # the example's value is accepted as it stands
