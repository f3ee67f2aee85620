-- Rollup Console demo seed: Chatwoot-shaped accounts, agents, inboxes, teams, conversations,
-- ~600k reporting_events and a deliberately imperfect reporting_events_rollups table.
--
-- Runs once on an empty database that has schema.sql loaded, inside ONE transaction the caller
-- opens (plain SQL only). Fully deterministic: no random(), no now(); every "random" choice is a
-- hash of a row key (hashint8extended), every timestamp is fixed, and every INSERT that fills a
-- serial column is ORDER BY a unique key. Helper objects live in pg_temp and are dropped at the end.
--
-- Steps, so that the console can show how far seeding is (db/demodatabase.cpp runs them in order):
--   "-- @step W TITLE" starts a step: everything up to the next @step, run as one script. W is the
--     step's share of the seeding time (relative weight, for the progress bar only).
--   "-- @each QUERY" (one line, right after @step): the step is ONE statement with ? placeholders,
--     run once per row of QUERY, in QUERY's order: column 1 names the chunk, column 2 is its
--     weight, the other columns are bound to the placeholders. Chunks split a statement only
--     where running it in pieces gives the same rows, ids and row order as running it whole.
-- Comment lines are dropped before a step runs; statements of an @each step have no comments.

-- @step 1 accounts, agents, inboxes and teams
SET LOCAL work_mem = '128MB';

-- u(key, salt): uniform double in [0, 1) from a 64-bit hash of (key, salt).
CREATE FUNCTION pg_temp.u(k bigint, salt bigint) RETURNS double precision
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT ((hashint8extended(k, salt) >> 11) & 9007199254740991)::double precision / 9007199254740992 $$;

-- ---------------------------------------------------------------------------------------------
-- 1. Accounts. reporting_timezone lives in settings (docs/rollups.md §1): IANA ids, a Rails friendly
--    name (4), none (7), an invalid case-mismatched id (8), NULL settings (9). Other settings keys
--    are there so editors can prove they survive. report_rollup = bit 1<<19 (524288) on account 1.
-- ---------------------------------------------------------------------------------------------
INSERT INTO accounts (id, name, domain, support_email, feature_flags, auto_resolve_duration, settings,
                      custom_attributes, created_at, updated_at) VALUES
 (1, 'Acme India', 'acme.example', 'support@acme.example', 262143 | 524288, 7,
  '{"reporting_timezone": "Asia/Kolkata", "auto_resolve_after": 10080, "auto_resolve_message": "Closing this chat after a week without a reply."}',
  '{"plan_name": "business"}', '2021-12-14 06:12:44', '2026-02-02 10:20:00'),
 (2, 'Loja Brasil', 'lojabrasil.example', 'atendimento@lojabrasil.example', 262143, NULL,
  '{"reporting_timezone": "America/Sao_Paulo", "auto_resolve_after": 1440, "auto_resolve_ignore_waiting": true}',
  '{"plan_name": "startups"}', '2018-05-20 13:01:09', '2020-08-11 17:45:31'),
 (3, 'Santiago Soporte', 'santiago.example', 'soporte@santiago.example', 65535, NULL,
  '{"reporting_timezone": "America/Santiago"}', '{}', '2023-01-09 15:30:00', '2024-03-01 12:00:00'),
 (4, 'Eastern Support', 'eastern.example', 'help@eastern.example', 524287, NULL,
  '{"reporting_timezone": "Eastern Time (US & Canada)", "auto_resolve_after": 4320, "audio_transcriptions": true}',
  '{"plan_name": "enterprise"}', '2021-02-10 14:00:00', '2023-06-30 18:22:10'),
 (5, 'Lord Howe Labs', 'lordhowe.example', 'lab@lordhowe.example', 14335, NULL,
  '{"reporting_timezone": "Australia/Lord_Howe"}', '{}', '2022-06-15 01:00:00', '2022-06-15 01:00:00'),
 (6, 'Chatham Fisheries', 'chatham.example', 'orders@chatham.example', 8191, NULL,
  '{"reporting_timezone": "Pacific/Chatham", "auto_resolve_label": "auto-closed"}', '{}',
  '2023-03-20 20:15:00', '2025-01-07 03:40:00'),
 (7, 'No Zone Yet', 'nozone.example', NULL, 0, NULL, '{}', '{}', '2018-08-20 09:00:00', '2018-08-20 09:00:00'),
 (8, 'Typo Zone', 'typozone.example', 'care@typozone.example', 2047, NULL,
  '{"reporting_timezone": "america/new_york", "auto_resolve_after": 2880}', '{}',
  '2023-12-18 16:45:00', '2025-05-05 11:11:11'),
 (9, 'Null Settings Inc', 'nullsettings.example', NULL, 0, NULL, NULL, '{}', '2020-01-20 03:00:00', '2020-01-20 03:00:00');
