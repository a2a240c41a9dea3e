-- The dispatcher claims only the oldest open row of each chat, so a reply never overtakes an earlier message
-- that is waiting for its retry (on this instance or another). This index answers "is there an earlier open row?".
CREATE INDEX outbox_open_by_chat ON outbox (channel, chat_id, id) WHERE status IN ('pending', 'sending');
