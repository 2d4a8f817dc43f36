# qapps-local as a container image: a fully static binary on an empty (scratch) base.
#
#   docker build -t qapps-local .
#   docker run --rm -p 4747:4747 qapps-local
#
# Plain Dockerfile syntax (no heredocs, no COPY --link), so Docker, BuildKit and buildah
# (Debian 12) all build it.

# --- build: compile qapps-local with Debian's packages, linked statically -----------------------
FROM debian:bookworm AS build

# Dependencies first, in their own layer: it is rebuilt only when this list changes.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        cmake g++ make \
        libboost1.81-dev libboost-json1.81-dev libsqlite3-dev libssl-dev \
    && rm -rf /var/lib/apt/lists/*

# Only what the build reads: the tests, scripts and docs stay out (see also .dockerignore).
WORKDIR /src
COPY CMakeLists.txt ./
COPY storage/ storage/
COPY server/ server/

RUN cmake -S . -B /build -DCMAKE_BUILD_TYPE=Release -DQAPPS_STATIC=ON -DBUILD_TESTING=OFF \
    && cmake --build /build -j"$(nproc)" \
    && /build/server/qapps-local --version

# The runtime file tree. scratch has no /etc/passwd, no /tmp and no writable folder, so they are
# made here: an unprivileged user 65532 ("qapps"), a world-writable sticky /tmp (SQLite's
# temporary files), and /data owned by that user for `--db /data/qapps.db` (mount a volume there
# to keep the database).
RUN mkdir -p /rootfs/etc /rootfs/tmp /rootfs-data/data \
    && cp /build/server/qapps-local /rootfs/qapps-local \
    && echo 'qapps:x:65532:65532:qapps-local:/data:/sbin/nologin' > /rootfs/etc/passwd \
    && echo 'qapps:x:65532:' > /rootfs/etc/group \
    && chmod 1777 /rootfs/tmp \
    && chmod 0755 /rootfs-data/data

# --- runtime: the binary, the demo fixtures, nothing else ---------------------------------------
FROM scratch

COPY --from=build /rootfs/ /
COPY --from=build --chown=65532:65532 /rootfs-data/ /
COPY fixtures/ /fixtures/

# Every flag is also a QAPPS_LOCAL_* variable (`qapps-local --help`). Mount your own fixtures
# over /fixtures, or point QAPPS_LOCAL_FIXTURES at another mounted path. Change the port with
# QAPPS_LOCAL_PORT rather than --port, so the healthcheck asks the same port.
ENV QAPPS_LOCAL_HOST=0.0.0.0 \
    QAPPS_LOCAL_PORT=4747 \
    QAPPS_LOCAL_FIXTURES=/fixtures

USER 65532:65532
WORKDIR /data
EXPOSE 4747

# No shell and no curl in the image: the binary asks its own /_qapps/health.
HEALTHCHECK --interval=10s --timeout=5s --start-period=5s --retries=3 \
    CMD ["/qapps-local", "--healthcheck"]

# qapps-local handles SIGTERM itself: stops accepting, finishes in-flight requests, exits 0.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/qapps-local"]
