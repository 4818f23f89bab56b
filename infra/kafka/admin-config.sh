#!/usr/bin/env bash
# Writes the client settings of the cluster's admin (SASL PLAIN, the brokers' own principal and the only super user)
# to $1, for the brokers' healthcheck and the kafka-access service. The password comes from the environment.
set -euo pipefail
: "${TESSERA_KAFKA_ADMIN_PASSWORD:?TESSERA_KAFKA_ADMIN_PASSWORD is not set}"
umask 077
cat > "$1" <<CONFIG
security.protocol=SASL_PLAINTEXT
sasl.mechanism=PLAIN
sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="${TESSERA_KAFKA_ADMIN_PASSWORD}";
CONFIG
