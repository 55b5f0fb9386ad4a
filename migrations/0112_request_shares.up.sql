-- Share links of requests: a resident shares one of their items and whoever
-- opens the link sees its public view. Request ids and numbers are
-- sequential, so the link carries a random token (128 bits, base64url, 22
-- characters), compared case-sensitively. One token per request, made on
-- demand; the item's rule (model.Request.Shown) decides whether it is shown.
CREATE TABLE request_shares (
  request_id BIGINT NOT NULL,
  token CHAR(22) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  created_at DATETIME(3) NOT NULL,
  PRIMARY KEY (request_id),
  UNIQUE KEY uk_request_shares_token (token),
  CONSTRAINT fk_request_shares_request FOREIGN KEY (request_id) REFERENCES requests (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
