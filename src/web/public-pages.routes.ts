import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Queryable } from '../db/pool.js';
import type { AppDeps } from '../app/deps.js';
import { html } from './html.js';
import { page, sendPage } from './layout.js';

interface PublishedDevice {
  id: string;
  district: string;
  name: string;
  address: string;
  latitude: number | null;
  longitude: number | null;
  publishedAt: string | null;
}

/** Published enforcement devices (Pudong art. 7): location only, never the stream or snapshot URL. */
async function publishedDevices(db: Queryable): Promise<PublishedDevice[]> {
  const { rows } = await db.query<{
    id: string;
    district: string;
    name: string;
    address: string;
    latitude: number | null;
    longitude: number | null;
    published_at: Date | null;
  }>(
    `select c.id, d.name as district, c.name, c.address, c.latitude, c.longitude, c.published_at
       from cameras c join districts d on d.id = c.district_id
      where c.published order by d.name, c.name`,
  );
  return rows.map((r) => ({ ...r, publishedAt: r.published_at?.toISOString() ?? null }));
}

export async function publicPageRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
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
    async () => ({ devices: await publishedDevices(deps.pool) }),
  );

  app.get('/devices', { schema: { hide: true } }, async (request, reply) => {
    const devices = await publishedDevices(deps.pool);
    return sendPage(
      reply,
      page(
        { title: '非现场执法设备公示 · Published enforcement devices', staff: request.staff, lang: 'zh-CN' },
        html`<h1>非现场执法设备设置地点公示</h1>
          <p class="muted">
            Published locations of the cameras used for non-site enforcement.
            根据《浦东新区城市管理领域非现场执法规定》第七条公布。
          </p>
          <table id="device-list">
            <thead>
              <tr>
                <th>区 District</th>
                <th>名称 Name</th>
                <th>地点 Address</th>
                <th>坐标 Coordinates</th>
                <th>公布日期 Published</th>
              </tr>
            </thead>
            <tbody>
              ${devices.map(
                (d) =>
                  html`<tr>
                    <td>${d.district}</td>
                    <td>${d.name}</td>
                    <td>${d.address}</td>
                    <td>
                      ${d.latitude !== null && d.longitude !== null ? `${d.latitude.toFixed(5)}, ${d.longitude.toFixed(5)}` : '—'}
                    </td>
                    <td>${d.publishedAt?.slice(0, 10) ?? '—'}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`,
      ),
    );
  });
}
