-- PostgreSQL.
-- The running totals (scores, day_scores, period_scores) and the member counts per score (score_counts,
-- chats.members) follow attempts once per statement instead of once per row. A group commit inserts a
-- batch of answers in one statement; row triggers ran about fourteen plpgsql upserts per answer, which
-- made the server, not the bot, the limit on answers/s. Statement triggers read the statement's rows
-- from a transition table and write each total once, grouped, in key order (so two processes take row
-- locks in the same order). Same results as the row triggers of 0001, 0002 and 0004.

DROP TRIGGER attempts_update_scores ON attempts;
DROP TRIGGER attempts_update_day_scores ON attempts;
DROP TRIGGER attempts_update_period_scores ON attempts;
DROP TRIGGER scores_count_members ON scores;
DROP TRIGGER scores_count_rows ON scores;
DROP TRIGGER scores_count_update ON scores;
DROP TRIGGER period_scores_count_rows ON period_scores;
DROP TRIGGER period_scores_count_update ON period_scores;

CREATE FUNCTION attempts_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO scores (chat_id, user_id, points, answered, correct, last_answer_at)
    SELECT chat_id, user_id, SUM(points), COUNT(*), SUM(correct), MAX(created_at)
    FROM added GROUP BY chat_id, user_id ORDER BY chat_id, user_id
    ON CONFLICT (chat_id, user_id) DO UPDATE SET
        points = scores.points + excluded.points,
        answered = scores.answered + excluded.answered,
        correct = scores.correct + excluded.correct,
        last_answer_at = excluded.last_answer_at;
    INSERT INTO day_scores (chat_id, day, user_id, points, answered, correct)
    SELECT chat_id, local_day, user_id, SUM(points), COUNT(*), SUM(correct)
    FROM added WHERE local_day IS NOT NULL
    GROUP BY chat_id, local_day, user_id ORDER BY chat_id, local_day, user_id
    ON CONFLICT (chat_id, day, user_id) DO UPDATE SET
        points = day_scores.points + excluded.points,
        answered = day_scores.answered + excluded.answered,
        correct = day_scores.correct + excluded.correct;
    INSERT INTO period_scores (chat_id, period, user_id, points, answered, correct, first_day)
    SELECT a.chat_id, p.period, a.user_id, SUM(a.points), COUNT(*), SUM(a.correct), MIN(a.local_day)
    FROM added AS a
    CROSS JOIN LATERAL (VALUES ('d' || a.local_day), ('w' || week_start(a.local_day)),
                               ('m' || month_start(a.local_day))) AS p (period)
    WHERE a.local_day IS NOT NULL
    GROUP BY a.chat_id, p.period, a.user_id ORDER BY a.chat_id, p.period, a.user_id
    ON CONFLICT (chat_id, period, user_id) DO UPDATE SET
        points = period_scores.points + excluded.points,
        answered = period_scores.answered + excluded.answered,
        correct = period_scores.correct + excluded.correct,
        first_day = LEAST(period_scores.first_day, excluded.first_day);
    RETURN NULL;
END;
$$;
CREATE TRIGGER attempts_added AFTER INSERT ON attempts
REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION attempts_added();

-- Members per (chat, period, points): one more at each new total's points, one fewer at each old one's.
CREATE FUNCTION scores_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO score_counts (chat_id, period, points, members)
        SELECT chat_id, 'all', points, COUNT(*) FROM new_rows GROUP BY chat_id, points ORDER BY chat_id, points
        ON CONFLICT (chat_id, period, points) DO UPDATE SET members = score_counts.members + excluded.members;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO score_counts (chat_id, period, points, members)
        SELECT chat_id, 'all', points, -COUNT(*) FROM old_rows GROUP BY chat_id, points ORDER BY chat_id, points
        ON CONFLICT (chat_id, period, points) DO UPDATE SET members = score_counts.members + excluded.members;
    ELSE  -- only the net change: a total whose points stayed as they were changes no count
        INSERT INTO score_counts (chat_id, period, points, members)
        SELECT chat_id, 'all', points, SUM(change) FROM (
            SELECT chat_id, points, 1 AS change FROM new_rows UNION ALL SELECT chat_id, points, -1 FROM old_rows
        ) AS sides GROUP BY chat_id, points HAVING SUM(change) <> 0 ORDER BY chat_id, points
        ON CONFLICT (chat_id, period, points) DO UPDATE SET members = score_counts.members + excluded.members;
    END IF;
    RETURN NULL;
END;
$$;
CREATE FUNCTION scores_added_members() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE chats SET members = chats.members + n.added
    FROM (SELECT chat_id, COUNT(*) AS added FROM new_rows GROUP BY chat_id ORDER BY chat_id) AS n
    WHERE chats.id = n.chat_id;
    RETURN NULL;
END;
$$;
CREATE TRIGGER scores_inserted AFTER INSERT ON scores
REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION scores_changed();
CREATE TRIGGER scores_inserted_members AFTER INSERT ON scores
REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION scores_added_members();
CREATE TRIGGER scores_updated AFTER UPDATE ON scores
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION scores_changed();
CREATE TRIGGER scores_deleted AFTER DELETE ON scores
REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION scores_changed();

CREATE FUNCTION period_scores_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO score_counts (chat_id, period, points, members)
        SELECT chat_id, period, points, COUNT(*) FROM new_rows GROUP BY chat_id, period, points ORDER BY chat_id, period, points
        ON CONFLICT (chat_id, period, points) DO UPDATE SET members = score_counts.members + excluded.members;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO score_counts (chat_id, period, points, members)
        SELECT chat_id, period, points, -COUNT(*) FROM old_rows GROUP BY chat_id, period, points ORDER BY chat_id, period, points
        ON CONFLICT (chat_id, period, points) DO UPDATE SET members = score_counts.members + excluded.members;
    ELSE  -- only the net change: a total whose points stayed as they were changes no count
        INSERT INTO score_counts (chat_id, period, points, members)
        SELECT chat_id, period, points, SUM(change) FROM (
            SELECT chat_id, period, points, 1 AS change FROM new_rows UNION ALL SELECT chat_id, period, points, -1 FROM old_rows
        ) AS sides GROUP BY chat_id, period, points HAVING SUM(change) <> 0 ORDER BY chat_id, period, points
        ON CONFLICT (chat_id, period, points) DO UPDATE SET members = score_counts.members + excluded.members;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER period_scores_inserted AFTER INSERT ON period_scores
REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION period_scores_changed();
CREATE TRIGGER period_scores_updated AFTER UPDATE ON period_scores
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION period_scores_changed();
CREATE TRIGGER period_scores_deleted AFTER DELETE ON period_scores
REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION period_scores_changed();

DROP FUNCTION attempts_update_scores();
DROP FUNCTION attempts_update_day_scores();
DROP FUNCTION attempts_update_period_scores();
DROP FUNCTION scores_count_members();
DROP FUNCTION scores_count();
DROP FUNCTION period_scores_count();
DROP FUNCTION score_counts_add(BIGINT, TEXT, INTEGER, INTEGER);
