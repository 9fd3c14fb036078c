-- The benchmark's PostgreSQL schema: the embedded demo's tables with
-- PostgreSQL types. Case-insensitive attributes (userName, displayName) are
-- compared as lower(column) = lower(?), so they get functional indexes.

CREATE TABLE users (
  id              uuid        NOT NULL PRIMARY KEY,
  user_name       text        NOT NULL,
  external_id     text,
  active          smallint    NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  display_name    text,
  given_name      text,
  family_name     text,
  formatted_name  text,
  title           text,
  employee_number text,
  department      text,
  manager_id      uuid        REFERENCES users (id) ON DELETE SET NULL,
  version         integer     NOT NULL DEFAULT 1,
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL
);
CREATE UNIQUE INDEX users_user_name_lower ON users (lower(user_name));
CREATE INDEX users_external_id ON users (external_id);
CREATE INDEX users_display_name_lower ON users (lower(display_name));
CREATE INDEX users_manager_id ON users (manager_id);

CREATE TABLE user_emails (
  row_id     bigint   GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id    uuid     NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  address    text     NOT NULL,
  kind       text,
  is_primary boolean  NOT NULL DEFAULT false
);
CREATE INDEX user_emails_user_id ON user_emails (user_id);
CREATE INDEX user_emails_address_lower ON user_emails (lower(address));

CREATE TABLE user_phones (
  row_id     bigint   GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id    uuid     NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  number     text     NOT NULL,
  kind       text,
  is_primary boolean  NOT NULL DEFAULT false
);
CREATE INDEX user_phones_user_id ON user_phones (user_id);

CREATE TABLE groups (
  id           uuid        NOT NULL PRIMARY KEY,
  display_name text        NOT NULL,
  external_id  text,
  version      integer     NOT NULL DEFAULT 1,
  created_at   timestamptz NOT NULL,
  updated_at   timestamptz NOT NULL
);
CREATE UNIQUE INDEX groups_display_name_lower ON groups (lower(display_name));

-- A member is a user or a group, so member_id carries no single foreign key
-- (the gateway checks member ids inside the write transaction).
CREATE TABLE group_members (
  group_id    uuid NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
  member_id   uuid NOT NULL,
  member_type text NOT NULL CHECK (member_type IN ('User', 'Group')),
  PRIMARY KEY (group_id, member_id)
);
CREATE INDEX group_members_member_id ON group_members (member_id);
