-- Users, chats, quiz posts, attempts and per-(chat, user) score aggregates.
-- Times are integer milliseconds since the Unix epoch, UTC.

CREATE TABLE users (
    id               INTEGER PRIMARY KEY,
    platform         TEXT    NOT NULL,
    platform_user_id TEXT    NOT NULL,
    display_name     TEXT    NOT NULL,
    created_at       INTEGER NOT NULL,
    UNIQUE (platform, platform_user_id)
);

CREATE TABLE chats (
    id               INTEGER PRIMARY KEY,
    platform         TEXT    NOT NULL,
    platform_chat_id TEXT    NOT NULL,
    kind             TEXT    NOT NULL CHECK (kind IN ('private', 'group')),
    language         TEXT    CHECK (language IN ('zh', 'en')),  -- NULL: follow the users' locale
    decks            TEXT,                                      -- JSON list of deck ids; NULL: every deck
    quiz_round       INTEGER NOT NULL DEFAULT 1,                -- cards are not repeated within a round
    active           INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at       INTEGER NOT NULL,
    UNIQUE (platform, platform_chat_id)
);

CREATE TABLE quiz_posts (
    id          INTEGER PRIMARY KEY,
    chat_id     INTEGER NOT NULL REFERENCES chats (id),
    card_id     TEXT    NOT NULL,
    mode        TEXT    NOT NULL CHECK (mode IN ('quiz', 'daily')),
    options     TEXT    NOT NULL,  -- JSON list of the options, in the order shown
    correct     INTEGER NOT NULL,  -- index of the right option
    round       INTEGER NOT NULL,
    message_id  TEXT,              -- the platform's id of the message showing it
    status      TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    created_at  INTEGER NOT NULL,
    closes_at   INTEGER,
    closed_at   INTEGER
);
CREATE INDEX quiz_posts_by_round ON quiz_posts (chat_id, round);
CREATE INDEX quiz_posts_open ON quiz_posts (chat_id, status, id);

CREATE TABLE attempts (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    chat_id    INTEGER NOT NULL REFERENCES chats (id),
    card_id    TEXT    NOT NULL,
    post_id    INTEGER REFERENCES quiz_posts (id),
    mode       TEXT    NOT NULL,
    answer     TEXT    NOT NULL,
    correct    INTEGER NOT NULL CHECK (correct IN (0, 1)),
    points     INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    UNIQUE (post_id, user_id)  -- one answer per user per post, whatever the code does
);
CREATE INDEX attempts_by_card ON attempts (user_id, chat_id, card_id, created_at);

CREATE TABLE scores (
    chat_id        INTEGER NOT NULL REFERENCES chats (id),
    user_id        INTEGER NOT NULL REFERENCES users (id),
    points         INTEGER NOT NULL DEFAULT 0,
    answered       INTEGER NOT NULL DEFAULT 0,
    correct        INTEGER NOT NULL DEFAULT 0,
    last_answer_at INTEGER NOT NULL,
    PRIMARY KEY (chat_id, user_id)
) WITHOUT ROWID;
CREATE INDEX scores_board ON scores (chat_id, points DESC, last_answer_at);

-- The aggregate follows every attempt in the same transaction, so leaderboards never scan attempts.
CREATE TRIGGER attempts_update_scores AFTER INSERT ON attempts
BEGIN
    INSERT INTO scores (chat_id, user_id, points, answered, correct, last_answer_at)
    VALUES (NEW.chat_id, NEW.user_id, NEW.points, 1, NEW.correct, NEW.created_at)
    ON CONFLICT (chat_id, user_id) DO UPDATE SET
        points = points + excluded.points,
        answered = answered + 1,
        correct = correct + excluded.correct,
        last_answer_at = excluded.last_answer_at;
END;
