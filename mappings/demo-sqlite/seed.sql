-- A few users and groups so a fresh demo answers GET /Users at once.

INSERT INTO users (id, user_name, external_id, active, display_name, given_name, family_name, formatted_name,
                   title, employee_number, department, manager_id, version, created_at, updated_at)
VALUES
  ('6f1c7a52-4a4e-4c1e-9a57-3d2c1b8e0a01', 'ada.lovelace@example.com', 'ext-ada', 1, 'Ada Lovelace', 'Ada',
   'Lovelace', 'Ada Lovelace', 'Chief Engineer', '1001', 'Engineering', NULL, 1,
   '2026-01-05T09:00:00.000Z', '2026-01-05T09:00:00.000Z'),
  ('6f1c7a52-4a4e-4c1e-9a57-3d2c1b8e0a02', 'grace.hopper@example.com', 'ext-grace', 1, 'Grace Hopper', 'Grace',
   'Hopper', 'Grace Hopper', 'Compiler Engineer', '1002', 'Engineering', '6f1c7a52-4a4e-4c1e-9a57-3d2c1b8e0a01', 1,
   '2026-01-06T09:00:00.000Z', '2026-01-06T09:00:00.000Z'),
  ('6f1c7a52-4a4e-4c1e-9a57-3d2c1b8e0a03', 'alan.turing@example.com', 'ext-alan', 0, 'Alan Turing', 'Alan',
   'Turing', 'Alan Turing', 'Researcher', '1003', 'Research', '6f1c7a52-4a4e-4c1e-9a57-3d2c1b8e0a01', 1,
   '2026-01-07T09:00:00.000Z', '2026-01-07T09:00:00.000Z');

INSERT INTO user_emails (user_id, address, kind, is_primary) VALUES
  ('6f1c7a52-4a4e-4c1e-9a57-3d2c1b8e0a01', 'ada.lovelace@example.com', 'work', 1),
  ('6f1c7a52-4a4e-4c1e-9a57-3d2c1b8e0a02', 'grace.hopper@example.com', 'work', 1),
  ('6f1c7a52-4a4e-4c1e-9a57-3d2c1b8e0a02', 'grace@home.example.org', 'home', 0),
  ('6f1c7a52-4a4e-4c1e-9a57-3d2c1b8e0a03', 'alan.turing@example.com', 'work', 1);

INSERT INTO user_phones (user_id, number, kind, is_primary) VALUES
  ('6f1c7a52-4a4e-4c1e-9a57-3d2c1b8e0a01', '+44 20 7946 0001', 'work', 1),
  ('6f1c7a52-4a4e-4c1e-9a57-3d2c1b8e0a03', '+44 20 7946 0003', 'mobile', 0);

INSERT INTO groups (id, display_name, external_id, version, created_at, updated_at) VALUES
  ('9b2d4e61-7c3f-4d8a-b1e2-5f6a7b8c9d01', 'Engineering', 'ext-engineering', 1,
   '2026-01-05T10:00:00.000Z', '2026-01-05T10:00:00.000Z'),
  ('9b2d4e61-7c3f-4d8a-b1e2-5f6a7b8c9d02', 'All Staff', 'ext-all-staff', 1,
   '2026-01-05T10:00:00.000Z', '2026-01-05T10:00:00.000Z');

INSERT INTO group_members (group_id, member_id, member_type) VALUES
  ('9b2d4e61-7c3f-4d8a-b1e2-5f6a7b8c9d01', '6f1c7a52-4a4e-4c1e-9a57-3d2c1b8e0a01', 'User'),
  ('9b2d4e61-7c3f-4d8a-b1e2-5f6a7b8c9d01', '6f1c7a52-4a4e-4c1e-9a57-3d2c1b8e0a02', 'User'),
  ('9b2d4e61-7c3f-4d8a-b1e2-5f6a7b8c9d02', '6f1c7a52-4a4e-4c1e-9a57-3d2c1b8e0a03', 'User'),
  ('9b2d4e61-7c3f-4d8a-b1e2-5f6a7b8c9d02', '9b2d4e61-7c3f-4d8a-b1e2-5f6a7b8c9d01', 'Group');
