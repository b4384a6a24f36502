-- ledger_post's statements take their arrays as parameters, so PostgreSQL's plan cache re-plans
-- each of them on every call ("custom" plans, chosen because the row count of an unnested array
-- parameter is unknown to a generic plan). For a single-entry post that planning was about a third
-- of the server's time: with generic plans, pgbench calling ledger_post with one 2-posting entry per
-- transaction (2 clients, synchronous_commit off, PostgreSQL 15 on 2 cores) went from 1,316-1,385
-- to 2,004-2,236 calls/s. Streamed 10,000-entry chunks were measured no slower with generic
-- plans (a 200,000-entry `ledger post`: 33.7 s, against 31.2-34.2 s with custom plans).
-- The setting holds while the function runs, for the triggers it fires as well, and is restored
-- when it returns.
/* [jooq ignore start] */
ALTER FUNCTION ledger_post(varchar[], timestamptz[], varchar[], jsonb[], varchar[], integer[], bytea[],
  integer[], integer[], varchar[], varchar[], bigint[]) SET plan_cache_mode = force_generic_plan;
/* [jooq ignore stop] */
