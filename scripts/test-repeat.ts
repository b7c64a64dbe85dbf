/**
 * `npm run test:repeat -- <file>... <N>`: runs vitest on the given test file(s) N times in a row and stops at the
 * first failing run. A flaky test shows itself here long before it shows itself in CI.
 *
 * Each run prints one line (its number, result and duration); a failing run also prints vitest's own output, so
 * the failure can be read without running it again. Arguments before N that start with `-` go to vitest as they
 * are (for example `-t 'a test name'`).
 *
 *   npm run test:repeat -- test/detect/detector.test.ts 20
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { REPO_ROOT } from '../src/shared/paths.js';

function usage(message: string): never {
  console.error(`${message}\nusage: npm run test:repeat -- <test file>... <N>`);
  process.exit(2);
}

const args = process.argv.slice(2);
const last = args.at(-1);
if (args.length < 2 || last === undefined || !/^\d+$/.test(last)) usage('give the test file(s), then N');
const times = Number(last);
if (times < 1) usage('N must be at least 1');
const vitestArgs = args.slice(0, -1);
if (!vitestArgs.some((arg) => !arg.startsWith('-'))) usage('give at least one test file');

const vitest = path.join(REPO_ROOT, 'node_modules', '.bin', 'vitest');

/** One vitest run; resolves with its exit code and everything it printed. */
function runOnce(): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    // No colours: the output is kept and printed only when the run fails, often into a log file.
    const child = spawn(vitest, ['run', ...vitestArgs], {
      cwd: REPO_ROOT,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', (err) =>
      resolve({ code: 1, output: `${output}\ncannot start vitest: ${err.message}` }),
    );
    child.on('close', (code, signal) => {
      const text = stripVTControlCharacters(output);
      resolve({ code: code ?? 1, output: signal ? `${text}\nvitest was killed by ${signal}` : text });
    });
  });
}

/** vitest's own "Tests  12 passed (12)" line, to show how many tests each run held. */
function testsLine(output: string): string {
  const line = output.split('\n').find((l) => /^\s*Tests\s+\d/.test(l));
  return line ? line.trim().replace(/\s+/g, ' ') : 'no test summary';
}

let passed = 0;
let failed = 0;
const started = Date.now();
for (let i = 1; i <= times; i++) {
  const runStarted = Date.now();
  const { code, output } = await runOnce();
  const seconds = ((Date.now() - runStarted) / 1000).toFixed(1);
  if (code === 0) {
    passed++;
    console.log(`run ${i}/${times}: passed in ${seconds} s (${testsLine(output)})`);
  } else {
    failed++;
    console.log(`run ${i}/${times}: FAILED (exit ${code}) in ${seconds} s (${testsLine(output)})`);
    console.log(output);
    break;
  }
}
const total = ((Date.now() - started) / 1000).toFixed(1);
console.log(`${passed} passed, ${failed} failed (${vitestArgs.join(' ')}; ${total} s)`);
process.exit(failed > 0 ? 1 : 0);
