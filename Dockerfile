# syntax=docker/dockerfile:1
# Any BFF as a container:  docker build --build-arg BFF=web-bff -t web-bff .
#                          docker run -p 8080:8080 -e USER_SERVICE_URL=... web-bff
#                          ... -e GATEWAY_SECURITY_JWT_ISSUER=... -e GATEWAY_SECURITY_JWT_AUDIENCES=...
#                          -e GATEWAY_SECURITY_JWT_JWKSETURI=...   (every BFF requires the JWT settings)
# it/.../DockerfileTest runs this file's extraction step and its exact ENTRYPOINT against the built jar
# (there is no Docker engine where the tests run) and checks that health answers.

ARG BFF=web-bff

FROM eclipse-temurin:25-jdk AS build
ARG BFF
WORKDIR /src
COPY . .
RUN ./mvnw --batch-mode --no-transfer-progress -pl ${BFF} -am -DskipTests package
# Spring Boot's layered extraction: dependencies change rarely, the application often, so each is its own
# image layer and a code change ships only the last one.
RUN cp ${BFF}/target/${BFF}-*-exec.jar /tmp/app.jar
RUN java -Djarmode=tools -jar /tmp/app.jar extract --layers --destination /layers

FROM eclipse-temurin:25-jre
ARG BFF
RUN groupadd --system bff && useradd --system --gid bff --uid 10001 --no-create-home bff
WORKDIR /app
COPY --from=build --chown=bff:bff /layers/dependencies/ /app/
COPY --from=build --chown=bff:bff /layers/spring-boot-loader/ /app/
COPY --from=build --chown=bff:bff /layers/snapshot-dependencies/ /app/
COPY --from=build --chown=bff:bff /layers/application/ /app/
# the BFF's strangler routes, watched for edits: mount your own table over it (or point ROUTES_FILE elsewhere)
COPY --chown=bff:bff routes/ /app/routes/
USER bff
# two glibc malloc arenas instead of 8 per core: measured tens of MiB less RSS under load (docs/benchmarks.md, P7)
# MANAGEMENT_PORT: actuator (health, metrics, /actuator/strangler) listens there, never on the public PORT.
ENV PORT=8080 MANAGEMENT_PORT=9090 ROUTES_FILE=/app/routes/${BFF}.yml MALLOC_ARENA_MAX=2
# Only the public port is published. The management port is for the orchestrator's probes and the metrics scraper
# inside the cluster or host, not for clients: do not publish it (no -p for it, no load balancer in front of it).
EXPOSE 8080
# No curl in the JRE image: bash's /dev/tcp asks the liveness group on the management port, the same probe
# Kubernetes would.
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${MANAGEMENT_PORT} && printf 'GET /actuator/health/liveness HTTP/1.0\\r\\n\\r\\n' >&3 && grep -q '\"status\":\"UP\"' <&3"]
# Container-aware heap (half the cgroup limit: metaspace, code cache and threads need the rest), the serial
# collector (G1's own structures cost ~40 MiB of RSS and bought no throughput on 2 cores: docs/benchmarks.md,
# P7), fail fast on OOM so the orchestrator restarts us. bench/ runs the BFF with exactly these flags.
ENTRYPOINT ["java", "-XX:+UseSerialGC", "-XX:MaxRAMPercentage=50.0", "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/app.jar"]
