-- Daily questions, per-day scores for period leaderboards, and member counts.

ALTER TABLE chats ADD COLUMN timezone TEXT;                 -- IANA zone; NULL: the configured default
ALTER TABLE chats ADD COLUMN members INTEGER NOT NULL DEFAULT 0;
UPDATE chats SET members = (SELECT COUNT(*) FROM scores WHERE scores.chat_id = chats.id);
CREATE TRIGGER scores_count_members AFTER INSERT ON scores
BEGIN
    UPDATE chats SET members = members + 1 WHERE id = NEW.chat_id;
END;

ALTER TABLE attempts ADD COLUMN local_day TEXT;             -- YYYY-MM-DD in the chat's time zone
CREATE INDEX attempts_by_chat_card ON attempts (chat_id, card_id, created_at);

CREATE TABLE day_scores (
    chat_id  INTEGER NOT NULL REFERENCES chats (id),
    day      TEXT    NOT NULL,
    user_id  INTEGER NOT NULL REFERENCES users (id),
    points   INTEGER NOT NULL DEFAULT 0,
    answered INTEGER NOT NULL DEFAULT 0,
    correct  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (chat_id, day, user_id)
) WITHOUT ROWID;

CREATE TRIGGER attempts_update_day_scores AFTER INSERT ON attempts WHEN NEW.local_day IS NOT NULL
BEGIN
    INSERT INTO day_scores (chat_id, day, user_id, points, answered, correct)
    VALUES (NEW.chat_id, NEW.local_day, NEW.user_id, NEW.points, 1, NEW.correct)
    ON CONFLICT (chat_id, day, user_id) DO UPDATE SET
        points = points + excluded.points,
        answered = answered + 1,
        correct = correct + excluded.correct;
END;

CREATE TABLE daily_subscriptions (
    chat_id     INTEGER PRIMARY KEY REFERENCES chats (id),
    target      TEXT    NOT NULL,             -- where the adapter posts (a Discord channel, a Telegram chat)
    post_time   TEXT    NOT NULL,             -- HH:MM, local
    timezone    TEXT    NOT NULL,             -- IANA zone
    decks       TEXT,                         -- JSON list of deck ids; NULL: the chat's decks
    language    TEXT    NOT NULL DEFAULT 'en', -- the language the daily posts are written in
    active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    next_due_at INTEGER,                      -- UTC ms of the next post
    updated_at  INTEGER NOT NULL
);
CREATE INDEX daily_subscriptions_due ON daily_subscriptions (active, next_due_at);

-- One row per chat and local date, claimed before anything is sent: the UNIQUE constraint is what
-- keeps a restart or a second instance from ever posting the same day twice.
CREATE TABLE daily_posts (
    id            INTEGER PRIMARY KEY,
    chat_id       INTEGER NOT NULL REFERENCES chats (id),
    local_date    TEXT    NOT NULL,
    post_id       INTEGER REFERENCES quiz_posts (id),
    state         TEXT    NOT NULL CHECK (state IN ('sending', 'retry', 'sent', 'failed', 'closed')),
    claimed_by    TEXT    NOT NULL,
    claimed_at    INTEGER NOT NULL,
    send_attempts INTEGER NOT NULL DEFAULT 0,
    retry_at      INTEGER,
    sent_at       INTEGER,
    closes_at     INTEGER NOT NULL,
    results_at    INTEGER,
    UNIQUE (chat_id, local_date)
);
CREATE INDEX daily_posts_by_state ON daily_posts (state, retry_at);
CREATE INDEX daily_posts_closing ON daily_posts (state, closes_at);
CREATE INDEX daily_posts_by_post ON daily_posts (post_id);
