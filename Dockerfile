# Mijn Herstel API: multi-stage build. The runtime image holds only the binary and wizard-content/
# (read at start via MH_CONTENT__DIR, so policy owners can mount other content; it is checked first).
#   docker build -t mijn-herstel .
#   docker run -p 8080:8080 -v mh-data:/app/data mijn-herstel                      # SQLite in a volume
#   docker run -p 8080:8080 -e DATABASE_URL=postgres://app:…@db:5432/mh mijn-herstel  # PostgreSQL
# Production: set MH_MODE=production and the production settings (see README), and run
# `mijn-herstel migrate` as its own step before starting the new version.

FROM rust:1.95-slim-bookworm AS build
WORKDIR /src

# Dependency layer: manifests and lockfile only, with empty sources, so a code change does not
# rebuild the ~500 dependencies.
COPY Cargo.toml Cargo.lock ./
COPY api/Cargo.toml api/Cargo.toml
COPY migrations/Cargo.toml migrations/Cargo.toml
COPY tests/Cargo.toml tests/Cargo.toml
RUN mkdir -p api/src migrations/src tests/src tests/tests/api \
    && echo 'fn main() {}' > api/src/main.rs \
    && touch api/src/lib.rs migrations/src/lib.rs tests/src/lib.rs \
    && echo 'fn main() {}' > tests/tests/api/main.rs \
    && cargo build --release --locked -p mijn-herstel \
    && rm -rf api/src migrations/src

COPY migrations migrations
COPY api api
# The shipped questionnaire and damage framework are compiled into the binary (include_str!).
COPY wizard-content wizard-content
# The real sources are older than the dummy build's outputs: touch them so cargo rebuilds.
RUN find api migrations -name '*.rs' -exec touch {} + \
    && cargo build --release --locked -p mijn-herstel \
    && cp target/release/mijn-herstel /mijn-herstel

FROM debian:bookworm-slim AS runtime
RUN useradd --system --uid 10001 --user-group --home-dir /app --no-create-home mijnherstel \
    && mkdir -p /app/data \
    && chown 10001:10001 /app/data
WORKDIR /app
COPY --from=build /mijn-herstel /usr/local/bin/mijn-herstel
COPY wizard-content /app/wizard-content
ENV MH_HTTP__HOST=0.0.0.0 \
    MH_HTTP__PORT=8080 \
    MH_DATABASE__URL=sqlite:///app/data/mijn-herstel.db \
    MH_LOG__FORMAT=json \
    MH_CONTENT__DIR=/app/wizard-content
VOLUME ["/app/data"]
EXPOSE 8080
USER 10001:10001
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
    CMD ["/usr/local/bin/mijn-herstel", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/mijn-herstel"]
CMD ["serve"]
