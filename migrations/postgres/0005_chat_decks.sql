-- Decks a chat uploaded itself (issue 14), PostgreSQL: the source file is kept and parsed again at every
-- start. Removing a deck deletes this row only; answers and study history keep their card ids.

CREATE TABLE chat_decks (
    chat_id     BIGINT  NOT NULL REFERENCES chats (id),
    deck_id     TEXT    NOT NULL,                 -- the name the chat gave it (file name without extension)
    file_name   TEXT    NOT NULL,                 -- as uploaded; its extension picks the parser
    source      BYTEA   NOT NULL,
    sha256      TEXT    NOT NULL,
    card_count  INTEGER NOT NULL,
    uploaded_by BIGINT  NOT NULL REFERENCES users (id),
    uploaded_at BIGINT  NOT NULL,
    PRIMARY KEY (chat_id, deck_id)
);

-- Uploads per chat, accepted or not, for the per-minute limit (kept a day).
CREATE TABLE deck_uploads (
    chat_id BIGINT NOT NULL REFERENCES chats (id),
    at      BIGINT NOT NULL
);
CREATE INDEX deck_uploads_by_chat ON deck_uploads (chat_id, at);
