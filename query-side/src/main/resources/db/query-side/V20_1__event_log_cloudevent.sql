-- The event as the command side published and signed it (its CloudEvent, signature included), kept with the logged
-- event so that an export of the log (GET /api/events, ./tessera replay) can be checked offline with the public
-- keys alone (./tessera verify). NULL for events logged before. Not part of the audit chain's canonical form.
-- Numbered 20.1 so that another change's migrations do not collide with it.
ALTER TABLE event_log ADD COLUMN cloudevent TEXT;
