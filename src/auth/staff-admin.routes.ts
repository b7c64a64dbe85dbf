import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { requireStaff, staffOf } from './auth.plugin.js';
import { STAFF_ROLES } from './principal.js';
import type { StaffAdminService } from './staff-admin.service.js';

export interface StaffAdminRoutesDeps {
  staffAdmin: StaffAdminService;
}

export const StaffRoleSchema = Type.Union(
  STAFF_ROLES.map((r) => Type.Literal(r)),
  { description: 'Staff role' },
);
/** A district id as the districts table allows it, or null for a city admin. */
export const DistrictIdSchema = Type.Union(
  [Type.String({ pattern: '^[a-z][a-z0-9_-]{1,31}$' }), Type.Null()],
  {
    description: 'District id; null only for an admin of the whole city',
  },
);
/** Printable text only: no control characters. */
export const DisplayNameSchema = Type.String({
  minLength: 1,
  maxLength: 100,
  pattern: '^[^\\u0000-\\u001f\\u007f]+$',
  description: 'Name shown to colleagues',
});

const Account = Type.Object({
  id: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  role: Type.String(),
  districtId: Type.Union([Type.String(), Type.Null()]),
  districtName: Type.Union([Type.String(), Type.Null()]),
  active: Type.Boolean(),
  signIn: Type.Union([Type.Literal('password'), Type.Literal('oidc')]),
  mustChangePassword: Type.Boolean(),
  failedLogins: Type.Integer(),
  lockedUntil: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
});

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

const CreateBody = Type.Object(
  {
    username: Type.String({ pattern: '^[a-zA-Z0-9_.-]{3,64}$', description: '3-64 letters, digits, _ . -' }),
    displayName: DisplayNameSchema,
    role: StaffRoleSchema,
    districtId: DistrictIdSchema,
  },
  { additionalProperties: false },
);

const PatchBody = Type.Object(
  {
    displayName: Type.Optional(DisplayNameSchema),
    role: Type.Optional(StaffRoleSchema),
    districtId: Type.Optional(DistrictIdSchema),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);

/**
 * Staff accounts for admins, scoped to the admin's district (a city admin manages all). Temporary passwords are in
 * the answer once and never stored in the clear.
 */
export const staffAdminRoutes: FastifyPluginAsyncTypebox<StaffAdminRoutesDeps> = async (
  app,
  { staffAdmin },
) => {
  const admin = { preHandler: requireStaff('admin') };

  app.get(
    '/api/staff/users',
    {
      schema: {
        tags: ['staff'],
        summary: 'Staff accounts the admin manages',
        response: { 200: Type.Object({ users: Type.Array(Account) }) },
      },
      ...admin,
    },
    async (request) => ({ users: await staffAdmin.list(staffOf(request)) }),
  );

  app.get(
    '/api/staff/users/:id',
    {
      schema: { tags: ['staff'], summary: 'One staff account', params: IdParams, response: { 200: Account } },
      ...admin,
    },
    async (request) => staffAdmin.get(staffOf(request), request.params.id),
  );

  app.post(
    '/api/staff/users',
    {
      schema: {
        tags: ['staff'],
        summary: 'Create a local account; the answer holds its temporary password, shown once',
        body: CreateBody,
        response: { 201: Type.Object({ user: Account, temporaryPassword: Type.String() }) },
      },
      preValidation: app.csrfProtection,
      ...admin,
    },
    async (request, reply) => {
      const { account, temporaryPassword } = await staffAdmin.create(staffOf(request), request.body);
      return reply.status(201).send({ user: account, temporaryPassword });
    },
  );

  app.patch(
    '/api/staff/users/:id',
    {
      schema: {
        tags: ['staff'],
        summary: 'Change name, role, district, or disable/enable (disabling ends its sessions)',
        params: IdParams,
        body: PatchBody,
        response: { 200: Account },
      },
      preValidation: app.csrfProtection,
      ...admin,
    },
    async (request) => staffAdmin.update(staffOf(request), request.params.id, request.body),
  );

  app.post(
    '/api/staff/users/:id/reset-password',
    {
      schema: {
        tags: ['staff'],
        summary: 'A new temporary password; the user sets their own at next sign-in',
        params: IdParams,
        response: { 200: Type.Object({ temporaryPassword: Type.String() }) },
      },
      preValidation: app.csrfProtection,
      ...admin,
    },
    async (request) => staffAdmin.resetPassword(staffOf(request), request.params.id),
  );

  app.post(
    '/api/staff/users/:id/unlock',
    {
      schema: {
        tags: ['staff'],
        summary: 'Lift a lock-out after repeated wrong passwords',
        params: IdParams,
        response: { 200: Account },
      },
      preValidation: app.csrfProtection,
      ...admin,
    },
    async (request) => staffAdmin.liftLockout(staffOf(request), request.params.id),
  );
};
