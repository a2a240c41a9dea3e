-- Wrong link codes typed from a messenger account that belongs to nobody yet: there is no person to count them
-- against, so they are counted per account, kept only as a SHA-256 hash of "channel:sender" (no personal data).
CREATE TABLE code_attempts (
    account_hash  bytea NOT NULL,
    at            timestamptz NOT NULL
);
CREATE INDEX code_attempts_account ON code_attempts (account_hash, at);
CREATE INDEX code_attempts_at ON code_attempts (at);
