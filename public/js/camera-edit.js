import { api, $ } from './common.js';

// The camera form: only the options of the chosen source kind are shown (all of them without this script), and
// "test the source" takes one frame now through the camera API and shows it, or the reason it failed. The texts
// come from the page, in the reader's language.

const kind = $('#kind');
if (kind) {
  const showOptions = () => {
    for (const options of document.querySelectorAll('.source-options'))
      options.hidden = options.dataset.kind !== kind.value;
  };
  kind.addEventListener('change', showOptions);
  showOptions();
}

const test = $('#source-test');
if (test) {
  const result = $('#test-result');
  const frame = $('#test-frame');
  const detail = $('#test-detail');
  const fill = (template, values) => template.replace(/\{(\w+)\}/g, (m, key) => values[key] ?? m);
  $('#test-source').addEventListener('click', async () => {
    const id = test.dataset.cameraId;
    result.className = 'muted';
    result.textContent = test.dataset.testing;
    frame.hidden = true;
    detail.textContent = '';
    try {
      const taken = await api('POST', `/api/cameras/${id}/frame`);
      // the result line says "taken" only once the frame is on screen
      await new Promise((resolve) => {
        frame.addEventListener('load', resolve, { once: true });
        frame.addEventListener('error', resolve, { once: true });
        frame.src = `/api/cameras/${id}/frame/latest?sha=${encodeURIComponent(taken.sha256)}&t=${Date.now()}`;
      });
      frame.hidden = false;
      result.className = 'ok';
      result.textContent = fill(test.dataset.ok, { width: taken.width, height: taken.height });
    } catch (err) {
      // the reason in the reader's language, the source's own technical words after it
      const reason =
        err.data?.error === 'camera_unreachable'
          ? test.dataset.unreachable
          : err.status === 429
            ? test.dataset.busy
            : err.message;
      result.className = 'error';
      result.textContent = fill(test.dataset.failed, { detail: reason });
      detail.textContent = reason === err.message ? '' : err.message;
    }
  });
}
