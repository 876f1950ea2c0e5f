// The supervisor with real child processes: readiness, crash restarts up to the cap then a clear give-up, graceful
// stop (EOF on stdin), kill after the grace period when a child ignores it, and release (a cancel is no crash).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { Supervisor, SupervisorGaveUpError, type ExitInfo, type Health, type SupervisedChild } from '../../src/node/supervisor';

interface Proc extends SupervisedChild { proc: ChildProcess }

/** A node child running `script`; ready once spawned. */
function nodeChild(script: string): Proc {
  const proc = spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'ignore', 'ignore'] });
  const exited = new Promise<ExitInfo>((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  const ready = new Promise<void>((resolve, reject) => {
    proc.once('spawn', () => resolve());
    void exited.then(() => reject(new Error('ended')));
  });
  ready.catch(() => undefined);
  return { proc, ready, exited, requestStop: () => proc.stdin?.end(), kill: () => proc.kill('SIGKILL') };
}

const STAYS_UNTIL_EOF = "process.stdin.resume(); process.stdin.on('end', () => process.exit(0));";
const IGNORES_EOF = "process.stdin.resume(); setInterval(() => {}, 1000);";

test('crashes restart lazily up to the cap, then acquire fails with the reason; reset allows a new start', async () => {
  let spawned = 0;
  const states: string[] = [];
  const sup = new Supervisor<Proc>({ name: 'the crasher', spawn: () => { spawned++; return nodeChild('process.exit(7)'); }, maxRestarts: 2, restartWindowMs: 60_000 });
  sup.onHealth((h: Health) => states.push(h.state));
  for (let i = 0; i < 3; i++) {
    const c = await sup.acquire();
    const info = await c.exited;
    assert.equal(info.code, 7);
    await new Promise((r) => setImmediate(r));
    assert.equal(sup.health.state, 'crashed');
  }
  assert.equal(spawned, 3);
  await assert.rejects(sup.acquire(), (e: Error) => e instanceof SupervisorGaveUpError && /the crasher ended 3 times within 60 s.*exit code 7/.test(e.message));
  assert.equal(sup.health.state, 'failed');
  assert.equal(spawned, 3, 'no start after giving up');
  assert.ok(states.includes('ready') && states.includes('crashed') && states.at(-1) === 'failed', states.join(','));
  sup.reset();
  const again = await sup.acquire();
  assert.equal(spawned, 4);
  await again.exited;
  await sup.dispose();
});

test('eager restart starts the replacement before the owner hears of the crash', async () => {
  let n = 0;
  const sup = new Supervisor<Proc>({ name: 'w', spawn: () => nodeChild(n++ === 0 ? 'process.exit(1)' : STAYS_UNTIL_EOF), restart: 'eager' });
  const seen = new Promise<Proc | undefined>((resolve) => sup.onUnexpectedExit(() => resolve(sup.current)));
  sup.ensure();
  const replacement = await seen;
  assert.ok(replacement, 'a new child exists when the crash is reported');
  await replacement.ready;
  await sup.dispose();
  assert.equal(sup.health.state, 'disposed');
});

test('stop is graceful (EOF) when the child listens, and kills it after the grace period when it does not', async () => {
  const polite = new Supervisor<Proc>({ name: 'p', spawn: () => nodeChild(STAYS_UNTIL_EOF), stopTimeoutMs: 5_000 });
  const c1 = await polite.acquire();
  await polite.stop();
  assert.deepEqual(await c1.exited, { code: 0, signal: null });

  const stubborn = new Supervisor<Proc>({ name: 's', spawn: () => nodeChild(IGNORES_EOF), stopTimeoutMs: 300 });
  const c2 = await stubborn.acquire();
  const t0 = Date.now();
  await stubborn.stop();
  assert.equal((await c2.exited).signal, 'SIGKILL');
  assert.ok(Date.now() - t0 >= 250, 'waited for the grace period first');
  assert.equal(stubborn.health.state, 'idle');
});

test('a released child ends without counting as a crash; restart() replaces a hung one', async () => {
  const sup = new Supervisor<Proc>({ name: 'r', spawn: () => nodeChild(IGNORES_EOF), maxRestarts: 0 });
  const unexpected: ExitInfo[] = [];
  sup.onUnexpectedExit((_c, info) => unexpected.push(info));
  const c1 = await sup.acquire();
  assert.equal(sup.release(), c1);
  c1.proc.kill('SIGTERM');
  await c1.exited;
  const c2 = await sup.acquire();
  assert.notEqual(c2, c1, 'a new child after a release, even with no restarts allowed');
  const c3 = sup.restart();
  assert.equal((await c2.exited).signal, 'SIGKILL');
  await c3.ready;
  assert.deepEqual(unexpected, []);
  await sup.dispose();
});
