-- Chatwoot-shaped schema: the tables Rollup Console reads and writes, with Chatwoot's names,
-- types, defaults and indexes (db/schema.rb, ActiveRecord::Schema[7.1]; docs/rollups.md §1).
-- Used by the demo cluster and by every database test.

CREATE TABLE accounts (
    id serial PRIMARY KEY,
    name character varying NOT NULL,
    created_at timestamp without time zone NOT NULL,
    updated_at timestamp without time zone NOT NULL,
    locale integer DEFAULT 0,
    domain character varying(100),
    support_email character varying(100),
    feature_flags bigint DEFAULT 0 NOT NULL,
    auto_resolve_duration integer,
    limits jsonb DEFAULT '{}'::jsonb,
    custom_attributes jsonb DEFAULT '{}'::jsonb,
    status integer DEFAULT 0,
    internal_attributes jsonb DEFAULT '{}'::jsonb NOT NULL,
    settings jsonb DEFAULT '{}'::jsonb
);
CREATE INDEX index_accounts_on_status ON accounts USING btree (status);

CREATE TABLE users (
    id serial PRIMARY KEY,
    provider character varying DEFAULT 'email'::character varying NOT NULL,
    uid character varying DEFAULT ''::character varying NOT NULL,
    encrypted_password character varying DEFAULT ''::character varying NOT NULL,
    name character varying NOT NULL,
    display_name character varying,
    email character varying,
    tokens json,
    created_at timestamp without time zone NOT NULL,
    updated_at timestamp without time zone NOT NULL,
    pubsub_token character varying,
    availability integer DEFAULT 0,
    ui_settings jsonb DEFAULT '{}'::jsonb,
    custom_attributes jsonb DEFAULT '{}'::jsonb,
    type character varying,
    message_signature text
);
CREATE UNIQUE INDEX index_users_on_email ON users USING btree (email);
CREATE UNIQUE INDEX index_users_on_uid_and_provider ON users USING btree (uid, provider);

CREATE TABLE account_users (
    id bigserial PRIMARY KEY,
    account_id bigint,
    user_id bigint,
    role integer DEFAULT 0,
    inviter_id bigint,
    created_at timestamp(6) without time zone NOT NULL,
    updated_at timestamp(6) without time zone NOT NULL,
    active_at timestamp without time zone,
    availability integer DEFAULT 0 NOT NULL,
    auto_offline boolean DEFAULT true NOT NULL
);
CREATE INDEX index_account_users_on_account_id ON account_users USING btree (account_id);
CREATE INDEX index_account_users_on_user_id ON account_users USING btree (user_id);
CREATE UNIQUE INDEX uniq_user_id_per_account_id ON account_users USING btree (account_id, user_id);

CREATE TABLE inboxes (
    id serial PRIMARY KEY,
    channel_id integer NOT NULL,
    account_id integer NOT NULL,
    name character varying NOT NULL,
    created_at timestamp without time zone NOT NULL,
    updated_at timestamp without time zone NOT NULL,
    channel_type character varying,
    enable_auto_assignment boolean DEFAULT true,
    greeting_enabled boolean DEFAULT false,
    greeting_message character varying,
    email_address character varying,
    working_hours_enabled boolean DEFAULT false,
    out_of_office_message character varying,
    timezone character varying DEFAULT 'UTC'::character varying,
    enable_email_collect boolean DEFAULT true,
    csat_survey_enabled boolean DEFAULT false,
    allow_messages_after_resolved boolean DEFAULT true,
    auto_assignment_config jsonb DEFAULT '{}'::jsonb,
    lock_to_single_conversation boolean DEFAULT false NOT NULL,
    portal_id bigint,
    sender_name_type integer DEFAULT 0 NOT NULL,
    business_name character varying
);
CREATE INDEX index_inboxes_on_account_id ON inboxes USING btree (account_id);
CREATE INDEX index_inboxes_on_channel_id_and_channel_type ON inboxes USING btree (channel_id, channel_type);

CREATE TABLE teams (
    id bigserial PRIMARY KEY,
    name character varying NOT NULL,
    description text,
    allow_auto_assign boolean DEFAULT true,
    account_id bigint NOT NULL,
    created_at timestamp(6) without time zone NOT NULL,
    updated_at timestamp(6) without time zone NOT NULL
);
CREATE INDEX index_teams_on_account_id ON teams USING btree (account_id);
CREATE UNIQUE INDEX index_teams_on_name_and_account_id ON teams USING btree (name, account_id);

