import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Pool } from '../db/pool.js';
import { sendPage } from '../web/layout.js';
import { deviceListPage } from './device-list.view.js';
import { listPublishedDevices } from './published-devices.repo.js';

/** The published enforcement devices (Pudong art. 7), as a public page and as JSON (the same rows). */

export interface DeviceListDeps {
  pool: Pool;
}

export const deviceListPageRoutes: FastifyPluginAsyncTypebox<DeviceListDeps> = async (app, deps) => {
  app.get('/devices', { schema: { hide: true } }, async (request, reply) => {
    const devices = await listPublishedDevices(deps.pool);
    return sendPage(reply, deviceListPage({ devices, staff: request.staff ?? null }));
  });
};

/** The JSON list, registered with the API (its errors are JSON). */
export const publicDeviceRoutes: FastifyPluginAsyncTypebox<DeviceListDeps> = async (app, deps) => {
  app.get(
    '/api/public/devices',
    {
      schema: {
        tags: ['public'],
        summary: 'Published locations of enforcement cameras',
        response: {
          200: Type.Object({
            devices: Type.Array(
              Type.Object({
                id: Type.String(),
                district: Type.String(),
                name: Type.String(),
                address: Type.String(),
                latitude: Type.Union([Type.Number(), Type.Null()]),
                longitude: Type.Union([Type.Number(), Type.Null()]),
                publishedAt: Type.Union([Type.String(), Type.Null()]),
              }),
            ),
          }),
        },
      },
    },
    async () => ({ devices: await listPublishedDevices(deps.pool) }),
  );
};
