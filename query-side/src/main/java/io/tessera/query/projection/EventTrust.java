package io.tessera.query.projection;

import io.tessera.infra.signing.EventKeys;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code tessera.events.*}: whom the query side believes. {@code public-keys} ({@code TESSERA_EVENTS_PUBLIC_KEYS}):
 * the command side's Ed25519 public keys as {@code id=base64[,id=base64...]}, several during a rotation.
 * {@code unsigned-until} ({@code TESSERA_EVENTS_UNSIGNED_UNTIL}): the last position the command side published
 * before it signed; an unsigned event is applied only when it claims a position up to it and the broker put it
 * where the topic ended when the grace was recorded ({@link UnsignedGrace}). Unset: no unsigned event is applied.
 * The query side refuses to start trusting nothing at all.
 */
@ConfigurationProperties("tessera.events")
record EventTrust(String publicKeys, Long unsignedUntil) {

    EventTrust {
        if ((publicKeys == null || publicKeys.isBlank()) && unsignedUntil == null) {
            throw new IllegalStateException("tessera.events.public-keys (TESSERA_EVENTS_PUBLIC_KEYS) names no key:"
                    + " the query side applies only events signed by the command side; configure its public key");
        }
        if (unsignedUntil != null && unsignedUntil < 0) {
            throw new IllegalArgumentException("tessera.events.unsigned-until is a position, 0 or more");
        }
    }

    EventKeys keys() {
        return EventKeys.parse(publicKeys);
    }

    long lastUnsignedPosition() {
        return unsignedUntil == null ? -1 : unsignedUntil;
    }
}
