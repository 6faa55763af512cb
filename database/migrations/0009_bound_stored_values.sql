-- 0009: every stored value a read returns has a maximum size, and tenant names a pt-BR sort and
-- search key.
--
-- The RDS Data API refuses a result row over 64 KB and a response over 1 MiB. The reads return one
-- row per item and cap their lists (lambda/shared/bounds.ts); these constraints cap the items
-- themselves, with the same numbers as TEXT_LIMITS (a test compares them). Control characters
-- other than tab, newline and carriage return are refused in texts a response carries, so JSON
-- escaping never makes a character larger than 4 bytes.

ALTER TABLE alquimista_platform.tenants
  ADD CONSTRAINT tenants_name_length CHECK (char_length(name) <= 200),
  ADD CONSTRAINT tenants_name_printable CHECK (name !~ '[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]');

ALTER TABLE alquimista_platform.agents
  ADD CONSTRAINT agents_name_length CHECK (char_length(name) <= 200),
  ADD CONSTRAINT agents_name_printable CHECK (name !~ '[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]');

ALTER TABLE alquimista_platform.tenant_users
  ADD CONSTRAINT tenant_users_email_length CHECK (char_length(email) <= 254),
  ADD CONSTRAINT tenant_users_full_name_length CHECK (char_length(full_name) <= 200),
  ADD CONSTRAINT tenant_users_printable CHECK (email !~ '[\x01-\x1f\x7f]' AND coalesce(full_name, '') !~ '[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]');

ALTER TABLE alquimista_platform.tenant_agents
  ADD CONSTRAINT tenant_agents_config_size CHECK (octet_length(config::text) <= 8192);

ALTER TABLE alquimista_platform.tenant_integrations
  ADD CONSTRAINT tenant_integrations_name_length CHECK (char_length(integration_name) <= 200),
  ADD CONSTRAINT tenant_integrations_last_error_length CHECK (char_length(last_error) <= 1000),
  ADD CONSTRAINT tenant_integrations_printable CHECK (
    integration_name !~ '[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]' AND coalesce(last_error, '') !~ '[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]');

-- Titles of every event; descriptions of incidents (what /tenant/incidents returns). Audit events
-- keep their longer descriptions (command error messages); no read returns them whole.
ALTER TABLE alquimista_platform.operational_events
  ADD CONSTRAINT operational_events_title_length CHECK (char_length(title) <= 200),
  ADD CONSTRAINT operational_events_incident_description_length CHECK (event_type <> 'incident' OR char_length(description) <= 800),
  ADD CONSTRAINT operational_events_printable CHECK (
    title !~ '[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]' AND (event_type <> 'incident' OR coalesce(description, '') !~ '[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]'));

-- Tenant names sort and search the way a Brazilian reader expects, identically on PGlite,
-- PostgreSQL and Aurora (whatever their collations): by a key that ignores case and accents
-- ("Ótica" among the o's, "ágil" among the a's, "atlantico" finds "Atlântico"), then by the name
-- itself and the id. lower() folds only ASCII under the C collation, so the accented capitals
-- are in the translation too.
CREATE FUNCTION alquimista_platform.search_key(value text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  RETURN translate(lower(value),
    'áàâãäåÁÀÂÃÄÅéèêëÉÈÊËíìîïÍÌÎÏóòôõöÓÒÔÕÖúùûüÚÙÛÜçÇñÑýÿÝ',
    'aaaaaaaaaaaaeeeeeeeeiiiiiiiioooooooooouuuuuuuuccnnyyy');

ALTER TABLE alquimista_platform.tenants
  ADD COLUMN name_key text GENERATED ALWAYS AS (alquimista_platform.search_key(name)) STORED;

-- The list's name order (both directions read the same index), and the search: trigrams make
-- `name_key LIKE '%…%'` an index scan, fast at 100,000 tenants.
CREATE INDEX tenants_name_key_idx ON alquimista_platform.tenants (name_key, name, id);
-- Superseded by it (0003 ordered by the name alone).
DROP INDEX alquimista_platform.tenants_name_id_idx;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX tenants_name_key_trgm_idx ON alquimista_platform.tenants USING gin (name_key gin_trgm_ops);
