-- The exchange with other member countries' nodes: every envelope sent or accepted, by its
-- exact bytes; the receipts this node gave; the delivery of each sent envelope to each
-- recipient (the outbox); and this node's transparency log (RFC 6962 leaves, the stored
-- hashes of Go's tlog layout, signed checkpoints) with what peers' logs showed it.

CREATE TABLE envelopes (
    id          TEXT   PRIMARY KEY,
    direction   TEXT   NOT NULL CHECK (direction IN ('sent', 'accepted')),
    doc_type    TEXT   NOT NULL,
    sender      TEXT   NOT NULL,
    recipients  TEXT   NOT NULL,
    case_id     TEXT   NOT NULL,
    created_at  BIGINT NOT NULL,
    stored_at   BIGINT NOT NULL,
    -- SHA-256 (hex) of `bytes`, the envelope exactly as sent or received.
    sha256      TEXT   NOT NULL,
    bytes       BYTEA  NOT NULL,
    log_index   BIGINT NOT NULL UNIQUE,
    -- Accepted: the signed receipt this node answered, given again for a duplicate.
    receipt     TEXT
);
CREATE INDEX envelopes_case ON envelopes (case_id);

CREATE TABLE outbox (
    envelope_id     TEXT   NOT NULL REFERENCES envelopes (id),
    recipient       TEXT   NOT NULL,
    -- The envelope's document type: whose module hears the answer.
    doc_type        TEXT   NOT NULL,
    state           TEXT   NOT NULL CHECK (state IN ('queued', 'in_flight', 'delivered', 'refused')),
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    -- An instance that took the row holds it until then; after, another may retry it.
    lease_until     BIGINT,
    last_error      TEXT,
    -- The recipient's signed receipt or signed error, as received.
    answer          TEXT,
    updated_at      BIGINT NOT NULL,
    PRIMARY KEY (envelope_id, recipient)
);
CREATE INDEX outbox_due ON outbox (state, next_attempt_at);

CREATE TABLE log_leaves (
    idx         BIGINT PRIMARY KEY,
    envelope_id TEXT   NOT NULL UNIQUE,
    entry       BYTEA  NOT NULL
);
CREATE TABLE log_hashes (
    idx  BIGINT PRIMARY KEY,
    hash BYTEA  NOT NULL
);
CREATE TABLE log_checkpoints (
    tree_size BIGINT PRIMARY KEY,
    note      TEXT   NOT NULL,
    signed_at BIGINT NOT NULL
);

-- The last checkpoint of each peer's log this node verified (and cosigned).
CREATE TABLE peer_logs (
    country    TEXT   PRIMARY KEY,
    tree_size  BIGINT NOT NULL,
    checkpoint TEXT   NOT NULL,
    seen_at    BIGINT NOT NULL
);
-- Cosignatures peers made of this node's checkpoints.
CREATE TABLE log_cosignatures (
    tree_size BIGINT NOT NULL,
    witness   TEXT   NOT NULL,
    line      TEXT   NOT NULL,
    at        BIGINT NOT NULL,
    PRIMARY KEY (tree_size, witness)
);
-- Proof that a peer's log forked: two conflicting signed checkpoints, kept for ever.
CREATE TABLE log_forks (
    id          TEXT   PRIMARY KEY,
    country     TEXT   NOT NULL,
    kind        TEXT   NOT NULL,
    evidence    TEXT   NOT NULL,
    detected_at BIGINT NOT NULL
);
