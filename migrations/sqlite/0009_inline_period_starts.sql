-- SQLite: nothing to do. Version 9 lets PostgreSQL inline the week and month starts its period-board
-- trigger computes for every answer (migrations/postgres/0009_inline_period_starts.sql); SQLite's
-- triggers use its own date() modifiers. The file keeps both dialects at the same version.
SELECT 1;
