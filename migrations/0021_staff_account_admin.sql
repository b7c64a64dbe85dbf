-- Accounts managed by admins in the pages: a password an admin set (on creation or reset) must be replaced by the
-- user at their next sign-in, and repeated wrong passwords lock the account for a while. The lock-out lives here,
-- per account, so an admin can see it and lift it; the per-address throttle in Redis only slows guessing down.
alter table staff_users add column must_change_password boolean not null default false;
alter table staff_users add column failed_logins integer not null default 0 check (failed_logins >= 0);
alter table staff_users add column locked_until timestamptz;
