-- Why a reminder could not be posted (missing permission, deleted channel), for /settings.
ALTER TABLE party_reminders ADD COLUMN error TEXT;
