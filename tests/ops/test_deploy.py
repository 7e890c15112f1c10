"""The deployment files say what the code does: Dockerfile, compose.yaml, the systemd unit.

No Docker engine here, so the files are checked by parsing: their keys against the compose
specification's (schema/compose-spec.json of compose-spec/compose-spec), their settings
against `Settings`, their exit codes against the CLI's; `systemd-analyze verify` checks the
unit where systemd is installed.
"""

from __future__ import annotations

import configparser
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.cli import EXIT_CONFIG, EXIT_IN_USE
from bot.config import Settings, parse_listen
from tests.support.paths import ROOT

UNIT = ROOT / "deploy" / "news-alert-bot.service"
RUNTIME_ENV = {"PATH", "PYTHONUNBUFFERED", "PYTHONDONTWRITEBYTECODE"}

# From the compose specification's JSON schema: top-level keys, and those of a service, of a
# healthcheck (the subset the spec defines; an unknown key is an error in `docker compose`).
COMPOSE_TOP = {
    "version",
    "name",
    "include",
    "services",
    "networks",
    "volumes",
    "secrets",
    "configs",
}
COMPOSE_SERVICE = {
    "build", "cap_add", "cap_drop", "command", "container_name", "depends_on", "deploy",
    "entrypoint", "env_file", "environment", "expose", "healthcheck", "image", "init", "labels",
    "logging", "networks", "ports", "profiles", "read_only", "restart", "security_opt",
    "stop_grace_period", "stop_signal", "tmpfs", "user", "volumes",
}  # fmt: skip
COMPOSE_HEALTHCHECK = {"disable", "interval", "retries", "test", "timeout", "start_period"}
RESTART = {"no", "always", "on-failure", "unless-stopped"}


def setting_names() -> set[str]:
    return {str(f.alias) for f in Settings.model_fields.values() if f.alias}


