-- Crosswalk embedded demo (SQLite). Run once by the gateway when the `users`
-- table is missing. Timestamps are ISO 8601 UTC strings (what the gateway writes).

CREATE TABLE users (
  id              TEXT    NOT NULL PRIMARY KEY,
  user_name       TEXT    NOT NULL COLLATE NOCASE,
  external_id     TEXT,
  active          INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  display_name    TEXT,
  given_name      TEXT,
  family_name     TEXT,
  formatted_name  TEXT,
  title           TEXT,
  employee_number TEXT,
  department      TEXT,
  manager_id      TEXT    REFERENCES users (id) ON DELETE SET NULL,
  version         INTEGER NOT NULL DEFAULT 1,
  created_at      TEXT    NOT NULL,
  updated_at      TEXT    NOT NULL,
  CONSTRAINT users_user_name_unique UNIQUE (user_name)
);
CREATE INDEX users_external_id ON users (external_id);
CREATE INDEX users_display_name ON users (display_name COLLATE NOCASE);
CREATE INDEX users_manager_id ON users (manager_id);

CREATE TABLE user_emails (
  row_id     INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
  user_id    TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  address    TEXT    NOT NULL,
  kind       TEXT,
  is_primary INTEGER NOT NULL DEFAULT 0 CHECK (is_primary IN (0, 1))
);
CREATE INDEX user_emails_user_id ON user_emails (user_id);
CREATE INDEX user_emails_address ON user_emails (address COLLATE NOCASE);

CREATE TABLE user_phones (
  row_id     INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
  user_id    TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  number     TEXT    NOT NULL,
  kind       TEXT,
  is_primary INTEGER NOT NULL DEFAULT 0 CHECK (is_primary IN (0, 1))
);
CREATE INDEX user_phones_user_id ON user_phones (user_id);

CREATE TABLE groups (
  id           TEXT    NOT NULL PRIMARY KEY,
  display_name TEXT    NOT NULL COLLATE NOCASE,
  external_id  TEXT,
  version      INTEGER NOT NULL DEFAULT 1,
  created_at   TEXT    NOT NULL,
  updated_at   TEXT    NOT NULL,
  CONSTRAINT groups_display_name_unique UNIQUE (display_name)
);
CREATE INDEX groups_external_id ON groups (external_id);

-- A member is a user or a group (nested groups), so member_id cannot carry a
-- single foreign key: the gateway checks member ids inside the write
-- transaction and removes a deleted resource's memberships itself.
CREATE TABLE group_members (
  group_id    TEXT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
  member_id   TEXT NOT NULL,
  member_type TEXT NOT NULL CHECK (member_type IN ('User', 'Group')),
  PRIMARY KEY (group_id, member_id)
);
CREATE INDEX group_members_member_id ON group_members (member_id);
