#!/usr/bin/env bash
# The kafka-access service of docker-compose.yml, run once the brokers are up (and again at every `up`: each step
# only sets what is already set, so a rerun changes nothing): the SCRAM credentials of Tessera's principals and of an
# upstream system, then the ACLs of acls.txt. Anything else is refused by the standard authorizer.
set -euo pipefail
: "${TESSERA_KAFKA_BOOTSTRAP:?}" "${TESSERA_KAFKA_COMMAND_PASSWORD:?}" "${TESSERA_KAFKA_QUERY_PASSWORD:?}"
: "${TESSERA_KAFKA_UPSTREAM_PASSWORD:?}"
here="$(dirname "$0")"
admin=/tmp/kafka-admin.properties
"$here/admin-config.sh" "$admin"
bin=/opt/kafka/bin

scram() {
    "$bin/kafka-configs.sh" --bootstrap-server "$TESSERA_KAFKA_BOOTSTRAP" --command-config "$admin" --alter \
        --entity-type users --entity-name "$1" --add-config "SCRAM-SHA-512=[password=$2]"
}
scram tessera-command "$TESSERA_KAFKA_COMMAND_PASSWORD"
scram tessera-query "$TESSERA_KAFKA_QUERY_PASSWORD"
scram upstream "$TESSERA_KAFKA_UPSTREAM_PASSWORD"

grep -v -e '^#' -e '^[[:space:]]*$' "$here/acls.txt" | while read -r principal operation type pattern name; do
    case "$type" in
        TOPIC) resource=(--topic "$name") ;;
        GROUP) resource=(--group "$name") ;;
        *) echo "acls.txt: unknown resource type $type" >&2; exit 1 ;;
    esac
    # kafka-acls.sh names operations as Read, Write, Create, Describe.
    operation_name="${operation,,}"
    "$bin/kafka-acls.sh" --bootstrap-server "$TESSERA_KAFKA_BOOTSTRAP" --command-config "$admin" --add \
        --allow-principal "$principal" --operation "${operation_name^}" --resource-pattern-type "$pattern" \
        "${resource[@]}" > /dev/null
    echo "allowed $principal $operation $type $pattern $name"
done
