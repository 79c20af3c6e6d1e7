-- Placeholder for migration 0014 (another branch); dropped at merge.
SELECT 1;
