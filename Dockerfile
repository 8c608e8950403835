# syntax=docker/dockerfile:1
# The dashboard (Streamlit) for ECS Fargate, App Runner or any container host.
# Configured by environment (README "Configuration"): DATABASE_URL=postgresql+psycopg://...,
# OPS_BACKEND=dynamodb, OPS_TABLE, MAIL_BACKEND=ses, SES_FROM_ADDRESS, ...; AWS credentials come
# from the task role. No demo data: the first start creates the tables and the first owner.
FROM python:3.13-slim

ENV PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    EXEC_DATA_DIR=/data \
    MPLCONFIGDIR=/tmp/matplotlib

WORKDIR /app
# Dependencies first: this layer is reused until requirements.txt changes.
COPY requirements.txt ./
RUN pip install -r requirements.txt

# A fixed unprivileged user; /data (SQLite fallback, cookie key, outbox) is the only place it
# writes. Mount a volume there to keep the sign-in cookie key across restarts.
RUN useradd --system --uid 10001 --create-home --shell /usr/sbin/nologin app \
    && mkdir -p /data && chown app:app /data

COPY app.py ./
COPY .streamlit/config.toml .streamlit/config.toml
COPY core/ core/
COPY dashboard/ dashboard/
COPY views/ views/
COPY --chmod=0755 devtools/docker-entrypoint.sh /usr/local/bin/docker-entrypoint.sh

USER app
EXPOSE 8501
# slim has no curl: ask Streamlit's own health endpoint with Python
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4).read() != b'ok')"]

ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]
CMD ["streamlit", "run", "app.py", "--server.address=0.0.0.0", "--server.port=8501", "--server.headless=true", "--browser.gatherUsageStats=false"]
