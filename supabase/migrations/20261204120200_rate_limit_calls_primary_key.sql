-- Purpose: private.rate_limit_calls gets a primary key (Supabase's linter, lint 0004; logical
-- replication and row-level tooling need one). A surrogate identity: two calls of one user and action
-- may share a clock_timestamp() within one transaction (several attempts created by one submit_answers),
-- so (user_id, action, called_at) is not a key.
-- Affected: private.rate_limit_calls (column id), its sequence.
-- Issue #14 item 2.

alter table private.rate_limit_calls add column id bigint generated always as identity primary key;
-- Only private.check_rate_limit (definer, owned by the migrator) writes the table and its sequence.
revoke all on sequence private.rate_limit_calls_id_seq from public, anon, authenticated, service_role;
