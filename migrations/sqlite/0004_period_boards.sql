-- Running totals for the today / week / month leaderboards, and how many members hold each score, so
-- a board reads its top rows from an index and a rank is a sum over distinct scores, never a scan of
-- every member. Both follow each attempt in the same transaction, through triggers.
-- Derived tables: no foreign keys, so an answer pays for no extra parent lookups.

CREATE TABLE period_scores (
    chat_id   INTEGER NOT NULL,
    period    TEXT    NOT NULL,  -- 'd' + local day, 'w' + the Monday starting the week, 'm' + the month's first day
    user_id   INTEGER NOT NULL,
    points    INTEGER NOT NULL DEFAULT 0,
    answered  INTEGER NOT NULL DEFAULT 0,
    correct   INTEGER NOT NULL DEFAULT 0,
    first_day TEXT    NOT NULL,  -- the member's first local day of answers in the period: earlier wins a tie
    PRIMARY KEY (chat_id, period, user_id)
) WITHOUT ROWID;

-- Members per (chat, period, points); period 'all' counts the all-time `scores`.
CREATE TABLE score_counts (
    chat_id INTEGER NOT NULL,
    period  TEXT    NOT NULL,
    points  INTEGER NOT NULL,
    members INTEGER NOT NULL,
    PRIMARY KEY (chat_id, period, points)
) WITHOUT ROWID;

-- Backfill from the per-day totals every earlier answer left (weeks start on Monday).
INSERT INTO period_scores (chat_id, period, user_id, points, answered, correct, first_day)
SELECT chat_id, 'd' || day, user_id, points, answered, correct, day FROM day_scores;
INSERT INTO period_scores (chat_id, period, user_id, points, answered, correct, first_day)
SELECT chat_id, 'w' || date(day, '-6 days', 'weekday 1'), user_id, SUM(points), SUM(answered), SUM(correct), MIN(day)
FROM day_scores GROUP BY chat_id, date(day, '-6 days', 'weekday 1'), user_id;
INSERT INTO period_scores (chat_id, period, user_id, points, answered, correct, first_day)
SELECT chat_id, 'm' || strftime('%Y-%m-01', day), user_id, SUM(points), SUM(answered), SUM(correct), MIN(day)
FROM day_scores GROUP BY chat_id, strftime('%Y-%m-01', day), user_id;
INSERT INTO score_counts (chat_id, period, points, members)
SELECT chat_id, period, points, COUNT(*) FROM period_scores GROUP BY chat_id, period, points;
INSERT INTO score_counts (chat_id, period, points, members)
SELECT chat_id, 'all', points, COUNT(*) FROM scores GROUP BY chat_id, points;

CREATE INDEX period_scores_board ON period_scores (chat_id, period, points DESC, first_day, user_id);

CREATE TRIGGER attempts_update_period_scores AFTER INSERT ON attempts WHEN NEW.local_day IS NOT NULL
BEGIN
    INSERT INTO period_scores (chat_id, period, user_id, points, answered, correct, first_day)
    VALUES (NEW.chat_id, 'd' || NEW.local_day, NEW.user_id, NEW.points, 1, NEW.correct, NEW.local_day),
           (NEW.chat_id, 'w' || date(NEW.local_day, '-6 days', 'weekday 1'), NEW.user_id, NEW.points, 1,
            NEW.correct, NEW.local_day),
           (NEW.chat_id, 'm' || strftime('%Y-%m-01', NEW.local_day), NEW.user_id, NEW.points, 1, NEW.correct,
            NEW.local_day)
    ON CONFLICT (chat_id, period, user_id) DO UPDATE SET
        points = points + excluded.points,
        answered = answered + 1,
        correct = correct + excluded.correct,
        first_day = min(first_day, excluded.first_day);
END;

CREATE TRIGGER period_scores_count_insert AFTER INSERT ON period_scores
BEGIN
    INSERT INTO score_counts (chat_id, period, points, members) VALUES (NEW.chat_id, NEW.period, NEW.points, 1)
    ON CONFLICT (chat_id, period, points) DO UPDATE SET members = members + 1;
END;

CREATE TRIGGER period_scores_count_update AFTER UPDATE OF points ON period_scores WHEN OLD.points != NEW.points
BEGIN
    UPDATE score_counts SET members = members - 1
    WHERE chat_id = OLD.chat_id AND period = OLD.period AND points = OLD.points;
    INSERT INTO score_counts (chat_id, period, points, members) VALUES (NEW.chat_id, NEW.period, NEW.points, 1)
    ON CONFLICT (chat_id, period, points) DO UPDATE SET members = members + 1;
END;

CREATE TRIGGER period_scores_count_delete AFTER DELETE ON period_scores
BEGIN
    UPDATE score_counts SET members = members - 1
    WHERE chat_id = OLD.chat_id AND period = OLD.period AND points = OLD.points;
END;

CREATE TRIGGER scores_count_insert AFTER INSERT ON scores
BEGIN
    INSERT INTO score_counts (chat_id, period, points, members) VALUES (NEW.chat_id, 'all', NEW.points, 1)
    ON CONFLICT (chat_id, period, points) DO UPDATE SET members = members + 1;
END;

CREATE TRIGGER scores_count_update AFTER UPDATE OF points ON scores WHEN OLD.points != NEW.points
BEGIN
    UPDATE score_counts SET members = members - 1
    WHERE chat_id = OLD.chat_id AND period = 'all' AND points = OLD.points;
    INSERT INTO score_counts (chat_id, period, points, members) VALUES (NEW.chat_id, 'all', NEW.points, 1)
    ON CONFLICT (chat_id, period, points) DO UPDATE SET members = members + 1;
END;

CREATE TRIGGER scores_count_delete AFTER DELETE ON scores
BEGIN
    UPDATE score_counts SET members = members - 1
    WHERE chat_id = OLD.chat_id AND period = 'all' AND points = OLD.points;
END;
