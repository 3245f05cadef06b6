-- One user's standing (users.get, roleAssignments.list for one user) is read by user, and
-- the super admins of an account without reading all its users.
CREATE INDEX role_assignments_user ON role_assignments (assigned_to);
CREATE INDEX users_super_admins ON users (account_id, is_super_admin);
