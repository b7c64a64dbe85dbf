-- Two more staff roles:
--   patrol  (巡查队员): works the district's field tasks (派单) and shop inspections from a phone;
--   leader  (领导):    reads statistics, reports, alerts and the command screen of their district (the city's, for
--                      a leader without a district is not allowed: leadership of the city signs in as admin).
alter type staff_role add value if not exists 'patrol';
alter type staff_role add value if not exists 'leader';
