-- Issue 7: announcements from administrators (to a group, all students, all parents, all teachers, everyone) and from
-- teachers (to their groups). Each one is a row here plus one outbox row per recipient tagged with it; when none of
-- those rows is pending or sending any more, the reports job counts them, tells the author and sets reported_at.
CREATE TABLE announcements (
    id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    author_id            bigint NOT NULL REFERENCES persons (id),
    audience             text NOT NULL,
    group_id             bigint REFERENCES school_groups (id),
    text                 text NOT NULL,
    -- author:dialog version of the confirmed preview: a repeated confirmation stores nothing.
    request_key          text NOT NULL UNIQUE,
    created_at           timestamptz NOT NULL,
    recipients           integer NOT NULL,
    -- people of the audience who had no reachable account when it was sent (no outbox row).
    unreachable_at_send  integer NOT NULL DEFAULT 0,
    -- the outcome, written with reported_at (the outbox rows it counts are deleted after Outbox__RetentionDays).
    delivered            integer,
    undeliverable        integer,
    failed               integer,
    reported_at          timestamptz,
    CONSTRAINT announcements_audience CHECK (audience IN ('group', 'students', 'parents', 'teachers', 'everyone')),
    CONSTRAINT announcements_group CHECK ((audience = 'group') = (group_id IS NOT NULL)),
    CONSTRAINT announcements_text CHECK (length(text) BETWEEN 1 AND 3500),
    CONSTRAINT announcements_recipients CHECK (recipients > 0 AND unreachable_at_send >= 0)
);
CREATE INDEX announcements_recent ON announcements (created_at DESC);
CREATE INDEX announcements_unreported ON announcements (id) WHERE reported_at IS NULL;

ALTER TABLE outbox ADD COLUMN announcement_id bigint REFERENCES announcements (id) ON DELETE SET NULL;
CREATE INDEX outbox_by_announcement ON outbox (announcement_id, status) WHERE announcement_id IS NOT NULL;
