-- Failed logins are counted per (login, client address) and per address, so that a
-- stranger's wrong passwords cannot lock the real user out. Older rows have no address.

ALTER TABLE login_failures ADD COLUMN address TEXT;
CREATE INDEX login_failures_login_address_at ON login_failures (login, address, at);
CREATE INDEX login_failures_address_at ON login_failures (address, at);
