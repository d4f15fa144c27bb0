-- Conversation links of a mention, as the network gives them: the post it answers
-- (`reply_to`, an external id on the same network), the thread/conversation root
-- (`thread_id`) and whether it is a repost/boost/retweet of someone else's post.
ALTER TABLE mentions ADD COLUMN reply_to TEXT;
ALTER TABLE mentions ADD COLUMN thread_id TEXT;
ALTER TABLE mentions ADD COLUMN is_repost INTEGER NOT NULL DEFAULT 0;
CREATE INDEX mentions_thread ON mentions(source, thread_id) WHERE thread_id IS NOT NULL;
