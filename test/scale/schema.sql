-- Tables for test/scale/postgres-scale.yaml (created by the test before the replicas start).
CREATE TABLE users (
  id           uuid        PRIMARY KEY,
  user_name    text        NOT NULL,
  display_name text,
  title        text,
  active       integer     NOT NULL DEFAULT 1,
  version      integer     NOT NULL DEFAULT 1,
  created_at   timestamptz NOT NULL,
  updated_at   timestamptz NOT NULL
);
CREATE UNIQUE INDEX users_user_name ON users (lower(user_name));

CREATE TABLE user_emails (
  row_id     serial  PRIMARY KEY,
  user_id    uuid    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  address    text    NOT NULL,
  kind       text,
  is_primary boolean NOT NULL DEFAULT false
);

CREATE TABLE groups (
  id           uuid        PRIMARY KEY,
  display_name text        NOT NULL UNIQUE,
  version      integer     NOT NULL DEFAULT 1,
  created_at   timestamptz NOT NULL,
  updated_at   timestamptz NOT NULL
);

CREATE TABLE group_members (
  group_id    uuid NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
  member_id   uuid NOT NULL,
  member_type text,
  PRIMARY KEY (group_id, member_id)
);
