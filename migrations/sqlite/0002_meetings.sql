-- Video meetings: the meeting, who is invited, who attended when, and the hash-chained
-- minutes (chat, decisions, joins and leaves). Times are Unix milliseconds (BIGINT).

CREATE TABLE meetings (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    title             TEXT    NOT NULL,
    case_id           TEXT,
    document_id       TEXT,
    host              TEXT    NOT NULL,
    created_at        BIGINT  NOT NULL,
    ended_at          BIGINT,
    -- The node's Ed25519 signature over the minutes head, set when the meeting ends.
    minutes_key       TEXT,
    minutes_signature TEXT,
    signed_at         BIGINT
);
CREATE INDEX meetings_host ON meetings (host);

CREATE TABLE meeting_invitations (
    meeting_id INTEGER NOT NULL REFERENCES meetings (id),
    login      TEXT    NOT NULL,
    PRIMARY KEY (meeting_id, login)
);
CREATE INDEX meeting_invitations_login ON meeting_invitations (login);

CREATE TABLE meeting_attendance (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id INTEGER NOT NULL REFERENCES meetings (id),
    login      TEXT    NOT NULL,
    joined_at  BIGINT  NOT NULL,
    left_at    BIGINT,
    left_why   TEXT CHECK (left_why IN ('left', 'disconnected', 'removed', 'ended'))
);
CREATE INDEX meeting_attendance_meeting ON meeting_attendance (meeting_id, login);

CREATE TABLE meeting_minutes (
    meeting_id INTEGER NOT NULL REFERENCES meetings (id),
    seq        BIGINT  NOT NULL,
    at         BIGINT  NOT NULL,
    kind       TEXT    NOT NULL CHECK (kind IN ('created', 'joined', 'left', 'removed', 'chat', 'decision', 'ended')),
    actor      TEXT,
    subject    TEXT,
    body       TEXT,
    prev_hash  TEXT    NOT NULL,
    hash       TEXT    NOT NULL,
    PRIMARY KEY (meeting_id, seq)
);
