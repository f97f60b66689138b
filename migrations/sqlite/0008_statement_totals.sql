-- SQLite: nothing to do. Version 8 moves PostgreSQL's running totals from row triggers to statement
-- triggers (migrations/postgres/0008_statement_totals.sql); SQLite commits an answer batch row by row and
-- keeps its row triggers. The file keeps both dialects at the same version.
SELECT 1;