def dockerfile() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) in order, continuation lines joined, comments dropped."""
    text = (ROOT / "Dockerfile").read_text()
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    joined = re.sub(r"\\\n\s*", " ", "\n".join(lines))
    found = []
    for line in joined.splitlines():
        if line.strip():
            word, _, rest = line.strip().partition(" ")
            found.append((word.upper(), rest.strip()))
    return found


def env_of(instructions: list[tuple[str, str]]) -> dict[str, str]:
    env: dict[str, str] = {}
    for word, rest in instructions:
        if word == "ENV":
            env.update(dict(pair.split("=", 1) for pair in rest.split()))
    return env


def final_stage(instructions: list[tuple[str, str]]) -> list[tuple[str, str]]:
    last_from = max(i for i, (word, _) in enumerate(instructions) if word == "FROM")
    return instructions[last_from:]


def test_the_image_is_slim_python_311_in_every_stage() -> None:
    bases = [rest.split()[0] for word, rest in dockerfile() if word == "FROM"]
    assert bases and all(base == "python:3.11-slim" for base in bases)


def test_the_image_installs_the_packages_pyproject_declares() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    packages = {
        p.rstrip("*") for p in project["tool"]["setuptools"]["packages"]["find"]["include"]
    }
    copied = {rest.split()[0] for word, rest in dockerfile() if word == "COPY"}
    assert packages <= copied
    assert {"pyproject.toml", "README.md"} <= set(
        " ".join(rest for word, rest in dockerfile() if word == "COPY").split()
    )
    assert any(word == "RUN" and "pip install ." in rest for word, rest in dockerfile())


def test_the_bot_runs_as_an_unprivileged_user_with_its_data_on_a_volume() -> None:
    stage = final_stage(dockerfile())
    users = [rest for word, rest in stage if word == "USER"]
    assert users and users[-1] not in {"root", "0"}
    words = [word for word, _ in stage]
    assert words.index("USER") < words.index("CMD")
    assert ("VOLUME", '["/data"]') in stage
    env = env_of(stage)
    assert env["DATABASE_URL"] == "sqlite:////data/alerts.sqlite3"
    assert ("CMD", '["python", "-m", "bot"]') in stage


def test_the_health_check_asks_healthz_where_the_image_serves_it() -> None:
    stage = final_stage(dockerfile())
    [check] = [rest for word, rest in stage if word == "HEALTHCHECK"]
    assert check.endswith('CMD ["python", "-m", "bot", "healthcheck"]')
    port = parse_listen(env_of(stage)["METRICS_LISTEN"])[1]
    assert str(port) in " ".join(rest for word, rest in stage if word == "EXPOSE").split()


def test_every_variable_the_image_sets_is_a_setting_or_pythons_own() -> None:
    assert (
        set(env_of(dockerfile()))
        - RUNTIME_ENV
        - {"PIP_NO_CACHE_DIR", "PIP_DISABLE_PIP_VERSION_CHECK"}
        <= setting_names()
    )


def test_secrets_and_local_state_stay_out_of_the_build_context() -> None:
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert {".env", ".venv", ".git", "data", "tests"} <= ignored


def compose() -> dict[str, Any]:
    data = yaml.safe_load((ROOT / "compose.yaml").read_text())
    assert isinstance(data, dict)
    return data


def test_compose_uses_only_keys_the_compose_specification_defines() -> None:
    data = compose()
    assert set(data) <= COMPOSE_TOP
    for name, service in data["services"].items():
        assert re.fullmatch(r"[a-zA-Z0-9._-]+", name)
        assert set(service) <= COMPOSE_SERVICE, (name, set(service) - COMPOSE_SERVICE)
        assert service.get("restart", "no") in RESTART
        assert set(service.get("healthcheck", {})) <= COMPOSE_HEALTHCHECK


def test_compose_declares_every_named_volume_its_services_mount() -> None:
    data = compose()
    declared = set(data.get("volumes") or {})
    for service in data["services"].values():
        for mount in service.get("volumes", []):
            source = mount.split(":", 1)[0]
            if not source.startswith((".", "/")):
                assert source in declared, source


def test_compose_builds_the_bot_from_this_dockerfile_with_known_settings() -> None:
    bot = compose()["services"]["bot"]
    assert bot["build"] == "." and (ROOT / "Dockerfile").exists()
    assert set(bot["environment"]) <= setting_names()
    assert bot["stop_signal"] == "SIGTERM"
    published = [p.rsplit(":", 1)[-1] for p in bot["ports"]]
    assert str(parse_listen(bot["environment"]["METRICS_LISTEN"])[1]) in published


def test_compose_runs_two_bot_processes_on_its_postgres_once_that_is_healthy() -> None:
    data = compose()
    bot, postgres = data["services"]["bot"], data["services"]["postgres"]
    url = bot["environment"]["DATABASE_URL"]
    assert url.startswith("postgresql://alerts:") and url.endswith("@postgres:5432/alerts")
    assert postgres["environment"]["POSTGRES_DB"] == "alerts"
    assert bot["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    assert "profiles" not in postgres and "healthcheck" in postgres
    replicas = bot["deploy"]["replicas"]
    assert replicas == 2
    # Each replica publishes its own /healthz and /metrics: a host port range, one per replica.
    [port] = bot["ports"]
    first, last = port.split(":")[1].split("-")
    assert int(last) - int(first) + 1 == replicas


def unit() -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read_string(UNIT.read_text())
    return parser


def test_the_systemd_unit_runs_the_bot_as_its_user_from_its_folder() -> None:
    service = unit()["Service"]
    assert service["User"] and service["User"] != "root"
    folder = service["WorkingDirectory"]
    assert service["EnvironmentFile"] == f"{folder}/.env"
    assert service["ExecStart"] == f"{folder}/.venv/bin/python -m bot"
    assert service["KillSignal"] == "SIGTERM"
    assert service["Restart"] == "on-failure"
    assert unit()["Install"]["WantedBy"] == "multi-user.target"


def test_the_unit_does_not_restart_what_a_restart_cannot_fix() -> None:
    codes = {int(c) for c in unit()["Service"]["RestartPreventExitStatus"].split()}
    assert codes == {EXIT_CONFIG, EXIT_IN_USE}


def test_the_unit_may_write_only_its_data_folder() -> None:
    service = unit()["Service"]
    assert service["NoNewPrivileges"] == "yes"
    assert service["ProtectSystem"] == "strict"
    assert service["ReadWritePaths"] == f"{service['WorkingDirectory']}/data"
    assert service["ProtectHome"] == "yes" and service["PrivateTmp"] == "yes"


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd not installed")
def test_systemd_finds_nothing_wrong_with_the_unit(tmp_path: Path) -> None:
    # verify checks that ExecStart's program exists: point it at this Python for the check.
    text = UNIT.read_text().replace("/opt/news-alert-bot/.venv/bin/python", sys.executable)
    copy = tmp_path / UNIT.name
    copy.write_text(text)
    result = subprocess.run(
        ["systemd-analyze", "verify", str(copy)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "", result.stderr
