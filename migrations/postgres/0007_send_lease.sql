-- PostgreSQL.
-- Several processes on one database: when a claimed daily question's send began. A claim whose send never
-- began is taken over by another process once the claim lease has passed (the claimant died before
-- sending); one whose send began is never sent again (it may have reached the platform).

ALTER TABLE daily_posts ADD COLUMN send_started_at BIGINT;
UPDATE daily_posts SET send_started_at = claimed_at WHERE state = 'sending';  -- at most once, as before
CREATE INDEX daily_posts_unsent ON daily_posts (claimed_at) WHERE state = 'sending' AND send_started_at IS NULL;