SELECT setval(pg_get_serial_sequence('accounts', 'id'), 9);

-- ---------------------------------------------------------------------------------------------
-- 2. Generation parameters per account (temp table): the IANA zone the LIVE rollup path uses
--    (NULL = rollups off; account 4's Rails name resolves to America/New_York), a rough UTC offset
--    to put most traffic in local office hours, the event span (local dates), the conversation
--    count, agent / inbox ("Name=ChannelClass") / team lists.
-- ---------------------------------------------------------------------------------------------
CREATE TEMP TABLE seed_acct ON COMMIT DROP AS
SELECT v.*, cardinality(string_to_array(agents, '|')) AS n_agents,
       cardinality(string_to_array(inboxes, '|')) AS n_inboxes,
       cardinality(string_to_array(teams, '|')) AS n_teams,
       (sum(n_conv) OVER (ORDER BY account_id) - n_conv)::int AS conv_base,
       -- P1: the timezone was configured ~2 months after the first event; the live path wrote nothing before
       ev_from + 62 + time '14:37:12.250000' AS tz_set_at
FROM (VALUES
 (1, 'Asia/Kolkata',        5.5,  date '2022-01-10', date '2026-11-20', 30000, 'acme.example',
  'Priya Sharma|Rahul Mehta|Ananya Iyer|Vikram Singh|Sneha Reddy|Arjun Nair|Kavya Menon|Rohan Gupta|Meera Pillai|Aditya Joshi',
  'Website Chat=WebWidget|WhatsApp=Whatsapp|Email Support=Email|Instagram DMs=Instagram|SMS Alerts=Sms', 'Tier 1|Billing|Escalations'),
 (2, 'America/Sao_Paulo',   -3,   date '2018-06-01', date '2020-12-31', 17000, 'lojabrasil.example',
  'João Silva|Mariana Costa|Lucas Oliveira|Beatriz Santos|Rafael Souza|Camila Ferreira|Gabriel Almeida|Larissa Ribeiro',
  'Chat do Site=WebWidget|WhatsApp Vendas=Whatsapp|E-mail Suporte=Email|Facebook Messenger=FacebookPage', 'Vendas|Pós-venda'),
 (3, 'America/Santiago',    -4,   date '2023-02-01', date '2025-12-31', 17000, 'santiago.example',
  'Catalina Muñoz|Matías González|Valentina Rojas|Sebastián Díaz|Francisca Soto|Benjamín Contreras|Javiera Silva|Tomás Morales|Constanza Araya',
  'Chat Web=WebWidget|WhatsApp Soporte=Whatsapp|Correo=Email', 'Soporte General|Reclamos'),
 (4, 'America/New_York',    -5,   date '2021-03-01', date '2024-02-29', 17000, 'eastern.example',
  'Emily Johnson|Michael Brown|Jessica Davis|Christopher Miller|Ashley Wilson|Matthew Moore|Sarah Taylor|Daniel Anderson|Olivia Thomas|James Jackson|Megan White|Tyler Harris',
  'Website Chat=WebWidget|SMS Line=TwilioSms|Email Support=Email|Partner API=Api', 'Frontline|Accounts|Night Shift'),
 (5, 'Australia/Lord_Howe', 10.5, date '2022-07-01', date '2025-06-30', 13000, 'lordhowe.example',
  'Charlotte Nguyen|Jack Thompson|Isla Walker|Noah Mitchell|Ruby Campbell|Oliver Kelly',
  'Lab Portal Chat=WebWidget|Telegram=Telegram|Lab Email=Email', 'Research Desk|Logistics'),
 (6, 'Pacific/Chatham',     12.75, date '2023-04-01', date '2026-03-31', 12000, 'chatham.example',
  'Aroha Tane|Liam Murphy|Mere Parata|Hamish Fraser|Sophie Clarke|Wiremu Ngata|Grace Tuhiwai',
  'Dockside Chat=WebWidget|WhatsApp=Whatsapp|Orders Email=Email|LINE=Line', 'Orders|Quality'),
 (7, NULL,                  1,    date '2018-09-01', date '2020-10-31', 6000, 'nozone.example',
  'Hannah Fischer|Jonas Weber|Lea Schneider|Felix Wagner|Mia Becker|Paul Hoffmann',
  'Web Chat=WebWidget|API Inbox=Api|Support Email=Email', 'Support|Sales'),
 (8, NULL,                  -5,   date '2024-01-01', date '2026-01-31', 6000, 'typozone.example',
  'Aisha Bello|Chinedu Okafor|Fatima Yusuf|Emeka Nwosu|Ngozi Adeyemi|Tunde Bakare',
  'Website Chat=WebWidget|WhatsApp=Whatsapp|Email=Email', 'Care|Returns'),
 (9, NULL,                  9,    date '2020-02-01', date '2022-04-30', 6000, 'nullsettings.example',
  'Yuki Tanaka|Haruto Sato|Sakura Suzuki|Ren Takahashi|Aoi Watanabe|Sota Ito|Hina Yamamoto',
  'Help Widget=WebWidget|LINE=Line|Email Desk=Email|Telegram=Telegram', 'Support|Billing|Partners')
) AS v(account_id, tz, utc_off, ev_from, ev_to, n_conv, domain, agents, inboxes, teams);

-- ---------------------------------------------------------------------------------------------
-- 3. Agents (users id = account*100 + k), memberships (first agent is administrator), inboxes
--    (id = account*10 + k) and teams (id = account*10 + k). User 111 "Deepak Rao" left account 1:
--    no membership and no events, but stale agent rollup rows still point at him (section 8).
-- ---------------------------------------------------------------------------------------------
INSERT INTO users (id, provider, uid, name, display_name, email, created_at, updated_at, pubsub_token,
                   availability, type)
SELECT id, 'email', email, name, split_part(name, ' ', 1), email, ts, ts, md5('pubsub-' || id), 0, 'User'
FROM (SELECT a.account_id * 100 + n.k AS id, n.name,
             translate(lower(n.name), 'áàâãéêíóôõúüçñ ', 'aaaaeeiooouucn.') || '@' || a.domain AS email,
             a.ev_from - 20 + n.k * interval '1 day 37 minutes' AS ts
      FROM seed_acct a, unnest(string_to_array(a.agents, '|')) WITH ORDINALITY AS n(name, k)
      UNION ALL
      SELECT 111, 'Deepak Rao', 'deepak.rao@acme.example', timestamp '2021-12-20 08:00:00') s
ORDER BY id;
SELECT setval(pg_get_serial_sequence('users', 'id'), (SELECT max(id) FROM users));

INSERT INTO account_users (account_id, user_id, role, inviter_id, created_at, updated_at, active_at, availability)
SELECT u.id / 100, u.id, CASE WHEN u.id % 100 = 1 THEN 1 ELSE 0 END,
       CASE WHEN u.id % 100 = 1 THEN NULL ELSE u.id / 100 * 100 + 1 END,
       u.created_at, u.created_at, a.ev_to - (u.id % 7) + time '16:20:00', (u.id % 3)
FROM users u JOIN seed_acct a ON a.account_id = u.id / 100
WHERE u.id <> 111
ORDER BY u.id;

INSERT INTO inboxes (id, channel_id, account_id, name, channel_type, created_at, updated_at, greeting_enabled,
                     working_hours_enabled, timezone, email_address)
SELECT a.account_id * 10 + n.k, a.account_id * 10 + n.k, a.account_id, split_part(n.item, '=', 1),
       'Channel::' || split_part(n.item, '=', 2), a.ev_from - 30 + time '10:00', a.ev_from - 30 + time '10:00',
       n.k = 1, n.k <= 2, coalesce(a.tz, 'UTC'),
       CASE WHEN split_part(n.item, '=', 2) = 'Email' THEN 'inbox' || n.k || '@' || a.domain END
FROM seed_acct a, unnest(string_to_array(a.inboxes, '|')) WITH ORDINALITY AS n(item, k)
ORDER BY 1;
SELECT setval(pg_get_serial_sequence('inboxes', 'id'), (SELECT max(id) FROM inboxes));

INSERT INTO teams (id, name, description, account_id, created_at, updated_at)
SELECT a.account_id * 10 + n.k, n.name, n.name || ' team', a.account_id, a.ev_from - 25 + time '11:00',
       a.ev_from - 25 + time '11:00'
FROM seed_acct a, unnest(string_to_array(a.teams, '|')) WITH ORDINALITY AS n(name, k)
ORDER BY 1;
SELECT setval(pg_get_serial_sequence('teams', 'id'), (SELECT max(id) FROM teams));

-- ---------------------------------------------------------------------------------------------
-- 4. Conversation plan (temp table): one row per conversation with its start time and the offsets
--    (seconds after creation) of everything that happens in it. Volume grows ~2.5x over each
--    account's span; 75% of conversations start in local office hours. Kinds: 'human' (first
--    response, replies, resolution), 'bot' (bot handoff first; 3% get a DUPLICATE handoff the same
--    day, 1% another one days later: pitfall P3/P4), 'botres' (resolved by the bot, no agent).
--    8% are reopened and resolved again. 2% of conversations were deleted later (their events stay).
-- ---------------------------------------------------------------------------------------------
-- @step 11 conversation plan
CREATE TEMP TABLE seed_conv ON COMMIT DROP AS
SELECT a.account_id, s.c, a.conv_base + s.c AS conv_id, r.k,
       a.ev_from + floor(r.f * (a.ev_to - a.ev_from - 6))::int
         + (CASE WHEN r.u2 < 0.75 THEN 28800 + r.u3 * 43200 ELSE r.u3 * 86400 END - a.utc_off * 3600) * interval '1 second'
         AS created_at,
       r.kind,
       CASE WHEN r.kind <> 'botres' THEN a.account_id * 100 + 1 + floor(a.n_agents * r.u13 ^ 1.4)::int END AS agent_id,
       a.account_id * 10 + 1 + floor(CASE WHEN r.kind = 'human' THEN a.n_inboxes ELSE 2 END * r.u14)::int AS inbox_id,
       CASE WHEN r.kind <> 'botres' AND r.u15 >= 0.3 THEN a.account_id * 10 + 1 + s.c % a.n_teams END AS team_id,
       r.u16 >= 0.02 AS kept,
       CASE WHEN r.kind = 'bot' THEN r.t_h END AS t_h,
       r.t_fr, r.n_reply, r.gap, r.t_r,
       CASE WHEN r.u10 < 0.08 AND r.kind <> 'botres' THEN r.t_r + 3600 + r.u11 * 172800 END AS t_o,
       CASE WHEN r.kind = 'bot' AND r.u17 < 0.03 THEN 'same' WHEN r.kind = 'bot' AND r.u17 < 0.04 THEN 'later' END AS dup,
       r.u18 < 0.15 AS handoff_unassigned, r.u19 < 0.3 AS captain, r.kind = 'human' AND r.u20 < 0.12 AS pending_first,
       r.u12
