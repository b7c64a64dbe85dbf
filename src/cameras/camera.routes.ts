import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { requireStaff, staffOf } from '../auth/auth.plugin.js';
import type { AppDeps } from '../http/deps.js';
import { CameraInput, CameraPatch, CameraView } from './camera.schema.js';
import { CameraService, toCameraView } from './camera.service.js';
import { CameraFrameService } from './camera-frame.service.js';
import { ZoneService } from './zone.service.js';

const IdParams = Type.Object({ id: Type.String({ format: 'uuid', description: 'Camera id' }) });

export async function cameraRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const cameras = new CameraService(deps.pool, deps.cameraPolicy);
  const zones = new ZoneService(deps.pool, cameras);
  const frames = new CameraFrameService(deps.pool, deps.blobs, deps.cameraPolicy);
  const ZonesReply = Type.Object({ version: Type.Integer(), zones: Type.Array(Type.Unknown()) });

  app.get(
    '/api/cameras',
    {
      schema: {
        tags: ['cameras'],
        summary: 'Cameras of the districts the caller may see',
        querystring: Type.Object({
          enabled: Type.Optional(Type.Boolean()),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
          offset: Type.Optional(Type.Integer({ minimum: 0 })),
        }),
        response: { 200: Type.Object({ cameras: Type.Array(CameraView) }) },
      },
      preHandler: requireStaff(),
    },
    async (request) => ({
      cameras: await cameras.list(staffOf(request), request.query as { enabled?: boolean; limit?: number; offset?: number }),
    }),
  );

  app.get(
    '/api/cameras/:id',
    { schema: { tags: ['cameras'], summary: 'One camera', params: IdParams, response: { 200: CameraView } }, preHandler: requireStaff() },
    async (request) => toCameraView(await cameras.get(staffOf(request), (request.params as { id: string }).id)),
  );

  app.post(
    '/api/cameras',
    {
      schema: { tags: ['cameras'], summary: 'Register a camera', body: CameraInput, response: { 201: CameraView } },
      preValidation: app.csrfProtection,
      preHandler: requireStaff('admin', 'district_staff'),
    },
    async (request, reply) => reply.status(201).send(await cameras.create(staffOf(request), request.body as CameraInput)),
  );

  app.patch(
    '/api/cameras/:id',
    {
      schema: { tags: ['cameras'], summary: 'Change a camera (makes a new config version)', params: IdParams, body: CameraPatch, response: { 200: CameraView } },
      preValidation: app.csrfProtection,
      preHandler: requireStaff('admin', 'district_staff'),
    },
    async (request) =>
      cameras.update(staffOf(request), (request.params as { id: string }).id, request.body as CameraPatch),
  );

  app.get(
    '/api/cameras/:id/zones',
    { schema: { tags: ['cameras'], summary: "A camera's zones", params: IdParams, response: { 200: ZonesReply } }, preHandler: requireStaff() },
    async (request) => zones.list(staffOf(request), (request.params as { id: string }).id),
  );

  app.put(
    '/api/cameras/:id/zones',
    {
      schema: {
        tags: ['cameras'],
        summary: "Replace a camera's zones (validated as a whole; makes a new config version)",
        params: IdParams,
        // zones are checked by the zone validator, which names the zone and the fault in its messages
        body: Type.Object({ zones: Type.Array(Type.Unknown(), { maxItems: 200 }) }, { additionalProperties: false }),
        response: { 200: ZonesReply },
      },
      preValidation: app.csrfProtection,
      preHandler: requireStaff('admin', 'district_staff'),
    },
    async (request) =>
      zones.replace(staffOf(request), (request.params as { id: string }).id, (request.body as { zones: unknown[] }).zones),
  );

  app.get(
    '/api/cameras/:id/frame/latest',
    { schema: { tags: ['cameras'], summary: "The camera's newest frame (JPEG)", params: IdParams }, preHandler: requireStaff() },
    async (request, reply) => {
      const camera = await cameras.get(staffOf(request), (request.params as { id: string }).id);
      const jpeg = await frames.latest(camera.id);
      return reply.header('content-type', 'image/jpeg').header('cache-control', 'no-store').send(jpeg);
    },
  );

  app.post(
    '/api/cameras/:id/frame',
    {
      schema: { tags: ['cameras'], summary: 'Take a frame from the camera now (to check it works and to draw zones on)', params: IdParams },
      preValidation: app.csrfProtection,
      preHandler: requireStaff('admin', 'district_staff'),
      config: { rateLimit: { max: 12, timeWindow: 60_000 } },
    },
    async (request) => {
      const camera = await cameras.get(staffOf(request), (request.params as { id: string }).id);
      return frames.takeNow({ id: camera.id, source: camera.source });
    },
  );
}
