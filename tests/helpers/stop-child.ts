/**
 * Stops a server a test started: the polite signal first, SIGKILL if it is
 * still running after the grace time, so a stuck server never outlives the
 * test run (CI runs on the same machine right after).
 * @param signal the server's graceful-stop signal, e.g. `SIGQUIT` for nginx
 */
import type { ChildProcess } from 'node:child_process';

export async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill(signal);
  await Promise.race([exited, new Promise((r) => setTimeout(r, graceMs))]);
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}
