# NetChaos container image: one binary, three roles (`netchaos generate`, `netchaos sink`,
# `netchaos ingest`), chosen by the command the container is started with.
#
#   docker build -t netchaos:latest .
#   docker run --rm netchaos:latest generate --rate 20 --count 10
#
# Two stages: a Swift toolchain image compiles a release binary with the Swift runtime linked in
# statically; a slim Debian image of the same release (bookworm) carries only that binary and the
# shared C libraries it links (the .systemLibrary targets in Package.swift).

# ---------------------------------------------------------------------------------------------
# Stage 1: build
# ---------------------------------------------------------------------------------------------
ARG SWIFT_IMAGE=swift:6.3-bookworm
FROM ${SWIFT_IMAGE} AS build

# Headers and pkg-config files of the C libraries the package links (Package.swift's
# `.systemLibrary(..., providers: [.apt([...])])` entries), plus pkg-config itself and zlib,
# which librdkafka's pkg-config file pulls in.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libdeflate-dev libisal-dev libzstd-dev libsnappy-dev liblz4-dev librdkafka-dev \
      pkg-config zlib1g-dev \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /build

# Dependencies first, in a layer of their own: it is rebuilt only when the manifest or the pinned
# versions change, not on every source edit. Package.resolved is matched with a wildcard because
# .gitignore keeps it out of git: a fresh clone builds too (resolving the newest allowed versions).
COPY Package.swift Package.resolved* ./
RUN swift package resolve

# The sources. Tests/ is copied as well: the manifest declares test targets (and a support target
# under Tests/), and SwiftPM refuses to load a package whose target directories are missing, even
# when only the `netchaos` product is built.
COPY Sources ./Sources
COPY Tests ./Tests
RUN swift build -c release --product netchaos --static-swift-stdlib \
 && mkdir -p /staging \
 && cp "$(swift build -c release --show-bin-path)/netchaos" /staging/netchaos

# ---------------------------------------------------------------------------------------------
# Stage 2: runtime
# ---------------------------------------------------------------------------------------------
FROM debian:bookworm-slim

# Runtime halves of the -dev packages above (Debian bookworm names): libdeflate, ISA-L, zstd,
# snappy, lz4, librdkafka (which brings libssl3 and libsasl2 along), zlib and libstdc++ (snappy
# and the Swift runtime use it); ca-certificates for HTTPS to S3 and TLS to Kafka.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libdeflate0 libisal2 libzstd1 libsnappy1v5 liblz4-1 librdkafka1 zlib1g libstdc++6 \
      ca-certificates \
 && rm -rf /var/lib/apt/lists/*

# An unprivileged user; its home is the working directory so the default file outputs
# (./netchaos-out, ./netchaos-data) are writable.
RUN groupadd --system --gid 10001 netchaos \
 && useradd --system --uid 10001 --gid netchaos --home-dir /home/netchaos --create-home \
      --shell /usr/sbin/nologin netchaos

COPY --from=build /staging/netchaos /usr/local/bin/netchaos

USER netchaos:netchaos
WORKDIR /home/netchaos

# 8080: `netchaos ingest` (HTTP API and its /metrics); 9100: /metrics of `generate` and `sink`.
EXPOSE 8080 9100

ENTRYPOINT ["netchaos"]
CMD ["--help"]
