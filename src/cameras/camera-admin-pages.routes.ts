import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { sendPage } from '../web/layout.js';
import { pageStaff, staffPage } from '../web/pages.js';
import {
  addCamera,
  addDeviceRecord,
  deviceRegisterPage,
  editCameraPage,
  newCameraPage,
  saveCamera,
  saveRegister,
  setCameraEnabled,
  type CameraAdminDeps,
} from './camera-admin.service.js';
import { cameraFormView } from './camera-form.view.js';
import { deviceRegisterView } from './device-register.view.js';

/**
 * Camera administration in the pages: add and edit a camera, switch it on and off, and keep its device register.
 * Forms post here; a refused form is shown again with its faults, a saved one redirects (303) to the next page.
 */

const CameraId = Type.Object({ id: Type.String({ format: 'uuid' }) });
/** Form text fields: the limits a person meets are checked by the form readers, which name the field. */
const Text = Type.Optional(Type.String({ maxLength: 4096 }));

const CameraForm = Type.Object({
  // the token is checked before validation (here or in the x-csrf-token header)
  _csrf: Type.Optional(Type.String()),
  name: Text,
  address: Text,
  street: Text,
  latitude: Text,
  longitude: Text,
  kind: Text,
  location: Text,
  loop: Text,
  replay: Text,
  transport: Text,
  interval: Text,
  enabled: Text,
  districtId: Text,
});

const EnabledForm = Type.Object({
  _csrf: Type.Optional(Type.String()),
  enabled: Type.Union([Type.Literal('true'), Type.Literal('false')]),
});

const RegisterForm = Type.Object({
  _csrf: Type.Optional(Type.String()),
  certificateId: Text,
  legalReviewDate: Text,
  legalReviewer: Text,
  technicalReviewDate: Text,
  technicalReviewer: Text,
  published: Text,
});

const RecordForm = Type.Object({
  _csrf: Type.Optional(Type.String()),
  kind: Text,
  performedAt: Text,
  performedBy: Text,
  result: Text,
  notes: Text,
});

export const cameraAdminPageRoutes: FastifyPluginAsyncTypebox<CameraAdminDeps> = async (app, deps) => {
  const editors = staffPage('admin', 'district_staff');
  const back = { errorPage: { back: '/staff/cameras' } };

  app.get(
    '/staff/cameras/new',
    { schema: { hide: true }, preHandler: editors, config: back },
    async (request, reply) => {
      const staff = pageStaff(request);
      const data = await newCameraPage(deps, staff);
      return sendPage(reply, cameraFormView(data, { staff, csrfToken: reply.generateCsrf() }));
    },
  );

  app.post(
    '/staff/cameras/new',
    {
      schema: { hide: true, body: CameraForm },
      preValidation: app.csrfProtection,
      preHandler: editors,
      config: back,
    },
    async (request, reply) => {
      const staff = pageStaff(request);
      const result = await addCamera(deps, staff, request.body);
      if ('id' in result) return reply.redirect(`/staff/cameras/${result.id}`, 303);
      return sendPage(reply, cameraFormView(result, { staff, csrfToken: reply.generateCsrf() }), 400);
    },
  );

  app.get(
    '/staff/cameras/:id/edit',
    { schema: { hide: true, params: CameraId }, preHandler: editors, config: back },
    async (request, reply) => {
      const staff = pageStaff(request);
      const data = await editCameraPage(deps, staff, request.params.id);
      return sendPage(reply, cameraFormView(data, { staff, csrfToken: reply.generateCsrf() }));
    },
  );

  app.post(
    '/staff/cameras/:id/edit',
    {
      schema: { hide: true, params: CameraId, body: CameraForm },
      preValidation: app.csrfProtection,
      preHandler: editors,
      config: back,
    },
    async (request, reply) => {
      const staff = pageStaff(request);
      const result = await saveCamera(deps, staff, request.params.id, request.body);
      if ('id' in result) return reply.redirect(`/staff/cameras/${result.id}`, 303);
      return sendPage(reply, cameraFormView(result, { staff, csrfToken: reply.generateCsrf() }), 400);
    },
  );

  app.post(
    '/staff/cameras/:id/enabled',
    {
      schema: { hide: true, params: CameraId, body: EnabledForm },
      preValidation: app.csrfProtection,
      preHandler: editors,
      config: back,
    },
    async (request, reply) => {
      await setCameraEnabled(deps, pageStaff(request), request.params.id, request.body.enabled === 'true');
      return reply.redirect(`/staff/cameras/${request.params.id}/edit`, 303);
    },
  );

  app.get(
    '/staff/cameras/:id/register',
    { schema: { hide: true, params: CameraId }, preHandler: editors, config: back },
    async (request, reply) => {
      const staff = pageStaff(request);
      const data = await deviceRegisterPage(deps, staff, request.params.id);
      return sendPage(reply, deviceRegisterView(data, { staff, csrfToken: reply.generateCsrf() }));
    },
  );

  app.post(
    '/staff/cameras/:id/register',
    {
      schema: { hide: true, params: CameraId, body: RegisterForm },
      preValidation: app.csrfProtection,
      preHandler: editors,
      config: back,
    },
    async (request, reply) => {
      const staff = pageStaff(request);
      const result = await saveRegister(deps, staff, request.params.id, request.body);
      if (result === 'saved') return reply.redirect(`/staff/cameras/${request.params.id}/register`, 303);
      return sendPage(reply, deviceRegisterView(result, { staff, csrfToken: reply.generateCsrf() }), 400);
    },
  );

  app.post(
    '/staff/cameras/:id/records',
    {
      schema: { hide: true, params: CameraId, body: RecordForm },
      preValidation: app.csrfProtection,
      preHandler: editors,
      config: back,
    },
    async (request, reply) => {
      const staff = pageStaff(request);
      const result = await addDeviceRecord(deps, staff, request.params.id, request.body);
      if (result === 'saved')
        return reply.redirect(`/staff/cameras/${request.params.id}/register#records`, 303);
      return sendPage(reply, deviceRegisterView(result, { staff, csrfToken: reply.generateCsrf() }), 400);
    },
  );
};
