/**
 * The query side's part of its OpenAPI document: title, the {@code X-Min-Position} header of read-your-writes
 * and examples. The envelope, errors and security come from infra.
 */
package io.tessera.query.openapi;