FROM seed_acct a
CROSS JOIN LATERAL generate_series(1, a.n_conv) AS s(c)
-- Innermost to outermost: k = conversation key, u2..u20 = independent hash draws, fx = position in
-- the span (monotonic in c), f = growth curve; then kind and handoff offset t_h; then first response
-- t_fr, reply count and spacing; then last reply t_last; then resolution t_r.
CROSS JOIN LATERAL (
    SELECT q.*,
           CASE WHEN q.kind = 'botres' THEN 30 + q.u9 * 1800
                ELSE q.t_last + 300 + q.u9 ^ 3 * 172800 END AS t_r
    FROM (SELECT p.*,
                 CASE WHEN p.n_reply = 0 THEN p.t_fr
                      ELSE p.t_fr + p.n_reply * p.gap + 0.5 * p.gap * pg_temp.u(p.k * 8 + p.n_reply, 50) END AS t_last
          FROM (SELECT o.*,
                       CASE WHEN o.kind = 'bot' THEN o.t_h + 30 + o.u6 ^ 2 * 5400 ELSE 15 + o.u6 ^ 2 * 14400 END AS t_fr,
                       CASE WHEN o.kind = 'botres' THEN 0 ELSE floor(5.99 * o.u7 ^ 1.3)::int END AS n_reply,
                       120 + o.u8 ^ 2 * 7200 AS gap
                FROM (SELECT x.*, x.fx * (2 - 0.6 * x.fx) / 1.4 AS f,
                             CASE WHEN x.u4 < 0.30 THEN 'bot' WHEN x.u4 < 0.38 THEN 'botres' ELSE 'human' END AS kind,
                             20 + x.u5 * 900 AS t_h
                      FROM (SELECT kk.k, (s.c - 1 + pg_temp.u(kk.k, 1)) / a.n_conv AS fx,
                                   pg_temp.u(kk.k, 2) u2, pg_temp.u(kk.k, 3) u3, pg_temp.u(kk.k, 4) u4,
                                   pg_temp.u(kk.k, 5) u5, pg_temp.u(kk.k, 6) u6, pg_temp.u(kk.k, 7) u7,
                                   pg_temp.u(kk.k, 8) u8, pg_temp.u(kk.k, 9) u9, pg_temp.u(kk.k, 10) u10,
                                   pg_temp.u(kk.k, 11) u11, pg_temp.u(kk.k, 12) u12, pg_temp.u(kk.k, 13) u13,
                                   pg_temp.u(kk.k, 14) u14, pg_temp.u(kk.k, 15) u15, pg_temp.u(kk.k, 16) u16,
                                   pg_temp.u(kk.k, 17) u17, pg_temp.u(kk.k, 18) u18, pg_temp.u(kk.k, 19) u19,
                                   pg_temp.u(kk.k, 20) u20
                            FROM (SELECT a.account_id * 10000000::bigint + s.c AS k) kk) x) o) p) q
) r;

