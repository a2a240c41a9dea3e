-- Issue 8: the outbox insert is the costliest statement of the inbound path (one per reply), so it maintains no more
-- than the dispatcher reads.
--
-- The dispatcher claims per channel. With the pending index on id alone, a claim for one channel (VK, say) walked
-- every pending row of the other (a Telegram backlog of tens of thousands at 30/s) to find none of its own, once per
-- wake-up. One partial index per channel holds only that channel's pending rows, oldest first; the claim names its
-- channel as a literal, so PostgreSQL always matches it (an index on (channel, id) lost to the primary key in the
-- planner's estimate, and the primary key walks every sent and failed row before the first pending one).
DROP INDEX outbox_pending;
CREATE INDEX outbox_pending_telegram ON outbox (id) WHERE status = 'pending' AND channel = 'telegram';
CREATE INDEX outbox_pending_vk ON outbox (id) WHERE status = 'pending' AND channel = 'vk';
CREATE INDEX outbox_pending_web ON outbox (id) WHERE status = 'pending' AND channel = 'web';

-- Only planned messages (reminders, digests, reports) carry a dedupe key; a reply does not, and no longer adds a NULL
-- entry to the unique index. Inserts that rely on it name the predicate: ON CONFLICT (dedupe_key) WHERE dedupe_key IS NOT NULL.
ALTER TABLE outbox DROP CONSTRAINT outbox_dedupe_key_key;
CREATE UNIQUE INDEX outbox_dedupe_key ON outbox (dedupe_key) WHERE dedupe_key IS NOT NULL;

-- person_id and announcement_id say whom a row is for and which announcement sent it; persons and announcements are
-- never deleted (forget_person erases a person in place and deletes their open rows itself), so the foreign keys only
-- cost a row lock and a trigger per reply.
ALTER TABLE outbox DROP CONSTRAINT outbox_person_id_fkey;
ALTER TABLE outbox DROP CONSTRAINT outbox_announcement_id_fkey;

-- person_activity is written by the activity counter's periodic upsert, which joins persons itself (and skips erased
-- people). Without the foreign key that upsert takes no lock on persons, so it can never wait for an update that holds
-- its sender's row (the in-chat report flushes the counts while its own update holds the administrator's row).
ALTER TABLE person_activity DROP CONSTRAINT person_activity_person_id_fkey;
