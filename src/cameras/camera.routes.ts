import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireStaff, staffOf } from '../auth/auth.plugin.js';
import { MAX_LIST_OFFSET } from '../http/input-guard.js';
import { CameraInput, CameraPatch, CameraView } from './camera.schema.js';
import { toCameraView, type CameraService } from './camera.service.js';
import type { CameraFrameService } from './camera-frame.service.js';
import type { DeviceRegisterService } from './device-register.service.js';
import type { ZoneService } from './zone.service.js';

export interface CameraRoutesDeps {
  cameras: CameraService;
  zones: ZoneService;
  cameraFrames: CameraFrameService;
  deviceRegister: DeviceRegisterService;
}

const IdParams = Type.Object({ id: Type.String({ format: 'uuid', description: 'Camera id' }) });

const DEVICE_RECORD_KINDS = [
  'maintenance',
  'test',
  'calibration',
  'legal_review',
  'technical_review',
] as const;

export const cameraRoutes: FastifyPluginAsyncTypebox<CameraRoutesDeps> = async (app, deps) => {
  const { cameras, zones, cameraFrames: frames, deviceRegister } = deps;
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
          offset: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_LIST_OFFSET })),
        }),
        response: { 200: Type.Object({ cameras: Type.Array(CameraView) }) },
      },
      preHandler: requireStaff(),
    },
    async (request) => ({
      cameras: await cameras.list(staffOf(request), request.query),
    }),
  );

  app.get(
    '/api/cameras/:id',
    {
      schema: { tags: ['cameras'], summary: 'One camera', params: IdParams, response: { 200: CameraView } },
      preHandler: requireStaff(),
    },
    async (request) => toCameraView(await cameras.get(staffOf(request), request.params.id)),
  );

  app.post(
    '/api/cameras',
    {
      schema: {
        tags: ['cameras'],
        summary: 'Register a camera',
        body: CameraInput,
        response: { 201: CameraView },
      },
      preValidation: app.csrfProtection,
      preHandler: requireStaff('admin', 'district_staff'),
    },
    async (request, reply) => reply.status(201).send(await cameras.create(staffOf(request), request.body)),
  );

  app.patch(
    '/api/cameras/:id',
    {
      schema: {
        tags: ['cameras'],
        summary: 'Change a camera (makes a new config version)',
        params: IdParams,
        body: CameraPatch,
        response: { 200: CameraView },
      },
      preValidation: app.csrfProtection,
      preHandler: requireStaff('admin', 'district_staff'),
    },
    async (request) => cameras.update(staffOf(request), request.params.id, request.body),
  );

  app.get(
    '/api/cameras/:id/zones',
    {
      schema: {
        tags: ['cameras'],
        summary: "A camera's zones",
        params: IdParams,
        response: { 200: ZonesReply },
      },
      preHandler: requireStaff(),
    },
    async (request) => zones.list(staffOf(request), request.params.id),
  );

  app.put(
    '/api/cameras/:id/zones',
    {
      schema: {
        tags: ['cameras'],
        summary: "Replace a camera's zones (validated as a whole; makes a new config version)",
        params: IdParams,
        // zones are checked by the zone validator, which names the zone and the fault in its messages
        body: Type.Object(
          {
            zones: Type.Array(Type.Unknown(), { maxItems: 200 }),
            expectedVersion: Type.Optional(
              Type.Integer({
                minimum: 1,
                description: 'The camera version the zones were edited from; a newer one answers 409',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: ZonesReply },
      },
      preValidation: app.csrfProtection,
      preHandler: requireStaff('admin', 'district_staff'),
    },
    async (request) =>
      zones.replace(staffOf(request), request.params.id, request.body.zones, request.body.expectedVersion),
  );

  app.get(
    '/api/cameras/:id/frame/latest',
    {
      schema: { tags: ['cameras'], summary: "The camera's newest frame (JPEG)", params: IdParams },
      preHandler: requireStaff(),
    },
    async (request, reply) => {
      const camera = await cameras.get(staffOf(request), request.params.id);
      const jpeg = await frames.latest(camera.id);
      return reply.header('content-type', 'image/jpeg').header('cache-control', 'no-store').send(jpeg);
    },
  );

  app.post(
    '/api/cameras/:id/frame',
    {
      schema: {
        tags: ['cameras'],
        summary: 'Take a frame from the camera now (to check it works and to draw zones on)',
        params: IdParams,
      },
      preValidation: app.csrfProtection,
      preHandler: requireStaff('admin', 'district_staff'),
      config: { rateLimit: { max: 12, timeWindow: 60_000 } },
    },
    async (request) => {
      const camera = await cameras.get(staffOf(request), request.params.id);
      return frames.takeNow({ id: camera.id, source: camera.source });
    },
  );

  const DeviceRecordBody = Type.Object(
    {
      kind: Type.Union(
        DEVICE_RECORD_KINDS.map((k) => Type.Literal(k)),
        { description: 'What was done to the device' },
      ),
      performedAt: Type.String({ format: 'date-time', description: 'When it was done' }),
      performedBy: Type.String({
        minLength: 1,
        maxLength: 200,
        description: 'Who did it (person or contractor)',
      }),
      result: Type.Union([Type.Literal('pass'), Type.Literal('fail'), Type.Literal('info')], {
        description: 'Outcome',
      }),
      notes: Type.Optional(Type.String({ maxLength: 2000, description: 'What was found or changed' })),
    },
    { additionalProperties: false },
  );

  app.get(
    '/api/cameras/:id/device-records',
    {
      schema: {
        tags: ['cameras'],
        summary: 'Maintenance, test and review records of the device',
        params: IdParams,
      },
      preHandler: requireStaff(),
    },
    async (request) => ({ records: await deviceRegister.list(staffOf(request), request.params.id) }),
  );

  app.post(
    '/api/cameras/:id/device-records',
    {
      schema: {
        tags: ['cameras'],
        summary: 'Add a maintenance, test or review record to the device register',
        params: IdParams,
        body: DeviceRecordBody,
      },
      preValidation: app.csrfProtection,
      preHandler: requireStaff('admin', 'district_staff'),
    },
    async (request, reply) => {
      const id = await deviceRegister.add(staffOf(request), request.params.id, request.body);
      return reply.status(201).send({ id });
    },
  );
};
