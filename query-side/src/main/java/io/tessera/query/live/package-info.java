/**
 * Live updates for the dashboard: every instance follows {@code tessera.events} from the end in a consumer group
 * of its own and pushes a small notice of each event (type, subject, position, time; never the payload) to the
 * server-sent-event streams open for that event's tenant ({@code GET /api/stream}). The browser then re-reads
 * what changed with {@code X-Min-Position}, so a notice that beats the projection still shows the new state.
 */
package io.tessera.query.live;
