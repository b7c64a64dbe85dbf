import { describe, expect, it } from 'vitest';
import { NEW_CAMERA_VALUES, readCameraForm } from './camera-form.js';

describe('the camera form', () => {
  it('loops a new video file by default', () => {
    expect(NEW_CAMERA_VALUES.loop).toBe(true);
  });

  it('reads a video-file camera with its loop and replay, and an unticked box as off', () => {
    const read = readCameraForm({ name: ' Gate ', kind: 'file', location: '/v/a.mp4', interval: '7' });
    expect(read).toEqual({
      input: {
        name: 'Gate',
        address: '',
        street: null,
        source: { kind: 'file', path: '/v/a.mp4', loop: false, replay: 'realtime' },
        sampleIntervalS: 7,
        enabled: false,
      },
    });
  });

  it('reads the street (街镇) and refuses one that is too long', () => {
    const read = readCameraForm({ name: 'a', street: ' 陆家嘴街道 ', kind: 'folder', location: '/f' });
    expect('input' in read && read.input.street).toBe('陆家嘴街道');
    expect(readCameraForm({ name: 'a', street: '街'.repeat(101), kind: 'folder', location: '/f' })).toEqual({
      faults: { street: 'cameraForm.error.streetTooLong' },
    });
  });

  it('names each field at fault with the API limits', () => {
    const read = readCameraForm({
      name: 'x'.repeat(201),
      latitude: '-91',
      longitude: 'east',
      kind: 'stream',
      location: 'ftp://cam/1',
      interval: '2.5',
    });
    expect(read).toEqual({
      faults: {
        name: 'cameraForm.error.nameTooLong',
        latitude: 'cameraForm.error.latitude',
        longitude: 'cameraForm.error.longitude',
        interval: 'cameraForm.error.interval',
        location: 'cameraForm.error.streamScheme',
      },
    });
    expect(readCameraForm({ name: 'a', kind: 'snapshot', location: 'http://a b/' })).toEqual({
      faults: { location: 'cameraForm.error.urlSpaces' },
    });
  });

  it('keeps the stored URL and settings when the redacted URL is posted back unchanged', () => {
    const stored = { kind: 'snapshot', url: 'http://u:p@cam/s.jpg', timeoutMs: 3000 };
    const read = readCameraForm(
      { name: 'a', kind: 'snapshot', location: 'http://u:***@cam/s.jpg', enabled: 'on' },
      { source: stored, shownLocation: 'http://u:***@cam/s.jpg' },
    );
    expect('input' in read && read.input.source).toEqual(stored);
  });
});
