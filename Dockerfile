# The bot as a container: the code, the bundled content and migrations; the database lives on a volume.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml README.md LICENSE ./
COPY bot ./bot
COPY migrations ./migrations
COPY content ./content
RUN pip install --no-cache-dir . && useradd --create-home --uid 1000 studybot && mkdir -p /data && chown studybot /data
USER studybot
VOLUME ["/data"]
CMD ["study-bot", "run", "--config", "/app/config.docker.yaml"]
