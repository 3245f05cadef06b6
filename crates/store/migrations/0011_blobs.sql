-- Binary data (attachments up to 10 MB), stored in chunks of at most 256 KiB. On SQLite
-- each chunk is a write of its own, so an upload never holds the single group-commit
-- writer for long; a blob is readable only once its last chunk is in (complete).
CREATE TABLE blobs (
    id TEXT PRIMARY KEY,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    chunks BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    complete BOOLEAN NOT NULL
);
CREATE TABLE blob_chunks (
    blob_id TEXT NOT NULL REFERENCES blobs(id),
    seq BIGINT NOT NULL,
    data {{BYTES}} NOT NULL,
    PRIMARY KEY (blob_id, seq)
);
