-- The language each member of staff chose for the staff pages: Chinese unless they switch to English.
alter table staff_users add column lang text not null default 'zh' check (lang in ('zh', 'en'));
