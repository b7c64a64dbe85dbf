import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { sendPage } from '../web/layout.js';
import { pageStaff, staffPage } from '../web/pages.js';
import type { StaffAdminService } from './staff-admin.service.js';
import { editStaffUserView, newStaffUserView, staffUsersView } from './staff-admin.view.js';

export interface StaffAdminPageDeps {
  staffAdmin: StaffAdminService;
}

/** User management for admins: the list, the form for a new account, and one account's page. */
export const staffAdminPageRoutes: FastifyPluginAsyncTypebox<StaffAdminPageDeps> = async (
  app,
  { staffAdmin },
) => {
  app.get(
    '/staff/users',
    { schema: { hide: true }, preHandler: staffPage('admin') },
    async (request, reply) => {
      const staff = pageStaff(request);
      const users = await staffAdmin.list(staff);
      const scope = staff.districtId
        ? { id: staff.districtId, name: staff.districtName ?? staff.districtId }
        : null;
      return sendPage(reply, staffUsersView({ users, scope }, staff));
    },
  );

  app.get(
    '/staff/users/new',
    {
      schema: { hide: true },
      preHandler: staffPage('admin'),
      config: { errorPage: { back: '/staff/users' } },
    },
    async (request, reply) => {
      const staff = pageStaff(request);
      const districts = await staffAdmin.districts(staff);
      return sendPage(
        reply,
        newStaffUserView(
          { districts, cityAdmin: staff.districtId === null, csrfToken: reply.generateCsrf() },
          staff,
        ),
      );
    },
  );

  app.get(
    '/staff/users/:id',
    {
      schema: { hide: true, params: Type.Object({ id: Type.String({ format: 'uuid' }) }) },
      preHandler: staffPage('admin'),
      config: { errorPage: { back: '/staff/users' } },
    },
    async (request, reply) => {
      const staff = pageStaff(request);
      const [user, districts] = await Promise.all([
        staffAdmin.get(staff, request.params.id),
        staffAdmin.districts(staff),
      ]);
      return sendPage(
        reply,
        editStaffUserView(
          {
            user,
            districts,
            cityAdmin: staff.districtId === null,
            self: user.id === staff.id,
            csrfToken: reply.generateCsrf(),
          },
          staff,
        ),
      );
    },
  );

  app.post(
    '/staff/users/:id/contact',
    {
      schema: {
        hide: true,
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        body: Type.Object({
          _csrf: Type.Optional(Type.String({ maxLength: 200 })),
          phone: Type.String({ maxLength: 30 }),
          email: Type.String({ maxLength: 254 }),
        }),
      },
      preValidation: app.csrfProtection,
      preHandler: staffPage('admin'),
      config: { errorPage: { back: '/staff/users/:id' } },
    },
    async (request, reply) => {
      const { phone, email } = request.body;
      await staffAdmin.setContact(pageStaff(request), request.params.id, { phone, email });
      return reply.redirect(`/staff/users/${request.params.id}`, 303);
    },
  );
};
