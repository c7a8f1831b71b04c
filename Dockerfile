# Workforce Watch as a container image. docker-compose.yml builds it; on its own:
#   docker build -t workforce-watch .
#   docker run -p 8080:8080 -e WORKFORCE_DATABASE_URL=postgresql://user:secret@db.example.org:5432/workforce workforce-watch

# --- build -------------------------------------------------------------------------------------
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /build
# The dependencies change far less often than the code: fetch them in a layer of their own.
COPY pom.xml .
RUN mvn -B -ntp dependency:go-offline
# What the build reads besides pom.xml: the code and resources, and sql/ (the Flyway migrations,
# packaged as class-path resources).
COPY src ./src
COPY sql ./sql
RUN mvn -B -ntp -DskipTests package \
 && cp target/workforce-watch-*.jar /build/app.jar

# --- run ---------------------------------------------------------------------------------------
FROM eclipse-temurin:17-jre
# fontconfig and a font: the service draws charts. curl: the health check below.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends fontconfig fonts-dejavu-core curl \
 && rm -rf /var/lib/apt/lists/*
RUN useradd --system --uid 10001 --user-group --home-dir /app --shell /usr/sbin/nologin workforce
WORKDIR /app
# Only used when no WORKFORCE_DATABASE_URL is given and PostgreSQL runs embedded (./data/pg).
RUN mkdir data && chown workforce:workforce data
COPY --from=build /build/app.jar app.jar
USER workforce

ENV JAVA_TOOL_OPTIONS="-Djava.awt.headless=true -XX:MaxRAMPercentage=75"
EXPOSE 8080
# The first start creates the schema and may load the demo authority: give it time before counting failures.
HEALTHCHECK --interval=15s --timeout=5s --start-period=180s --retries=3 \
  CMD curl -fsS -o /dev/null http://localhost:8080/actuator/health || exit 1
ENTRYPOINT ["java", "-jar", "/app/app.jar"]
