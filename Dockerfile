# userpool-server in a container: `docker build -t userpool .` then
# `docker run -p 9229:9229 -v userpool-data:/data userpool` (SQLite in the /data volume).
# The image listens on 0.0.0.0:9229 and keeps its database, master key and generated admin
# credentials in /data; configure it with USERPOOL_* variables (see crates/server/userpool.toml).

# --- build -------------------------------------------------------------------------------------
FROM rust:1-bookworm AS build
# aws-lc-rs (TLS, signing) builds its C sources; cmake covers the configurations that need it.
RUN apt-get update \
    && apt-get install -y --no-install-recommends cmake \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked -p userpool-server \
    && install -m 0755 target/release/userpool-server /usr/local/bin/userpool-server

# --- run ---------------------------------------------------------------------------------------
FROM debian:bookworm-slim
# curl only for the HEALTHCHECK; ca-certificates for https Lambda/STS/SMTP endpoints.
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --user-group --home-dir /data --shell /usr/sbin/nologin userpool \
    && mkdir -p /data \
    && chown userpool:userpool /data \
    && chmod 0700 /data
COPY --from=build /usr/local/bin/userpool-server /usr/local/bin/userpool-server
USER 10001:10001
WORKDIR /data
VOLUME ["/data"]
ENV USERPOOL_BIND=0.0.0.0:9229 \
    USERPOOL_DATA_DIR=/data \
    USERPOOL_LOG_FORMAT=json
EXPOSE 9229
HEALTHCHECK --interval=10s --timeout=3s --start-period=15s --retries=3 \
    CMD curl -fsS http://127.0.0.1:9229/health/ready || exit 1
# SIGTERM (docker stop) drains requests in flight, then closes the store.
STOPSIGNAL SIGTERM
ENTRYPOINT ["userpool-server"]
CMD ["serve"]
