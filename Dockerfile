# Lightstick in a container: `docker build -t lightstick .`, then
#   docker run -d --name lightstick --env-file .env -v lightstick-data:/data \
#     --restart on-failure:5 lightstick
# The database lives on the /data volume; see README "Deploy" for exit codes. For PostgreSQL,
# pass DATABASE_URL=postgresql://... in the env file instead (README "PostgreSQL").

# --- build: turn the checkout into a wheel (migrations and data files travel inside it) ---
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY migrations ./migrations
COPY bot ./bot
COPY cogs ./cogs
RUN python -m pip wheel --no-deps --no-cache-dir -w /wheels .

# --- runtime: the pinned dependencies, the wheel, a non-root user ---
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DATABASE_PATH=/data/lightstick.db

RUN useradd --system --uid 10001 --user-group --no-create-home --home-dir /data \
        --shell /usr/sbin/nologin lightstick \
    && mkdir /data \
    && chown lightstick:lightstick /data

COPY requirements.lock /tmp/requirements.lock
RUN pip install -r /tmp/requirements.lock && rm /tmp/requirements.lock
COPY --from=build /wheels/ /tmp/wheels/
RUN pip install --no-deps /tmp/wheels/*.whl && rm -rf /tmp/wheels && pip check

USER lightstick
WORKDIR /data
VOLUME ["/data"]

# Liveness: the database file opens read-only and its schema is this code's latest; no Discord
# call, no write. Docker reserves exit 2, so every failure (2 bad settings, 3 database) becomes 1.
HEALTHCHECK --interval=60s --timeout=10s --start-period=30s --retries=3 \
    CMD ["sh", "-c", "lightstick --health || exit 1"]

# SIGTERM (docker stop) closes the Discord connection and the database cleanly.
STOPSIGNAL SIGTERM
ENTRYPOINT ["lightstick"]
