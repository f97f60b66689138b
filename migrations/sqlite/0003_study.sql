-- Personal study: spaced-repetition state per user and card (FSRS), shown flashcards, reviews, reminders.

CREATE TABLE study_cards (
    user_id         INTEGER NOT NULL REFERENCES users (id),
    card_id         TEXT    NOT NULL,
    fsrs            TEXT    NOT NULL,  -- fsrs.Card.to_dict() as JSON: the scheduler's whole state
    state           INTEGER NOT NULL,  -- 1 learning, 2 review, 3 relearning
    stability       REAL,
    due_at          INTEGER NOT NULL,
    reviews         INTEGER NOT NULL DEFAULT 0,
    first_review_at INTEGER NOT NULL,
    last_review_at  INTEGER NOT NULL,
    PRIMARY KEY (user_id, card_id)
) WITHOUT ROWID;
CREATE INDEX study_cards_due ON study_cards (user_id, due_at);
CREATE INDEX study_cards_first ON study_cards (user_id, first_review_at);

-- A flashcard shown to a user: it can be rated once, and only by that user.
CREATE TABLE study_prompts (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id),
    chat_id     INTEGER NOT NULL REFERENCES chats (id),
    card_id     TEXT    NOT NULL,
    shown_at    INTEGER NOT NULL,
    message_id  TEXT,
    answer      TEXT,               -- the user's own words, when they answered
    score       INTEGER,            -- 0-100 from the grader
    proposed    INTEGER,            -- the rating the score proposes (1-4)
    graded_by   TEXT,
    rating      INTEGER,
    rated_at    INTEGER
);
CREATE INDEX study_prompts_open ON study_prompts (user_id, chat_id, rated_at, id);

CREATE TABLE reviews (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id),
    card_id      TEXT    NOT NULL,
    prompt_id    INTEGER NOT NULL UNIQUE REFERENCES study_prompts (id),  -- a shown card is rated once
    rating       INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
    score        INTEGER,
    reviewed_at  INTEGER NOT NULL,
    local_day    TEXT    NOT NULL,
    due_after    INTEGER NOT NULL
);
CREATE INDEX reviews_by_user ON reviews (user_id, reviewed_at);

CREATE TABLE reminders (
    user_id     INTEGER PRIMARY KEY REFERENCES users (id),
    platform    TEXT    NOT NULL,
    target      TEXT    NOT NULL,   -- the private chat the reminder goes to
    remind_time TEXT    NOT NULL,   -- HH:MM, local
    timezone    TEXT    NOT NULL,
    language    TEXT    NOT NULL DEFAULT 'en',
    active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    next_due_at INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX reminders_due ON reminders (active, next_due_at);
