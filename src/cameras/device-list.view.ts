import type { StaffPrincipal } from '../auth/principal.js';
import { html, type SafeHtml } from '../web/html.js';
import { page } from '../web/layout.js';
import { formatShanghaiDate } from '../web/time-format.js';
import type { PublishedDevice } from './published-devices.repo.js';

export interface DeviceListProps {
  devices: PublishedDevice[];
  /** the signed-in member of staff, if any, for the staff navigation */
  staff: StaffPrincipal | null;
}

/** The public list of enforcement devices, Chinese first. */
export function deviceListPage({ devices, staff }: DeviceListProps): SafeHtml {
  return page(
    { title: '非现场执法设备公示', staff, lang: 'zh-CN' },
    html`<h1>非现场执法设备设置地点公示</h1>
      <p class="muted">
        根据《浦东新区城市管理领域非现场执法规定》第七条公布。
      </p>
      <table id="device-list">
        <thead>
          <tr>
            <th>区</th>
            <th>名称</th>
            <th>地点</th>
            <th>坐标</th>
            <th>公布日期（北京时间）</th>
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
                <td>${formatShanghaiDate(d.publishedAt)}</td>
              </tr>`,
          )}
        </tbody>
      </table>`,
  );
}
