# The portal's web image: gunicorn serving Django, static files collected at build
# time and served by WhiteNoise. Configuration comes only from the environment
# (see .env.example and docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_ENV=production \
    DJANGO_VAR_DIR=/app/var \
    DJANGO_STATIC_ROOT=/app/var/static \
    DJANGO_MEDIA_ROOT=/data/media

RUN groupadd --system --gid 10001 airml \
 && useradd --system --uid 10001 --gid airml --home-dir /app --shell /usr/sbin/nologin airml

WORKDIR /app

# Dependencies first (a cached layer): exactly the versions pinned in pyproject.toml.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
 && pip install --no-compile -r /tmp/requirements.txt \
 && rm /tmp/requirements.txt

COPY manage.py ./
COPY airml/ airml/
COPY pages/ pages/
COPY people/ people/
COPY research/ research/
COPY templates/ templates/
COPY static/ static/

# Hashed, compressed static files, built into the image. The key only lets the
# settings load for this one command; it is not kept in the image.
RUN DJANGO_SECRET_KEY="collectstatic-only-build-key-not-used-at-runtime-0123456789" \
    python manage.py collectstatic --noinput -v0 \
 && chmod 0755 airml/entrypoint.sh \
 && mkdir -p /app/var/backups /data/media /tmp/airml-cache \
 && chown -R airml:airml /app/var/backups /data/media /tmp/airml-cache

USER airml
EXPOSE 8000
VOLUME ["/data/media"]

HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"]

ENTRYPOINT ["/app/airml/entrypoint.sh"]
