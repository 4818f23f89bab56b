#!/bin/sh
# Tessera's database roles on a new volume of docker-compose.yml: the postgres image runs this once, as its
# superuser, in POSTGRES_DB. The roles script is the one the embedded server runs (README "Database roles"); the
# passwords come from the compose environment. An existing volume: run the same two steps by hand (README).
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" -f /tessera/tessera-roles.sql
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    -v owner="$TESSERA_DB_OWNER_PASSWORD" -v command="$TESSERA_DB_COMMAND_PASSWORD" \
    -v query="$TESSERA_DB_QUERY_PASSWORD" <<'SQL'
ALTER ROLE tessera_owner PASSWORD :'owner';
ALTER ROLE tessera_command PASSWORD :'command';
ALTER ROLE tessera_query PASSWORD :'query';
SQL
