-- placeholder, replaced by the local API schema
CREATE TABLE IF NOT EXISTS placeholder (id INTEGER PRIMARY KEY);