-- @step 6 conversations
INSERT INTO conversations (id, account_id, inbox_id, status, assignee_id, created_at, updated_at, contact_id,
                           display_id, uuid, last_activity_at, team_id, first_reply_created_at, additional_attributes)
SELECT conv_id, account_id, inbox_id, 1, agent_id, created_at, last_at, account_id * 1000000 + 1 + (c * 7919) % 9973,
       c, md5('conversation-' || conv_id)::uuid, last_at, team_id,
       CASE WHEN kind <> 'botres' THEN created_at + t_fr * interval '1 second' END,
       jsonb_build_object('browser_language', CASE WHEN account_id IN (2) THEN 'pt' WHEN account_id = 3 THEN 'es' ELSE 'en' END)
FROM (SELECT cv.*, cv.created_at + coalesce(cv.t_o + 600 + cv.u12 * 14400, cv.t_r) * interval '1 second' AS last_at
      FROM seed_conv cv) cv
WHERE kept
ORDER BY conv_id;
SELECT setval(pg_get_serial_sequence('conversations', 'id'), (SELECT max(conv_id) FROM seed_conv));

-- @step 10 event plan
-- ---------------------------------------------------------------------------------------------
-- 5. Event plan (temp table seed_ev): one row per raw event, expanded from the conversation plan.
--    part: 0 conversation_opened on handoff, 1 captain handoff inference, 2 bot handoff, 3 duplicate
--    handoff, 4 first_response, 5 reply_time (j = 1..n), 6 captain resolution inference,
--    7 conversation_resolved, 8 conversation_bot_resolved (dup of 7, like Chatwoot), 9 reopen,
--    10 second resolution, 11 conversation_opened (12% of human conversations start pending).
--    value = seconds (Chatwoot semantics: resolution/handoff = since the
--    conversation was created), value_in_business_hours <= value. Legacy rows: before 2019-04-01
--    value_in_business_hours is NULL (column added later), before 2019-01-01 ~3% have NULL value.
--    ~300 events lose inbox_id, 15% of handoffs and all bot-only/captain events have no user_id,
--    ~0.2% of handoffs have no conversation_id.
-- ---------------------------------------------------------------------------------------------
CREATE TEMP TABLE seed_ev ON COMMIT DROP AS
WITH parts (k, part, j, name, off, val, no_user) AS (
    SELECT k, 0, 0, 'conversation_opened', t_h + 0.3, t_h + 0.3, false FROM seed_conv WHERE kind = 'bot'
    UNION ALL
    SELECT k, 1, 0, 'conversation_captain_inference_handoff', t_h - 0.8, t_h - 0.8, true FROM seed_conv WHERE kind = 'bot' AND captain
    UNION ALL
    SELECT k, 2, 0, 'conversation_bot_handoff', t_h, t_h, handoff_unassigned FROM seed_conv WHERE kind = 'bot'
    UNION ALL
    SELECT k, 3, 0, 'conversation_bot_handoff', o, o, handoff_unassigned
    FROM seed_conv, LATERAL (SELECT CASE dup WHEN 'same' THEN t_h + 1.5 + 30 * u12 ELSE t_h + 86400 * (1 + 2 * u12) END AS o) d
    WHERE dup IS NOT NULL
    UNION ALL
    SELECT k, 4, 0, 'first_response', t_fr, t_fr - coalesce(t_h, 0), false FROM seed_conv WHERE kind <> 'botres'
    UNION ALL
    SELECT k, 5, j, 'reply_time', t.o, t.o - t.prev, false
    FROM seed_conv, generate_series(1, n_reply) AS j,
         LATERAL (SELECT t_fr + j * gap + 0.5 * gap * pg_temp.u(k * 8 + j, 50) AS o,
                         CASE WHEN j = 1 THEN t_fr ELSE t_fr + (j - 1) * gap + 0.5 * gap * pg_temp.u(k * 8 + j - 1, 50) END AS prev) t
    UNION ALL
    SELECT k, 6, 0, 'conversation_captain_inference_resolved', t_r - 1.2, t_r - 1.2, true FROM seed_conv WHERE kind = 'botres'
    UNION ALL
    SELECT k, 7, 0, 'conversation_resolved', t_r, t_r, false FROM seed_conv
    UNION ALL
    SELECT k, 8, 0, 'conversation_bot_resolved', t_r + 0.004, t_r, false FROM seed_conv WHERE kind = 'botres'
    UNION ALL
    SELECT k, 9, 0, 'conversation_opened', t_o, t_o - t_r, false FROM seed_conv WHERE t_o IS NOT NULL
    UNION ALL
    SELECT k, 10, 0, 'conversation_resolved', t_o + 600 + u12 * 14400, t_o + 600 + u12 * 14400, false
    FROM seed_conv WHERE t_o IS NOT NULL
    UNION ALL
    SELECT k, 11, 0, 'conversation_opened', 5 + 60 * u12, 5 + 60 * u12, false FROM seed_conv WHERE pending_first
)
SELECT e.ek, cv.account_id, e.name, e.created_at,
       CASE WHEN e.created_at < '2019-01-01' AND pg_temp.u(e.ek, 63) < 0.03 THEN NULL ELSE round(p.val * 1e6) / 1e6 END AS value,
       CASE WHEN e.created_at < '2019-04-01' OR pg_temp.u(e.ek, 62) < 0.001
                 OR (e.created_at < '2019-01-01' AND pg_temp.u(e.ek, 63) < 0.03) THEN NULL
            ELSE round(p.val * (0.2 + 0.8 * pg_temp.u(e.ek, 60)) * 1e6) / 1e6 END AS vbh,
       CASE WHEN pg_temp.u(e.ek, 61) >= 0.0005 THEN cv.inbox_id END AS inbox_id,
       CASE WHEN NOT p.no_user THEN cv.agent_id END AS user_id,
       CASE WHEN p.part IN (2, 3) AND pg_temp.u(e.ek, 65) < 0.002 THEN NULL ELSE cv.conv_id END AS conversation_id
