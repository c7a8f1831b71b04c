-- Data freshness (metrics): the latest stored event of each type is read on every metrics rebuild.
CREATE INDEX events_type_received ON events (type, received_at);
