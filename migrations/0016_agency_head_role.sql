-- The agency head (行政机关负责人) takes the penalty decision after the legal review (APL art. 57-58).
alter type staff_role add value if not exists 'agency_head';
