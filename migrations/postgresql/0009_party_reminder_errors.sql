-- PostgreSQL translation of ../0009_party_reminder_errors.sql.
ALTER TABLE party_reminders ADD COLUMN error TEXT;
