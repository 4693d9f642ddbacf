-- The catalog types event properties in the engine (PropertyKinds, with V23's change): the SQL
-- copy of those rules is no longer called, and two copies could only drift apart. What merges a
-- batch into the stored map, merge_property_types, stays.
DROP AGGREGATE property_types_agg(jsonb);
DROP FUNCTION event_property_types(jsonb);
DROP FUNCTION event_value_type(jsonb);
