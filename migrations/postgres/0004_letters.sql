-- Official letters: written here (outbox) or received (inbox). Registration numbers are
-- counted per series (`KZ-OUT-2026`); files are stored once by content hash (in the data
-- folder) and named per letter; each recipient of an outgoing letter has its own status.
-- Times are Unix milliseconds (BIGINT); dates are `YYYY-MM-DD`.

CREATE TABLE letter_numbers (
    series TEXT   PRIMARY KEY,
    last   BIGINT NOT NULL
);

CREATE TABLE letters (
    id           TEXT   PRIMARY KEY,
    mailbox      TEXT   NOT NULL CHECK (mailbox IN ('inbox', 'outbox')),
    -- This node's registration number; none while an outgoing letter is a draft.
    number       TEXT   UNIQUE,
    their_number TEXT,
    sender       TEXT   NOT NULL,
    -- Recipient countries, comma-separated.
    recipients   TEXT   NOT NULL,
    agency       TEXT   NOT NULL,
    subject      TEXT   NOT NULL,
    body         TEXT   NOT NULL,
    -- Attachment names, space-separated: searched with the text.
    files        TEXT   NOT NULL DEFAULT '',
    reply_to     TEXT   REFERENCES letters (id),
    case_id      TEXT   NOT NULL,
    deadline     TEXT,
    author       TEXT,
    -- Inbox: the envelope it came in.
    envelope_id  TEXT   UNIQUE,
    -- Outbox: draft or sent. Inbox: registered, read or answered.
    status       TEXT   NOT NULL CHECK (status IN ('draft', 'sent', 'registered', 'read', 'answered')),
    created_at   BIGINT NOT NULL,
    read_at      BIGINT
);
CREATE INDEX letters_mailbox ON letters (mailbox, created_at);
CREATE INDEX letters_case ON letters (case_id);

CREATE TABLE letter_attachments (
    letter_id  TEXT   NOT NULL REFERENCES letters (id),
    name       TEXT   NOT NULL,
    media_type TEXT   NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256     TEXT   NOT NULL,
    PRIMARY KEY (letter_id, name)
);

CREATE TABLE letter_recipients (
    letter_id       TEXT   NOT NULL REFERENCES letters (id),
    country         TEXT   NOT NULL,
    status          TEXT   NOT NULL CHECK (status IN ('draft', 'queued', 'delivered', 'registered', 'read', 'answered', 'refused')),
    envelope_id     TEXT,
    received_at     BIGINT,
    log_index       BIGINT,
    their_number    TEXT,
    refusal_code    TEXT,
    refusal_message TEXT,
    updated_at      BIGINT NOT NULL,
    PRIMARY KEY (letter_id, country)
);

-- Full-text search over subject, body and file names: stemmed in Russian and in English,
-- and word by word as written (`invoice-1187.pdf` as invoice, 1187, pdf) for prefixes.
ALTER TABLE letters ADD COLUMN search tsvector GENERATED ALWAYS AS (
    to_tsvector('russian', subject || ' ' || body || ' ' || files)
    || to_tsvector('english', subject || ' ' || body || ' ' || files)
    || to_tsvector('simple', regexp_replace(subject || ' ' || body || ' ' || files, '[^[:alnum:]]+', ' ', 'g'))
) STORED;
CREATE INDEX letters_search ON letters USING GIN (search);
