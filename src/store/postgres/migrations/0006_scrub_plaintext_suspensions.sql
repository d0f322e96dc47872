-- 0006: before suspensions were sealed with the keyring, a retried or two-fetch invocation stored its
-- pending request and VM stack here in plaintext, decrypted secrets included. Drop every suspension that
-- is not sealed: such an invocation restarts from its event when it runs next (delivery stays
-- at-least-once; its first fetch may be sent again). The old row versions go with the next VACUUM.
UPDATE invocations SET suspension = NULL
  WHERE suspension IS NOT NULL AND suspension NOT LIKE '{"encrypted":"v1:%';
