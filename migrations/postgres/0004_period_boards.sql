-- Running totals for the today / week / month leaderboards, and how many members hold each score, so
-- a board reads its top rows from an index and a rank is a sum over distinct scores, never a scan of
-- every member. Both follow each attempt in the same transaction, through triggers (PostgreSQL).
-- Derived tables: no foreign keys, so an answer pays for no extra parent lookups.

CREATE TABLE period_scores (
    chat_id   BIGINT  NOT NULL,
    period    TEXT    NOT NULL,  -- 'd' + local day, 'w' + the Monday starting the week, 'm' + the month's first day
    user_id   BIGINT  NOT NULL,
    points    INTEGER NOT NULL DEFAULT 0,
    answered  INTEGER NOT NULL DEFAULT 0,
    correct   INTEGER NOT NULL DEFAULT 0,
    first_day TEXT    NOT NULL,  -- the member's first local day of answers in the period: earlier wins a tie
    PRIMARY KEY (chat_id, period, user_id)
);

-- Members per (chat, period, points); period 'all' counts the all-time `scores`.
CREATE TABLE score_counts (
    chat_id BIGINT  NOT NULL,
    period  TEXT    NOT NULL,
    points  INTEGER NOT NULL,
    members INTEGER NOT NULL,
    PRIMARY KEY (chat_id, period, points)
);

-- The Monday starting a local date's week, and the first day of its month, as YYYY-MM-DD.
CREATE FUNCTION week_start(day TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE AS
$$ SELECT to_char(date_trunc('week', day::date), 'YYYY-MM-DD') $$;
CREATE FUNCTION month_start(day TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE AS
$$ SELECT to_char(date_trunc('month', day::date), 'YYYY-MM-DD') $$;

-- Backfill from the per-day totals every earlier answer left.
INSERT INTO period_scores (chat_id, period, user_id, points, answered, correct, first_day)
SELECT chat_id, 'd' || day, user_id, points, answered, correct, day FROM day_scores;
INSERT INTO period_scores (chat_id, period, user_id, points, answered, correct, first_day)
SELECT chat_id, 'w' || week_start(day), user_id, SUM(points), SUM(answered), SUM(correct), MIN(day)
FROM day_scores GROUP BY chat_id, week_start(day), user_id;
INSERT INTO period_scores (chat_id, period, user_id, points, answered, correct, first_day)
SELECT chat_id, 'm' || month_start(day), user_id, SUM(points), SUM(answered), SUM(correct), MIN(day)
FROM day_scores GROUP BY chat_id, month_start(day), user_id;
INSERT INTO score_counts (chat_id, period, points, members)
SELECT chat_id, period, points, COUNT(*) FROM period_scores GROUP BY chat_id, period, points;
INSERT INTO score_counts (chat_id, period, points, members)
SELECT chat_id, 'all', points, COUNT(*) FROM scores GROUP BY chat_id, points;

CREATE INDEX period_scores_board ON period_scores (chat_id, period, points DESC, first_day, user_id);

CREATE FUNCTION attempts_update_period_scores() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO period_scores (chat_id, period, user_id, points, answered, correct, first_day)
    VALUES (NEW.chat_id, 'd' || NEW.local_day, NEW.user_id, NEW.points, 1, NEW.correct, NEW.local_day),
           (NEW.chat_id, 'w' || week_start(NEW.local_day), NEW.user_id, NEW.points, 1, NEW.correct, NEW.local_day),
           (NEW.chat_id, 'm' || month_start(NEW.local_day), NEW.user_id, NEW.points, 1, NEW.correct, NEW.local_day)
    ON CONFLICT (chat_id, period, user_id) DO UPDATE SET
        points = period_scores.points + excluded.points,
        answered = period_scores.answered + 1,
        correct = period_scores.correct + excluded.correct,
        first_day = LEAST(period_scores.first_day, excluded.first_day);
    RETURN NULL;
END;
$$;
CREATE TRIGGER attempts_update_period_scores AFTER INSERT ON attempts
FOR EACH ROW WHEN (NEW.local_day IS NOT NULL) EXECUTE FUNCTION attempts_update_period_scores();

-- One member more at (chat, period, points), one fewer at its old points.
CREATE FUNCTION score_counts_add(chat BIGINT, key TEXT, score INTEGER, change INTEGER) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO score_counts (chat_id, period, points, members) VALUES (chat, key, score, change)
    ON CONFLICT (chat_id, period, points) DO UPDATE SET members = score_counts.members + excluded.members;
$$;

CREATE FUNCTION period_scores_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM score_counts_add(OLD.chat_id, OLD.period, OLD.points, -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM score_counts_add(NEW.chat_id, NEW.period, NEW.points, 1);
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER period_scores_count_rows AFTER INSERT OR DELETE ON period_scores
FOR EACH ROW EXECUTE FUNCTION period_scores_count();
CREATE TRIGGER period_scores_count_update AFTER UPDATE OF points ON period_scores
FOR EACH ROW WHEN (OLD.points IS DISTINCT FROM NEW.points) EXECUTE FUNCTION period_scores_count();

CREATE FUNCTION scores_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM score_counts_add(OLD.chat_id, 'all', OLD.points, -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM score_counts_add(NEW.chat_id, 'all', NEW.points, 1);
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER scores_count_rows AFTER INSERT OR DELETE ON scores
FOR EACH ROW EXECUTE FUNCTION scores_count();
CREATE TRIGGER scores_count_update AFTER UPDATE OF points ON scores
FOR EACH ROW WHEN (OLD.points IS DISTINCT FROM NEW.points) EXECUTE FUNCTION scores_count();
