#!/bin/sh
# Entry point of the web container, also run by CI without Docker
# (.ci/entrypoint-smoke): production settings, wait for the database, migrate,
# then gunicorn. With arguments it runs them instead (e.g. a manage.py command).
set -eu
cd "$(dirname "$0")/.."
export DJANGO_ENV="${DJANGO_ENV:-production}"
PYTHON="${PYTHON:-python}"

if [ "$#" -gt 0 ]; then
    exec "$@"
fi

# Refuses to start on errors (e.g. DEBUG on, default secret); prints warnings.
"$PYTHON" manage.py check --deploy
"$PYTHON" manage.py wait_for_db --timeout "${DJANGO_DB_WAIT_SECONDS:-60}"
"$PYTHON" manage.py migrate --noinput
exec "$PYTHON" -m gunicorn --config airml/gunicorn.conf.py airml.wsgi:application
