import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Pool } from '../db/pool.js';
import { sendPage } from '../web/layout.js';
import { pageStaff, staffPage } from '../web/pages.js';
import { cameraDetailPage, cameraListPage } from './camera-pages.service.js';
import { cameraDetailView, cameraListView } from './camera-pages.view.js';
import type { CameraService } from './camera.service.js';

export interface CameraPageDeps {
  pool: Pool;
  cameras: CameraService;
}

/** The staff camera pages; their scripts save cameras and zones through the camera API. */
export const cameraPageRoutes: FastifyPluginAsyncTypebox<CameraPageDeps> = async (app, deps) => {
  const editors = staffPage('admin', 'district_staff');

  app.get('/staff/cameras', { schema: { hide: true }, preHandler: editors }, async (request, reply) => {
    const staff = pageStaff(request);
    const data = await cameraListPage(deps.pool, deps.cameras, staff);
    return sendPage(reply, cameraListView(data, { staff, csrfToken: reply.generateCsrf() }));
  });

  app.get(
    '/staff/cameras/:id',
    {
      schema: { hide: true, params: Type.Object({ id: Type.String({ format: 'uuid' }) }) },
      preHandler: editors,
    },
    async (request, reply) => {
      const staff = pageStaff(request);
      const data = await cameraDetailPage(deps.pool, deps.cameras, staff, request.params.id);
      return sendPage(reply, cameraDetailView(data, { staff, csrfToken: reply.generateCsrf() }));
    },
  );
};
