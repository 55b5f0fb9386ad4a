-- A booking may name the resident's request it is about (added once requests existed).
ALTER TABLE bookings
  ADD CONSTRAINT fk_bookings_request FOREIGN KEY (request_id) REFERENCES requests (id);
