# News alert bot: a slim image that runs `python -m bot` as an unprivileged user.
#   docker build -t news-alert-bot .
#   docker run -d --env-file .env -v alerts-data:/data -p 9100:9100 news-alert-bot
# Two stages: the build stage installs the package into a virtualenv (every dependency has a
# binary wheel for this platform, so no compiler is needed); the final stage copies that
# virtualenv alone, without pip's cache or the sources.

FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY storage ./storage
RUN python -m venv /opt/venv \
    && /opt/venv/bin/pip install .

FROM python:3.11-slim
# The database lives on the /data volume; /healthz and /metrics on 9100 for the health check
# below and for Prometheus. Every other setting comes from `--env-file .env` (see .env.example).
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DATABASE_URL=sqlite:////data/alerts.sqlite3 \
    METRICS_LISTEN=0.0.0.0:9100
RUN groupadd --system --gid 10001 bot \
    && useradd --system --uid 10001 --gid bot --home-dir /data --shell /usr/sbin/nologin bot \
    && mkdir /data \
    && chown bot:bot /data
COPY --from=build /opt/venv /opt/venv
USER bot
WORKDIR /data
VOLUME ["/data"]
# 8080: WEBHOOK_LISTEN's default (webhook mode only); 9100: METRICS_LISTEN.
EXPOSE 8080 9100
# Asks /healthz on METRICS_LISTEN: exit 0 on 200, 1 on 503 (its body names the failed check)
# or no answer. The start period covers loading the dictionaries and reaching Telegram.
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
    CMD ["python", "-m", "bot", "healthcheck"]
# SIGTERM (docker stop) ends the bot cleanly: exit 0, nothing lost.
STOPSIGNAL SIGTERM
CMD ["python", "-m", "bot"]
