-- PostgreSQL.
-- week_start and month_start run in the statement trigger that keeps the period boards (0008), three
-- periods for every answer. Declared IMMUTABLE over bodies that are only STABLE (text to date, and
-- date_trunc on the timestamp with time zone a date turns into), they could not be inlined, so every call
-- ran as a SQL function of its own: 2.3 of the 9.6 ms the server spent on a batch of 50 answers. These
-- bodies inline into the trigger's query. The week is truncated as a timestamp without time zone, so the
-- Monday no longer depends on the session's time zone; the month is the date's own text. Same results
-- for every day from 2020 to 2074 (checked under UTC, America/Havana and Asia/Beirut).
CREATE OR REPLACE FUNCTION week_start(day TEXT) RETURNS TEXT LANGUAGE sql STABLE AS
$$ SELECT to_char(date_trunc('week', day::timestamp), 'YYYY-MM-DD') $$;
CREATE OR REPLACE FUNCTION month_start(day TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE AS
$$ SELECT left(day, 8) || '01' $$;
