import { api, $ } from './common.js';

$('#camera-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const f = event.target;
  const kind = f.kind.value;
  const location = f.location.value.trim();
  const source =
    kind === 'snapshot' || kind === 'stream' ? { kind, url: location } : { kind, path: location };
  const body = {
    name: f.name.value,
    address: f.address.value,
    source,
    sampleIntervalS: Number(f.interval.value) || 5,
  };
  if (f.latitude.value) body.latitude = Number(f.latitude.value);
  if (f.longitude.value) body.longitude = Number(f.longitude.value);
  $('#form-error').textContent = '';
  try {
    const camera = await api('POST', '/api/cameras', body);
    window.location.href = `/staff/cameras/${camera.id}`;
  } catch (err) {
    $('#form-error').textContent = err.message;
  }
});