CREATE TABLE conversations (
    id serial PRIMARY KEY,
    account_id integer NOT NULL,
    inbox_id integer NOT NULL,
    status integer DEFAULT 0 NOT NULL,
    assignee_id integer,
    created_at timestamp without time zone NOT NULL,
    updated_at timestamp without time zone NOT NULL,
    contact_id bigint,
    display_id integer NOT NULL,
    contact_last_seen_at timestamp without time zone,
    agent_last_seen_at timestamp without time zone,
    additional_attributes jsonb DEFAULT '{}'::jsonb,
    contact_inbox_id bigint,
    uuid uuid DEFAULT gen_random_uuid() NOT NULL,
    identifier character varying,
    last_activity_at timestamp without time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    team_id bigint,
    campaign_id bigint,
    snoozed_until timestamp without time zone,
    custom_attributes jsonb DEFAULT '{}'::jsonb,
    assignee_last_seen_at timestamp without time zone,
    first_reply_created_at timestamp without time zone,
    priority integer,
    sla_policy_id bigint,
    waiting_since timestamp without time zone,
    cached_label_list text
);
CREATE INDEX index_conversations_on_account_id ON conversations USING btree (account_id);
CREATE UNIQUE INDEX index_conversations_on_account_id_and_display_id ON conversations USING btree (account_id, display_id);
CREATE INDEX index_conversations_on_assignee_id_and_account_id ON conversations USING btree (assignee_id, account_id);
CREATE INDEX index_conversations_on_inbox_id ON conversations USING btree (inbox_id);
CREATE INDEX index_conversations_on_team_id ON conversations USING btree (team_id);
CREATE UNIQUE INDEX index_conversations_on_uuid ON conversations USING btree (uuid);

CREATE TABLE reporting_events (
    id bigserial PRIMARY KEY,
    name character varying,
    value double precision,
    account_id integer,
    inbox_id integer,
    user_id integer,
    conversation_id integer,
    created_at timestamp(6) without time zone NOT NULL,
    updated_at timestamp(6) without time zone NOT NULL,
    value_in_business_hours double precision,
    event_start_time timestamp without time zone,
    event_end_time timestamp without time zone
);
CREATE INDEX index_reporting_events_on_account_id ON reporting_events USING btree (account_id);
CREATE INDEX index_reporting_events_on_conversation_id ON reporting_events USING btree (conversation_id);
CREATE INDEX index_reporting_events_on_created_at ON reporting_events USING btree (created_at);
CREATE INDEX index_reporting_events_on_inbox_id ON reporting_events USING btree (inbox_id);
CREATE INDEX index_reporting_events_on_name ON reporting_events USING btree (name);
CREATE INDEX index_reporting_events_on_user_id ON reporting_events USING btree (user_id);
CREATE INDEX reporting_events__account_id__name__created_at ON reporting_events USING btree (account_id, name, created_at);
CREATE INDEX reporting_events__account_id__name__inbox_id__created_at ON reporting_events USING btree (account_id, name, inbox_id, created_at);

CREATE TABLE reporting_events_rollups (
    id bigserial PRIMARY KEY,
    account_id integer NOT NULL,
    date date NOT NULL,
    dimension_type character varying NOT NULL,
    dimension_id bigint NOT NULL,
    metric character varying NOT NULL,
    count bigint DEFAULT 0 NOT NULL,
    sum_value double precision DEFAULT 0.0 NOT NULL,
    sum_value_business_hours double precision DEFAULT 0.0 NOT NULL,
    created_at timestamp(6) without time zone NOT NULL,
    updated_at timestamp(6) without time zone NOT NULL
);
CREATE UNIQUE INDEX index_rollup_unique_key ON reporting_events_rollups USING btree (account_id, date, dimension_type, dimension_id, metric);
CREATE INDEX index_rollup_timeseries ON reporting_events_rollups USING btree (account_id, metric, date);
CREATE INDEX index_rollup_summary ON reporting_events_rollups USING btree (account_id, dimension_type, date);
