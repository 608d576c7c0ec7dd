/**
 * A real ejabberd (Debian's package) on loopback, for the tests that must
 * hold against both of the two most deployed XMPP servers (issues 21, 23).
 *
 * This file only starts and stops the server and runs `ejabberdctl` against
 * it; each rig (probe, notifier) writes its own `ejabberd.yml`. The server
 * runs through Debian's own `ejabberdctl foreground`, so what runs is what an
 * admin runs: the package's Erlang release, its module set and defaults.
 *
 * Why the details:
 * - `ejabberdctl` refuses any user but root and `ejabberd`; as root it
 *   switches to `ejabberd`, so the rig's folder is handed to that user.
 * - Every rig gets its own Erlang node name, spool (Mnesia) and log folder,
 *   so rigs in parallel test files never share accounts or state.
 * - Erlang distribution listens on 127.0.0.1 only (`INET_DIST_INTERFACE`,
 *   `ERL_EPMD_ADDRESS`): nothing a test starts is reachable from outside.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { waitForPort } from './free-port.ts';
import { stopChild } from './stop-child.ts';
import { requireTools, TOOLS } from './system-tools.ts';

const execFileP = promisify(execFile);

export interface EjabberdServer {
  /** The rig's folder, e.g. `/tmp/ejabberd-rig-Ab12`; `ejabberd.yml` is in it. */
  dir: string;
  /** Runs `ejabberdctl <args>` against this node, e.g. `['register', 'probe', 'xmpp.test', 'pw']`. */
  ctl(args: readonly string[]): Promise<string>;
  /** The server's log so far (ejabberd.log and error.log), for failure messages. */
  log(): string;
  stop(): Promise<void>;
}

/** Makes a folder for an ejabberd rig; write `ejabberd.yml` and certificates into it, then call `startEjabberd`. */
export function makeEjabberdDir(): string {
  requireTools([TOOLS.ejabberdctl, TOOLS.openssl]);
  const dir = mkdtempSync(join(tmpdir(), 'ejabberd-rig-'));
  mkdirSync(join(dir, 'logs'));
  mkdirSync(join(dir, 'spool'));
  return dir;
}

let serial = 0;

function ownByEjabberd(path: string): void {
  if (process.getuid?.() !== 0) return;
  const [uid, gid] = ejabberdIds();
  chownSync(path, uid, gid);
  if (statSync(path).isDirectory()) for (const name of readdirSync(path)) ownByEjabberd(join(path, name));
}

function ejabberdIds(): [number, number] {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('ejabberd:'));
  if (!line) throw new Error('The ejabberd package is installed but its user is missing from /etc/passwd; reinstall it: apt-get install --reinstall ejabberd');
  const [, , uid, gid] = line.split(':');
  return [Number(uid), Number(gid)];
}

/**
 * Starts ejabberd with `<dir>/ejabberd.yml` and waits until every port
 * listens; if it does not, kills it and fails with what ejabberd logged.
 * @param ports e.g. `[5222, 5223, 5269]` as chosen by `freePort()`
 */
export async function startEjabberd(dir: string, ports: readonly number[]): Promise<EjabberdServer> {
  const node = `rig${process.pid}x${++serial}@localhost`;
  writeFileSync(
    join(dir, 'ejabberdctl.cfg'),
    `# Written by tests/helpers/ejabberd-server.ts\nERLANG_NODE=${node}\nEJABBERD_CONFIG_PATH=${join(dir, 'ejabberd.yml')}\nINET_DIST_INTERFACE=127.0.0.1\nERL_EPMD_ADDRESS=127.0.0.1\nEJABBERD_PID_PATH=${join(dir, 'ejabberd.pid')}\n`,
  );
  // Erlang looks up `inetrc` in the config folder; an empty one keeps it quiet.
  writeFileSync(join(dir, 'inetrc'), '');
  ownByEjabberd(dir);
  const base = ['--config-dir', dir, '--ctl-config', join(dir, 'ejabberdctl.cfg'), '--logs', join(dir, 'logs'), '--spool', join(dir, 'spool')];
  let out = '';
  const child: ChildProcess = spawn(TOOLS.ejabberdctl.path, [...base, 'foreground'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const log = () => {
    let text = out;
    for (const f of ['ejabberd.log', 'error.log']) {
      try {
        text += `\n--- ${f}\n${readFileSync(join(dir, 'logs', f), 'utf8')}`;
      } catch {
        // not written yet
      }
    }
    return text;
  };
  const ctl = async (args: readonly string[]) => {
    try {
      const { stdout } = await execFileP(TOOLS.ejabberdctl.path, [...base, ...args], { cwd: dir });
      return stdout;
    } catch (err) {
      const e = err as { stdout?: string; stderr?: string; message: string };
      throw new Error(`ejabberdctl ${args.join(' ')} failed: ${e.stdout ?? ''}${e.stderr ?? e.message}`);
    }
  };
  const kill = async () => {
    // `ejabberdctl foreground` runs erl under `su`; stop the whole group.
    await ctl(['stop']).catch(() => undefined);
    await stopChild(child, 'SIGTERM', 10_000);
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  try {
    await Promise.all(ports.map((port) => waitForPort(port, 60_000)));
    // The listeners open before every module has started; `status` waits for the node.
    await ctl(['started']);
  } catch (err) {
    await kill();
    throw new Error(`ejabberd did not start: ${(err as Error).message}\n${log()}`);
  }
  return {
    dir,
    ctl,
    log,
    async stop() {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
