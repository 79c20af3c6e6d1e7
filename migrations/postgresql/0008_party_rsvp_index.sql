-- PostgreSQL translation of ../0008_party_rsvp_index.sql.
CREATE INDEX party_rsvps_party_status ON party_rsvps(party_id, status);
