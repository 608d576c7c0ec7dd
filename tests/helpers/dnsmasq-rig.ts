/**
 * dnsmasq on a loopback port, serving the SRV and A records the probe tests
 * need. `--local=/test/` makes it authoritative for `.test`, so unknown names
 * get NXDOMAIN/NODATA (as from a real zone) rather than REFUSED.
 */
import { spawn } from 'node:child_process';
import { Resolver } from 'node:dns/promises';
import { freePort } from './free-port.ts';
import { requireTools, TOOLS } from './system-tools.ts';
import { stopChild } from './stop-child.ts';

export interface DnsRig {
  /** e.g. `127.0.0.1:40123`, for `--resolver`. */
  address: string;
  stop(): Promise<void>;
}

/** An SRV record; `target: '.'` publishes "service not offered". */
export interface Srv {
  name: string;
  target: string;
  port?: number;
}

/**
 * @param options.records other records as dnsmasq's `--dns-rr` takes them (issue 30: TLSA, type 52), e.g.
 *   `[{ name: '_5222._tcp.cert.test', type: 52, hex: '030101' + sha256 }]`
 */
export async function startDnsmasq(options: { srv: Srv[]; hosts: string[]; records?: { name: string; type: number; hex: string }[] }): Promise<DnsRig> {
  requireTools([TOOLS.dnsmasq]);
  const port = await freePort();
  const args = [
    '--keep-in-foreground',
    '--conf-file=/dev/null',
    '--no-resolv',
    '--no-hosts',
    `--port=${port}`,
    '--listen-address=127.0.0.1',
    '--bind-interfaces',
    '--pid-file=',
    '--local=/test/',
    ...(process.getuid?.() === 0 ? ['--user=root'] : []),
    ...options.srv.map((s) => (s.target === '.' ? `--srv-host=${s.name}` : `--srv-host=${s.name},${s.target},${s.port},0,5`)),
    ...options.hosts.map((h) => `--host-record=${h},127.0.0.1`),
    ...(options.records ?? []).map((r) => `--dns-rr=${r.name},${r.type},${r.hex}`),
  ];
  const child = spawn(TOOLS.dnsmasq.path, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.on('data', (d: Buffer) => (log += d.toString()));
  const resolver = new Resolver({ timeout: 500, tries: 1 });
  resolver.setServers([`127.0.0.1:${port}`]);
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      await resolver.resolve4(options.hosts[0]!);
      break;
    } catch {
      if (Date.now() > deadline || child.exitCode !== null) {
        child.kill('SIGKILL');
        throw new Error(`dnsmasq did not start:\n${log}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    address: `127.0.0.1:${port}`,
    async stop() {
      await stopChild(child, 'SIGTERM', 3000);
    },
  };
}
