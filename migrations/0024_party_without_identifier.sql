-- A shop without a unified social credit code (a stall, an unregistered shop) or a person whose ID number is not
-- known can be registered: the identifier is optional. Two parties without one never collide on the unique key
-- (nulls are distinct); duplicates of such shops are caught by name and address when they are registered.
alter table parties alter column id_number drop not null;
alter table parties add constraint parties_id_number_not_blank check (id_number is null or id_number <> '');
