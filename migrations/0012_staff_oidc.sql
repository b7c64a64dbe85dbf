-- Staff who sign in through the city's identity provider (OpenID Connect) instead of a local password: they are
-- known by the issuer and the provider's subject; their role and district come from the provider's claims at each
-- sign-in. Local accounts keep their password; an account with neither way to sign in cannot exist.
alter table staff_users alter column password_hash drop not null;
alter table staff_users add column oidc_issuer text;
alter table staff_users add column oidc_subject text;
alter table staff_users add constraint staff_users_oidc_identity unique (oidc_issuer, oidc_subject);
alter table staff_users add constraint staff_users_can_sign_in
  check (password_hash is not null or (oidc_issuer is not null and oidc_subject is not null));
