-- RSVP counts are read on every click; without this index SQLite scans every RSVP of the
-- server and sorts them (measured by bench/db_throughput.py on a server with 10,000 RSVPs).
CREATE INDEX party_rsvps_party_status ON party_rsvps(party_id, status);
