-- Identity columns compare byte for byte (utf8mb4_bin): under
-- utf8mb4_unicode_ci "SECA" equalled "secA" and the Idempotency-Keys
-- "CaseKey" and "CASEKEY" collided. Usernames are stored normalised
-- (trimmed, lower-case: model.NormalizeUsername); the old collation already
-- kept two names differing only in case or trailing spaces from coexisting,
-- so lower-casing cannot collide.
UPDATE accounts SET username = LOWER(TRIM(username))
  WHERE BINARY username <> BINARY LOWER(TRIM(username));
ALTER TABLE accounts
  MODIFY username VARCHAR(32) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  MODIFY wechat_openid VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL;
ALTER TABLE residents
  MODIFY openid VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
  MODIFY unionid VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL;
ALTER TABLE idempotency_records
  MODIFY idem_key VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL;
