-- Foundation: people, groups, one-time codes, inbound dedupe, outbox, audit, playground inbox.
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE school_groups (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        text NOT NULL,
    archived    boolean NOT NULL DEFAULT false,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX school_groups_active_name ON school_groups (lower(name)) WHERE NOT archived;

-- A person exists only after consent. status: registering | active | forgotten (personal data erased).
CREATE TABLE persons (
    id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    role                 text NOT NULL DEFAULT 'none',
    status               text NOT NULL DEFAULT 'registering',
    full_name            text,
    group_id             bigint REFERENCES school_groups (id),
    language             text NOT NULL DEFAULT 'ru',
    under14              boolean NOT NULL DEFAULT false,
    confirmed_by_parent  boolean NOT NULL DEFAULT false,
    consented_at         timestamptz,
    consent_version      integer NOT NULL DEFAULT 1,
    dialog               jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    forgotten_at         timestamptz,
    CONSTRAINT persons_role_check CHECK (role IN ('none', 'student', 'parent', 'teacher', 'admin')),
    CONSTRAINT persons_status_check CHECK (status IN ('registering', 'active', 'forgotten'))
);
CREATE INDEX persons_active_role ON persons (role) WHERE status = 'active';

-- A messenger account of a person. One person may have several (Telegram, VK, playground).
CREATE TABLE accounts (
    channel     text NOT NULL,
    sender_id   text NOT NULL,
    chat_id     text NOT NULL,
    person_id   bigint NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    reachable   boolean NOT NULL DEFAULT true,
    preferred   boolean NOT NULL DEFAULT true,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (channel, sender_id)
);
CREATE INDEX accounts_person ON accounts (person_id);
CREATE INDEX accounts_chat ON accounts (channel, chat_id);

CREATE TABLE parent_links (
    parent_id   bigint NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    child_id    bigint NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (parent_id, child_id)
);
CREATE INDEX parent_links_child ON parent_links (child_id);

-- One-time codes are stored as SHA-256 hashes: a database dump does not reveal usable codes.
CREATE TABLE one_time_codes (
    kind        text NOT NULL,
    code_hash   bytea NOT NULL,
    owner_id    bigint REFERENCES persons (id) ON DELETE CASCADE,
    created_by  bigint REFERENCES persons (id) ON DELETE SET NULL,
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    used_by     bigint REFERENCES persons (id) ON DELETE SET NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (kind, code_hash)
);

-- Inbound dedupe: an update id is processed once per channel.
CREATE TABLE processed_updates (
    channel       text NOT NULL,
    update_id     text NOT NULL,
    processed_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (channel, update_id)
);

-- Group chats the bot has already told to write privately.
CREATE TABLE chat_notices (
    channel     text NOT NULL,
    chat_id     text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (channel, chat_id)
);

-- Every message the bot sends. status: pending | sending | sent | failed | undeliverable.
CREATE TABLE outbox (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    channel          text NOT NULL,
    chat_id          text NOT NULL,
    person_id        bigint REFERENCES persons (id) ON DELETE SET NULL,
    body             jsonb NOT NULL,
    dedupe_key       text UNIQUE,
    status           text NOT NULL DEFAULT 'pending',
    attempts         integer NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    lease_until      timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    sent_at          timestamptz,
    last_error       text,
    CONSTRAINT outbox_status_check CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'undeliverable'))
);
CREATE INDEX outbox_pending ON outbox (id) WHERE status = 'pending';
CREATE INDEX outbox_leased ON outbox (lease_until) WHERE status = 'sending';
CREATE INDEX outbox_finished ON outbox (created_at) WHERE status IN ('sent', 'failed', 'undeliverable');

-- What happened, to whom (anonymous ids) and when: never names or texts.
CREATE TABLE audit_log (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    action      text NOT NULL,
    subject_id  bigint,
    actor_id    bigint
);

-- Messages delivered to the web playground's pretend people.
CREATE TABLE web_messages (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_key    text NOT NULL,
    body        jsonb NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX web_messages_user ON web_messages (user_key, id);
