import type { StaffPrincipal } from '../../auth/principal.js';
import { html, type SafeHtml } from '../html.js';
import { page } from '../layout.js';
import type { OpenTasksPage } from './example-pages.service.js';

/** 2. The view: a pure function of the props. Every value goes through `html`, which escapes it. */
export function openTasksView({ stages }: OpenTasksPage, staff: StaffPrincipal): SafeHtml {
  return page(
    { title: 'Open tasks', staff },
    html`<h1>Open tasks</h1>
      <ul id="open-tasks">
        ${stages.map((s) => html`<li data-stage="${s.stage}">${s.stage}: ${s.open}</li>`)}
      </ul>`,
  );
}
