-- Bookings now keep their Idempotency-Keys in idempotency_records, like
-- request submissions; the table of the first design goes.
DROP TABLE idempotency_keys;
