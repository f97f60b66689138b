-- Live quiz rounds (a run of timed questions in a chat, kept here so a restart continues or closes it),
-- the mistakes drill and streak-at-risk nudges.
-- Each question is an ordinary quiz post (mode 'quiz'); its answers are attempts with mode 'round'.

CREATE TABLE rounds (
    id          INTEGER PRIMARY KEY,
    chat_id     INTEGER NOT NULL REFERENCES chats (id),
    platform    TEXT    NOT NULL,
    target      TEXT    NOT NULL,              -- where the scheduler posts (a Telegram chat, a Discord channel)
    starter_id  INTEGER NOT NULL REFERENCES users (id),
    language    TEXT    NOT NULL,
    decks       TEXT,                          -- JSON list of deck ids asked for; NULL: the chat's decks
    cards       TEXT    NOT NULL,              -- JSON list of the card ids planned, in order
    seconds     INTEGER NOT NULL,              -- answer window per question
    state       TEXT    NOT NULL DEFAULT 'running' CHECK (state IN ('running', 'finished', 'stopped')),
    asked       INTEGER NOT NULL DEFAULT 0,    -- questions posted so far; the current one is number `asked`
    post_id     INTEGER REFERENCES quiz_posts (id),  -- the current question
    shown_at    INTEGER,                       -- when the current question was shown (UTC ms); NULL: not sent yet
    deadline    INTEGER,                       -- when it stops taking answers
    created_at  INTEGER NOT NULL,
    ended_at    INTEGER
);
-- one running round per chat, whatever the code does
CREATE UNIQUE INDEX rounds_one_running ON rounds (chat_id) WHERE state = 'running';
CREATE INDEX rounds_by_post ON rounds (post_id);

CREATE TABLE round_questions (
    round_id  INTEGER NOT NULL REFERENCES rounds (id),
    number    INTEGER NOT NULL,
    post_id   INTEGER NOT NULL UNIQUE REFERENCES quiz_posts (id),
    shown_at  INTEGER NOT NULL,                -- answer times are measured from here
    PRIMARY KEY (round_id, number)
) WITHOUT ROWID;

CREATE TABLE round_settings (
    chat_id  INTEGER PRIMARY KEY REFERENCES chats (id),
    seconds  INTEGER NOT NULL                  -- `/round time N`: this chat's answer window
);

-- The mistakes drill (`/review`): answers there earn no points and only take cards off the list.
CREATE TABLE drill_answers (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id),
    card_id     TEXT    NOT NULL,
    correct     INTEGER NOT NULL CHECK (correct IN (0, 1)),
    answered_at INTEGER NOT NULL
);
CREATE INDEX drill_answers_by_user ON drill_answers (user_id, card_id);
CREATE INDEX attempts_by_user ON attempts (user_id, created_at);

-- Streak-at-risk nudges: one row per user and local date claimed before sending, so at most one a day.
CREATE TABLE streak_nudges (
    user_id  INTEGER NOT NULL REFERENCES users (id),
    day      TEXT    NOT NULL,
    sent_at  INTEGER NOT NULL,
    PRIMARY KEY (user_id, day)
) WITHOUT ROWID;
