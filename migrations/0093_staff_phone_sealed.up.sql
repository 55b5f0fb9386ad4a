-- Staff phone numbers are encrypted at rest like residents' (internal/pii,
-- purpose "staff.phone"). The server moves any number still in the plain
-- column into phone_enc at start-up and empties the plain one, which stays
-- (always '') so an older instance in a rolling upgrade still starts.
ALTER TABLE accounts ADD COLUMN phone_enc VARBINARY(255) NULL AFTER phone;
