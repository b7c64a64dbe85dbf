import type {
  PublishedBenchmarkList,
  PublishedMattersList,
  PublishedNoPenaltyListing,
  PublishedVersion,
} from '../law/published-standards.js';
import type { StaffPrincipal } from '../auth/principal.js';
import { html, type SafeHtml } from './html.js';
import { page } from './layout.js';

/** The published standards pages, Chinese first, each with the catalogue version it shows. */

/** The signed-in member of staff, if any, for the staff navigation. */
type Viewer = { staff: StaffPrincipal | null };

const versionLine = (v: PublishedVersion): SafeHtml =>
  html`<p class="muted" id="catalogue-version" data-version="${v.version}" data-effective-from="${v.effectiveFrom}">
    ${v.title} · 版本 ${v.version} · ${v.effectiveFrom} 起施行 · Version ${v.version}, in force from
    ${v.effectiveFrom}
  </p>`;

const nav = html`<p>
  <a href="/public/matters">非现场执法事项 · Matters</a> ·
  <a href="/public/benchmark">处罚裁量基准 · Discretion benchmark</a> ·
  <a href="/public/no-penalty">不予处罚清单 · No-penalty list</a> ·
  <a href="/devices">设备设置地点 · Devices</a> ·
  <a href="/public/announcements">送达公告 · Announcements</a>
</p>`;

export function mattersPage({ staff, ...list }: PublishedMattersList & Viewer): SafeHtml {
  return page(
    { title: '非现场执法事项 · Matters handled by non-site enforcement', staff, lang: 'zh-CN' },
    html`<h1>城市管理非现场执法事项目录</h1>
      <p class="muted">Matters handled by non-site enforcement. 根据《上海市浦东新区城市管理领域非现场执法规定》第四条公布。</p>
      ${versionLine(list)} ${nav}
      <table id="matter-list">
        <thead>
          <tr>
            <th>事项 Matter</th>
            <th>违反的规定 Provision broken</th>
            <th>处罚依据 Penalty provision</th>
            <th>罚款幅度 Fine range</th>
            <th>责令改正 Correction</th>
          </tr>
        </thead>
        <tbody>
          ${list.matters.map(
            (m) => html`<tr data-code="${m.code}">
              <td><strong>${m.shortName}</strong><div class="muted">${m.name}</div></td>
              <td>${m.violatedProvision}</td>
              <td>${m.penaltyProvision}</td>
              <td>${m.fineRanges.map((r) => html`<div>${r.partyKindName}：${r.range}</div>`)}</td>
              <td>
                ${m.correctionOrder}
                ${m.collectiveDiscussion ? html`<div class="muted">${m.collectiveDiscussion}</div>` : ''}
              </td>
            </tr>`,
          )}
        </tbody>
      </table>`,
  );
}

export function benchmarkPage({ staff, ...list }: PublishedBenchmarkList & Viewer): SafeHtml {
  return page(
    { title: '行政处罚裁量基准 · Discretion benchmark', staff, lang: 'zh-CN' },
    html`<h1>行政处罚裁量基准</h1>
      <p class="muted">
        The discretion benchmark per violation type and party kind. 根据《中华人民共和国行政处罚法》第三十四条公布。
      </p>
      ${versionLine(list)} ${nav}
      ${list.benchmark.map(
        (b) => html`<section class="card" data-code="${b.code}" data-party-kind="${b.partyKind}">
          <h2>${b.shortName} · ${b.partyKindName}</h2>
          <p>法定罚款幅度 · Statutory range：${b.statutoryRange}</p>
          <table>
            <thead>
              <tr>
                <th>档次 Tier</th>
                <th>适用情形 When</th>
                <th>处罚 Penalty</th>
                <th>理由 Reason</th>
              </tr>
            </thead>
            <tbody>
              ${b.tiers.map(
                (t) => html`<tr data-tier="${t.id}">
                  <td>${t.label}</td>
                  <td>${t.conditions}</td>
                  <td>${t.penalty}</td>
                  <td class="muted">${t.reason}</td>
                </tr>`,
              )}
            </tbody>
          </table>
        </section>`,
      )}`,
  );
}

export function noPenaltyPage({ staff, ...list }: PublishedNoPenaltyListing & Viewer): SafeHtml {
  return page(
    { title: '不予处罚清单 · No-penalty list', staff, lang: 'zh-CN' },
    html`<h1>城市管理轻微违法行为不予处罚清单</h1>
      <p class="muted">Situations in which no penalty is given (《中华人民共和国行政处罚法》第三十三条).</p>
      ${versionLine(list)} ${nav}
      <table id="no-penalty-list">
        <thead>
          <tr>
            <th>事项 Matter</th>
            <th>情形 Situation</th>
            <th>条件 Conditions</th>
            <th>依据 Basis</th>
          </tr>
        </thead>
        <tbody>
          ${list.noPenalty.map(
            (n) => html`<tr data-code="${n.code}">
              <td>${n.shortName}</td>
              <td>${n.situation}</td>
              <td>${n.conditions}</td>
              <td class="muted">${n.basis}</td>
            </tr>`,
          )}
        </tbody>
      </table>`,
  );
}
