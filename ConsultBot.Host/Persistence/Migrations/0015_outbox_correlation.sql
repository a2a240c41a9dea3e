-- Issue 8: every outbox row carries the id of what wrote it (an update: "telegram:123", "vk:…", "web:…"; a job run:
-- "job:DailyRemindersJob:42"), so an update's path from receipt to delivery can be followed in the log. The inbound
-- pipeline sets the transaction-local setting consultbot.correlation_id in its first batch, so every row written in
-- that transaction gets it without naming the column; jobs pass it explicitly. Not personal data.
ALTER TABLE outbox ADD COLUMN correlation_id text
    DEFAULT nullif(current_setting('consultbot.correlation_id', true), '');
