import { describe, expect, it } from 'vitest';
import { ChildSupervisor } from '../../src/shared/child-supervisor.js';
import { ProjectProcess, waitFor } from '../support/processes.js';

/*
 * Nothing restarted a dead process: after kill -9 the demo's child stayed dead. Now the demo's supervisor starts
 * it again and says so, leaves a child that stopped on a configuration fault (exit 78) stopped, and a worker that
 * cannot go on exits non-zero with one JSON line saying why.
 */

describe('child supervisor', () => {
  it('restarts a child killed with SIGKILL, each time, saying so', async () => {
    const said: string[] = [];
    const supervisor = new ChildSupervisor({ say: (l) => void said.push(l) }, 50, 200);
    const spec = {
      name: 'sleeper',
      command: process.execPath,
      args: ['-e', 'setTimeout(() => process.exit(Number(process.env.EXIT_CODE ?? 0)), 60000)'],
    };
    const first = supervisor.start(spec);
    first.kill('SIGKILL');
    await waitFor('a restart', () => supervisor.restartCount('sleeper') === 1, 20_000);
    expect(said[0]).toMatch(/sleeper died \(SIGKILL\); restarting it/);
    const second = supervisor.child('sleeper')!;
    expect(second.pid).not.toBe(first.pid);
    second.kill('SIGKILL');
    await waitFor('a second restart', () => supervisor.restartCount('sleeper') === 2, 20_000);
    await supervisor.stop(5_000);
  });

  it('leaves a child that exits 78 stopped', async () => {
    const said: string[] = [];
    const supervisor = new ChildSupervisor({ say: (l) => void said.push(l) }, 50, 200);
    supervisor.start({ name: 'misconfigured', command: process.execPath, args: ['-e', 'process.exit(78)'] });
    await waitFor('the stop to be said', () => said.length > 0, 20_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(said).toEqual([expect.stringMatching(/misconfigured stopped \(code 78\): a configuration fault/)]);
    expect(supervisor.restartCount('misconfigured')).toBe(0);
    await supervisor.stop(5_000);
  });

  it('a worker that cannot reach its database exits non-zero, in JSON', async () => {
    const worker = new ProjectProcess('workers/notify.worker.ts', {
      DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none',
      REDIS_URL: 'redis://127.0.0.1:6379',
      QUEUE_PREFIX: 'unreachable-db-test',
    });
    const code = await Promise.race([
      worker.exited,
      new Promise<'running'>((r) => setTimeout(() => r('running'), 90_000)),
    ]);
    await worker.kill9();
    expect(code).not.toBe('running');
    expect(code).not.toBe(0);
    expect(worker.nonJsonLines()).toEqual([]);
    expect(worker.output).toMatch(/"level":60/);
  }, 120_000);
});
