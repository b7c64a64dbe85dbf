import type { StaffPrincipal } from '../auth/principal.js';
import { html, type SafeHtml } from '../web/html.js';
import { i18nFor } from '../web/i18n/index.js';
import { page } from '../web/layout.js';
import type { NewPartyPage, PartyDetailPage, PartyListPage } from './party-pages.service.js';

/** The party register pages: the list with search, the form to add a shop or a person, one party. */

export interface PartyPageContext {
  staff: StaffPrincipal;
  csrfToken: string;
}

export function partyListView(
  { q, parties }: PartyListPage,
  { staff, csrfToken }: PartyPageContext,
): SafeHtml {
  const { t, label } = i18nFor(staff);
  return page(
    { title: t('parties.title'), staff, csrfToken },
    html`<h1>${t('parties.title')}</h1>
      <p>
        <a class="button" href="/staff/parties/new" id="add-party">${t('parties.add')}</a>
        <a class="button" href="/staff/parties/import" id="import-parties">${t('parties.import')}</a>
      </p>
      <form method="get" action="/staff/parties" id="party-search">
        <label
          >${t('parties.search')} <input name="q" id="party-q" value="${q}" maxlength="100" type="search"
        /></label>
        <button type="submit">${t('parties.searchSubmit')}</button>
      </form>
      ${
        parties.length === 0
          ? html`<p class="muted" id="no-parties">${t('parties.none')}</p>`
          : html`<div class="table-wrap">
            <table id="party-list">
              <thead>
                <tr>
                  <th>${t('parties.col.name')}</th>
                  <th>${t('parties.col.kind')}</th>
                  <th>${t('parties.col.idNumber')}</th>
                  <th>${t('parties.col.address')}</th>
                  <th>${t('parties.col.phone')}</th>
                  <th>${t('parties.col.district')}</th>
                </tr>
              </thead>
              <tbody>
                ${parties.map(
                  (p) =>
                    html`<tr data-party="${p.id}">
                      <td><a href="/staff/parties/${p.id}">${p.name}</a></td>
                      <td>${label('partyKind', p.kind)}</td>
                      <td>${p.idNumber ?? '—'}</td>
                      <td>${p.address}</td>
                      <td>${p.phone ?? '—'}</td>
                      <td>${p.districtId}</td>
                    </tr>`,
                )}
              </tbody>
            </table>
          </div>`
      }`,
  );
}

export function newPartyView(
  { districts, values, warning }: NewPartyPage,
  { staff, csrfToken }: PartyPageContext,
): SafeHtml {
  const { t } = i18nFor(staff);
  const v = values ?? { kind: 'unit', name: '', idNumber: '', address: '', phone: '', districtId: '' };
  return page(
    { title: t('parties.newTitle'), staff, csrfToken },
    html`<h1>${t('parties.newTitle')}</h1>
      <form method="post" action="/staff/parties" id="party-form" class="card">
        <input type="hidden" name="_csrf" value="${csrfToken}" />
        ${
          warning
            ? html`<div class="notice concerns" id="same-place-warning">
              <p>${t('parties.samePlace')}</p>
              <ul>
                ${warning.parties.map(
                  (p) => html`<li><a href="/staff/parties/${p.id}">${p.name}</a> · ${p.address}</li>`,
                )}
              </ul>
              <label
                ><input type="checkbox" name="confirmSamePlace" value="yes" id="confirm-same-place" />
                ${t('parties.confirmSamePlace')}</label
              >
            </div>`
            : ''
        }
        ${
          districts.length > 0
            ? html`<label
              >${t('parties.district')}
              <select name="districtId" id="party-district" required>
                ${districts.map(
                  (d) =>
                    html`<option value="${d.id}" ${d.id === v.districtId ? 'selected' : ''}>${d.name}</option>`,
                )}
              </select></label
            >`
            : ''
        }
        <label
          >${t('parties.kind')}
          <select name="kind" id="party-kind">
            <option value="unit" ${v.kind === 'unit' ? 'selected' : ''}>${t('parties.kindUnit')}</option>
            <option value="person" ${v.kind === 'person' ? 'selected' : ''}>${t('parties.kindPerson')}</option>
          </select></label
        >
        <label
          >${t('parties.name')}
          <input name="name" id="party-name" required maxlength="200" value="${v.name}"
        /></label>
        <label
          >${t('parties.idNumber')}
          <input name="idNumber" id="party-id-number" maxlength="18" value="${v.idNumber}" />
          <span class="muted">${t('parties.idNumberHint')}</span></label
        >
        <label
          >${t('parties.address')}
          <input name="address" id="party-address" maxlength="500" value="${v.address}"
        /></label>
        <label
          >${t('parties.phone')}
          <input name="phone" id="party-phone" maxlength="20" value="${v.phone}"
        /></label>
        <button type="submit" id="party-submit">${t('parties.submit')}</button>
      </form>
      <p><a href="/staff/parties">${t('common.back')}</a></p>`,
  );
}

export function partyDetailView(
  { party, linked, linkable }: PartyDetailPage,
  { staff, csrfToken }: PartyPageContext,
): SafeHtml {
  const { t, label } = i18nFor(staff);
  return page(
    { title: t('parties.detailTitle', { name: party.name }), staff, csrfToken },
    html`<h1>${t('parties.detailTitle', { name: party.name })}</h1>
      <dl class="card" id="party-detail" data-party="${party.id}">
        <dt>${t('parties.col.kind')}</dt>
        <dd>${label('partyKind', party.kind)}</dd>
        <dt>${t('parties.col.idNumber')}</dt>
        <dd>${party.idNumber ?? '—'}</dd>
        <dt>${t('parties.col.address')}</dt>
        <dd>${party.address || '—'}</dd>
        <dt>${t('parties.col.phone')}</dt>
        <dd>${party.phone ?? '—'}</dd>
        <dt>${t('parties.col.district')}</dt>
        <dd>${party.districtId}</dd>
      </dl>
      ${
        party.kind === 'unit'
          ? html`<h2>${t('parties.shopFronts')}</h2>
            ${
              linked.length === 0
                ? html`<p class="muted" id="no-shop-fronts">${t('parties.noShopFronts')}</p>`
                : html`<ul id="shop-fronts">
                  ${linked.map(
                    (z) =>
                      html`<li data-zone="${z.zone_id}">
                        <a href="/staff/cameras/${z.camera_id}">${z.camera_name}</a> · ${z.zone_name}
                      </li>`,
                  )}
                </ul>`
            }
            ${
              linkable === null
                ? ''
                : linkable.length === 0
                  ? html`<p class="muted">${t('parties.noZonesToLink')}</p>`
                  : html`<form method="post" action="/staff/parties/${party.id}/shop-front" id="link-shop-front">
                    <input type="hidden" name="_csrf" value="${csrfToken}" />
                    <label
                      >${t('parties.linkShopFront')}
                      <select name="zone" id="shop-front-zone">
                        ${linkable.map(
                          (z) =>
                            html`<option value="${z.camera_id}/${z.zone_id}">
                              ${z.camera_name} · ${z.zone_name}
                              ${z.linkedName ? t('parties.zoneLinkedTo', { name: z.linkedName }) : ''}
                            </option>`,
                        )}
                      </select></label
                    >
                    <button type="submit" id="link-submit">${t('parties.linkSubmit')}</button>
                  </form>`
            }`
          : ''
      }
      <p><a href="/staff/parties">${t('common.back')}</a></p>`,
  );
}
