-- Feed health for the scheduler's politeness: `state` is `ok`, `backoff` (failing, waiting
-- longer between tries), `rate_limited` (waiting for the API's window) or `auth_failed`
-- (credentials refused: not polled again until the configuration or secret changes and the
-- service restarts). `next_run_at` is when the scheduler will next poll (ms since epoch).
ALTER TABLE feeds ADD COLUMN state TEXT NOT NULL DEFAULT 'ok';
ALTER TABLE feeds ADD COLUMN next_run_at INTEGER;
-- When the feed last stored a new mention (ms), for the `max_silence` watch.
ALTER TABLE feeds ADD COLUMN last_mention_at INTEGER;