FROM parts p JOIN seed_conv cv USING (k)
CROSS JOIN LATERAL (SELECT p.k * 128 + p.part * 8 + p.j AS ek, p.name,
                           cv.created_at + p.off * interval '1 second' AS created_at) e;

-- Hand-placed events on local-midnight boundaries around DST transitions (docs/rollups.md §4, §5):
-- account 2 (Sao Paulo): 2018-11-04 has no 00:00 (day starts 03:00Z), 2019-02-16 is 25 h long;
-- account 3 (Santiago): 2024-09-08 starts 04:00Z and ends 03:00Z next day, 2024-04-06 is 25 h;
-- account 4 (New York): 2023-11-05 is 25 h long.
INSERT INTO seed_ev (ek, account_id, name, created_at, value, vbh, inbox_id, user_id, conversation_id)
SELECT 9000000000000 + n, acct, name, ts, val, val * 0.5, acct * 10 + 1, acct * 100 + 2, a.conv_base + 7
FROM (VALUES
 (1, 2, 'first_response',        timestamp '2018-11-04 02:59:59.999999', 61.5),
 (2, 2, 'first_response',        timestamp '2018-11-04 03:00:00',        42.25),
 (3, 2, 'conversation_resolved', timestamp '2018-11-04 03:00:00.000001', 3600.0),
 (4, 2, 'reply_time',            timestamp '2019-02-16 01:59:59.999999', 120.0),
 (5, 2, 'reply_time',            timestamp '2019-02-16 02:00:00',        95.5),
 (6, 2, 'conversation_resolved', timestamp '2019-02-17 02:30:00',        7200.0),
 (7, 2, 'conversation_resolved', timestamp '2019-02-17 03:00:00',        5400.0),
 (8, 3, 'first_response',        timestamp '2024-09-08 03:59:59.999999', 33.0),
 (9, 3, 'first_response',        timestamp '2024-09-08 04:00:00',        44.0),
 (10, 3, 'reply_time',           timestamp '2024-09-09 02:59:59.999999', 180.0),
 (11, 3, 'reply_time',           timestamp '2024-09-09 03:00:00',        240.0),
 (12, 3, 'conversation_resolved', timestamp '2024-09-09 03:30:00',       9000.0),
 (13, 3, 'conversation_resolved', timestamp '2024-04-07 03:30:00',       4500.0),
 (14, 3, 'conversation_resolved', timestamp '2024-04-07 04:00:00',       4600.0),
 (15, 4, 'first_response',       timestamp '2023-11-06 04:59:59.999999', 75.0),
 (16, 4, 'first_response',       timestamp '2023-11-06 05:00:00',        80.0)
) AS v(n, acct, name, ts, val)
JOIN seed_acct a ON a.account_id = v.acct;

