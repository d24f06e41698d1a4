-- The seeder's ids in SQL (api/src/demo/sleutel.rs `id`): a UUID version 8 from the first 16
-- bytes of SHA-256("mijn-herstel/populatie/v1:" || soort || i as 8 big-endian bytes), so a
-- pgbench script reaches parent i's rows without a lookup table. Bench-only: bench/last.sh
-- creates it in the benchmark's own database. IMMUTABLE: with constant arguments the planner
-- folds it once per statement.
CREATE OR REPLACE FUNCTION mh_id(soort text, i bigint) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT encode(set_byte(set_byte(substring(d FROM 1 FOR 16), 6, (get_byte(d, 6) & 15) | 128),
                         8, (get_byte(d, 8) & 63) | 128), 'hex')::uuid::text
  FROM (SELECT sha256(convert_to('mijn-herstel/populatie/v1:' || soort, 'UTF8') || int8send(i)) AS d) s
$$;
