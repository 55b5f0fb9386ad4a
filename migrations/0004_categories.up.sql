CREATE TABLE categories (
  id BIGINT AUTO_INCREMENT PRIMARY KEY,
  name VARCHAR(32) NOT NULL,
  code VARCHAR(32) NOT NULL,
  accept_days INT NOT NULL,
  resolve_days INT NOT NULL,
  priority TINYINT(1) NOT NULL DEFAULT 0,
  active TINYINT(1) NOT NULL DEFAULT 1,
  sort INT NOT NULL DEFAULT 0,
  created_at DATETIME(3) NOT NULL,
  updated_at DATETIME(3) NOT NULL,
  UNIQUE KEY uk_categories_code (code),
  UNIQUE KEY uk_categories_name (name),
  KEY idx_categories_active_sort (active, sort, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Defaults: the six priority issues named in the city's report, then everyday
-- ones. Time limits are working days: accept within N, close within M.
INSERT INTO categories (name, code, accept_days, resolve_days, priority, active, sort, created_at, updated_at) VALUES
  ('历史留用地',         'reserved_land',          2, 60, 1, 1, 10,  UTC_TIMESTAMP(3), UTC_TIMESTAMP(3)),
  ('征地补偿款拖欠',     'land_compensation',      2, 30, 1, 1, 20,  UTC_TIMESTAMP(3), UTC_TIMESTAMP(3)),
  ('被征地农民养老保障', 'landless_farmer_pension', 2, 30, 1, 1, 30,  UTC_TIMESTAMP(3), UTC_TIMESTAMP(3)),
  ('农村土地"三乱"',     'rural_land_disorder',    2, 30, 1, 1, 40,  UTC_TIMESTAMP(3), UTC_TIMESTAMP(3)),
  ('农村"三资"管理',     'rural_collective_assets', 2, 30, 1, 1, 50,  UTC_TIMESTAMP(3), UTC_TIMESTAMP(3)),
  ('土地确权',           'land_titling',           2, 60, 1, 1, 60,  UTC_TIMESTAMP(3), UTC_TIMESTAMP(3)),
  ('环境卫生',           'sanitation',             1, 5,  0, 1, 100, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3)),
  ('道路设施',           'roads',                  1, 10, 0, 1, 110, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3)),
  ('治安',               'public_security',        1, 5,  0, 1, 120, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3)),
  ('邻里纠纷',           'neighbour_dispute',      1, 10, 0, 1, 130, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3)),
  ('社保医保',           'social_insurance',       2, 15, 0, 1, 140, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3)),
  ('子女入学',           'school_enrolment',       2, 15, 0, 1, 150, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3)),
  ('住房租赁',           'housing_rental',         2, 15, 0, 1, 160, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3)),
  ('劳动就业',           'employment',             2, 15, 0, 1, 170, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3)),
  ('其他',               'other',                  2, 15, 0, 1, 990, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3));