-- Day-level flags for rollup accounts: d = local date as the live path computes it, day_u = hash
-- of (account, d) that picks the imperfections of section 7.
CREATE TEMP VIEW seed_ev_v AS
SELECT e.*, x.d, pg_temp.u(e.account_id * 100000 + (x.d - date '2000-01-01'), 77) AS day_u,
       a.tz IS NOT NULL AND e.created_at >= a.tz_set_at AS live
FROM seed_ev e JOIN seed_acct a USING (account_id)
CROSS JOIN LATERAL (SELECT (e.created_at AT TIME ZONE 'UTC' AT TIME ZONE a.tz)::date AS d) x;

-- ---------------------------------------------------------------------------------------------
-- 6. Raw reporting_events, ids in created_at order. Events on "deleted" days (day_u in
--    [0.020, 0.025), a quarter of that day's events) are left out: they were rolled up live and then
--    destroyed (pitfall P6), so rollups over-count those days. Inserted one calendar year of
--    created_at at a time, years in order: the ids come out exactly as from one statement.
-- ---------------------------------------------------------------------------------------------
-- @step 45 raw events
-- @each SELECT to_char(y, 'YYYY'), n, y::text, (y + interval '1 year')::text FROM (SELECT date_trunc('year', created_at) AS y, count(*) AS n FROM seed_ev GROUP BY 1) s ORDER BY y
INSERT INTO reporting_events (name, value, account_id, inbox_id, user_id, conversation_id, created_at, updated_at,
                              value_in_business_hours, event_start_time, event_end_time)
SELECT name, value, account_id, inbox_id, user_id, conversation_id, created_at, created_at, vbh,
       created_at - value * interval '1 second', created_at
FROM seed_ev_v
WHERE NOT (live AND day_u >= 0.020 AND day_u < 0.025 AND pg_temp.u(ek, 64) < 0.25)
  AND created_at >= ?::timestamp AND created_at < ?::timestamp
ORDER BY created_at, ek;

-- ---------------------------------------------------------------------------------------------
-- 7. reporting_events_rollups as Chatwoot's LIVE write path would have left them (docs/rollups.md §7)
--    for accounts 1-6: date = created_at in the account zone, dimensions account /
--    agent (user_id) / inbox (inbox_id) with NULL ids skipped, count(*) per event (bot handoffs NOT
--    distinct), sums with NULL -> 0. Sums are added in integer microseconds so they do not depend
--    on row order. Imperfections, by day_u of the (account, local day):
--      before tz_set_at    no rows (P1: live path was off until the timezone was set)
--      [0.000, 0.020)      whole day missing (never backfilled)
--      [0.020, 0.025)      raw events deleted afterwards (section 6) -> rollup too high
--      [0.025, 0.030)      swallowed live failures (a quarter of the events) -> rollup too low
--      [0.030, 0.035)      raw business hours recomputed later (P7): rollup sum_value_business_hours +8%
--    One account at a time, accounts in order: the rows are ordered by account first, so the ids
--    come out exactly as from one statement.
-- ---------------------------------------------------------------------------------------------
-- @step 26 rollups
-- @each SELECT a.name, count(*), a.id FROM seed_ev e JOIN seed_acct s USING (account_id) JOIN accounts a ON a.id = e.account_id WHERE s.tz IS NOT NULL GROUP BY a.id, a.name ORDER BY a.id
INSERT INTO reporting_events_rollups (account_id, date, dimension_type, dimension_id, metric, count, sum_value,
                                      sum_value_business_hours, created_at, updated_at)
SELECT e.account_id, e.d, dim.t, dim.id, m.metric, count(*),
       coalesce(sum(CASE WHEN m.dur THEN round(coalesce(e.value, 0) * 1e6)::bigint ELSE 0 END), 0) / 1e6,
       coalesce(sum(CASE WHEN m.dur THEN round(coalesce(e.vbh, 0) * 1e6
                                              * CASE WHEN e.day_u >= 0.030 AND e.day_u < 0.035 THEN 1.08 ELSE 1 END)::bigint
                    ELSE 0 END), 0) / 1e6,
       timestamp '2026-11-21 03:15:00', timestamp '2026-11-21 03:15:00'
FROM seed_ev_v e
JOIN (VALUES ('conversation_resolved', 'resolutions_count', false),
             ('conversation_resolved', 'resolution_time', true),
             ('first_response', 'first_response', true),
             ('reply_time', 'reply_time', true),
             ('conversation_bot_resolved', 'bot_resolutions_count', false),
             ('conversation_bot_handoff', 'bot_handoffs_count', false)) AS m(name, metric, dur) ON m.name = e.name
CROSS JOIN LATERAL (VALUES ('account', e.account_id::bigint), ('agent', e.user_id::bigint),
                           ('inbox', e.inbox_id::bigint)) AS dim(t, id)
WHERE e.live AND dim.id IS NOT NULL AND e.account_id = ?::int
  AND e.day_u >= 0.020
  AND NOT (e.day_u >= 0.025 AND e.day_u < 0.030 AND pg_temp.u(e.ek, 66) < 0.25)
GROUP BY 1, 2, 3, 4, 5
ORDER BY 1, 2, 3, 4, 5;

-- @step 1 extra rollup rows
-- ---------------------------------------------------------------------------------------------
-- 8. Extra rows that no backfill would produce:
--    * days without any raw event (account 3 before its first event: an onboarding trial whose
--      inbox was deleted; account 4 after its last event),
--    * agent 111 (Deepak Rao, removed from account 1, no events) on days that do have events,
--    * one legacy 'team' row (first rollup iteration, pitfall P15) for account 1.
-- ---------------------------------------------------------------------------------------------
INSERT INTO reporting_events_rollups (account_id, date, dimension_type, dimension_id, metric, count, sum_value,
                                      sum_value_business_hours, created_at, updated_at)
SELECT acct, d, t, id, metric, n, s, s * 0.6, timestamp '2026-11-21 03:15:00', timestamp '2026-11-21 03:15:00'
FROM (VALUES
 (3, date '2023-01-12', 'account', 3,   'resolutions_count', 4, 0.0),
 (3, date '2023-01-12', 'account', 3,   'resolution_time',   4, 15840.5),
 (3, date '2023-01-12', 'inbox',   39,  'resolutions_count', 4, 0.0),
 (3, date '2023-01-13', 'account', 3,   'first_response',    6, 1422.75),
 (4, date '2024-03-04', 'account', 4,   'reply_time',        3, 911.0),
 (4, date '2024-03-04', 'agent',   401, 'reply_time',        3, 911.0),
 (4, date '2024-03-05', 'account', 4,   'bot_handoffs_count', 2, 0.0),
 (1, date '2023-05-16', 'agent',   111, 'reply_time',        5, 2710.0),
 (1, date '2023-05-16', 'agent',   111, 'resolutions_count', 2, 0.0),
 (1, date '2023-05-16', 'agent',   111, 'resolution_time',   2, 86012.5),
 (1, date '2024-02-07', 'agent',   111, 'first_response',    3, 611.25),
 (1, date '2024-06-18', 'team',    11,  'resolutions_count', 7, 0.0)
) AS v(acct, d, t, id, metric, n, s);

DROP VIEW seed_ev_v;
DROP TABLE seed_ev, seed_conv, seed_acct;
DROP FUNCTION pg_temp.u(bigint, bigint);
