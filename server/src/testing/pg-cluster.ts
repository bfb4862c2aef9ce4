import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toolPath } from '@posface/testing';
import { freePort } from './harness.js';

/**
 * A throwaway PostgreSQL cluster of the test's own (initdb, pg_ctl), so a test may stop or freeze it
 * (SIGSTOP) without touching the shared TEST_DATABASE_URL server. As root it runs as the postgres user,
 * like .ci/services.sh.
 */
export interface PgCluster {
  url: string;
  /** pg_ctl stop -m fast: connections are closed, the server is gone. */
  stop(): void;
  start(): void;
  /** SIGSTOP the postmaster and every backend: the server is there but answers nothing. */
  freeze(): void;
  thaw(): void;
  destroy(): void;
}

function pgBin(): string {
  const versions = readdirSync(toolPath('postgresql')).filter((v) => existsSync(join(toolPath('postgresql'), v, 'bin', 'initdb')));
  const latest = versions.sort((a, b) => Number(a) - Number(b)).at(-1);
  if (latest === undefined) throw new Error(`no PostgreSQL under ${toolPath('postgresql')}`);
  return join(toolPath('postgresql'), latest, 'bin');
}

function run(command: string, args: string[]): void {
  const asRoot = process.getuid?.() === 0;
  const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
  const r = spawnSync(cmd, argv, { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${r.status}): ${r.stderr}${r.stdout}`);
}

/** The postmaster and its children (backends, checkpointer, …) by /proc. */
function clusterPids(dataDir: string): number[] {
  const postmaster = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const children = readdirSync('/proc')
    .filter((p) => /^[0-9]+$/.test(p))
    .filter((p) => {
      try {
        // stat: "pid (comm) state ppid …"; comm may hold spaces, so read after the last ")".
        const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === postmaster;
      } catch {
        return false;
      }
    })
    .map(Number);
  return [postmaster, ...children];
}

export async function startPgCluster(): Promise<PgCluster> {
  const bin = pgBin();
  const dir = mkdtempSync(join(tmpdir(), 'posface-pg-'));
  chmodSync(dir, 0o755);
  if (process.getuid?.() === 0) {
    const uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim());
    const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim());
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'pg');
  const port = await freePort();
  run(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync']);
  const start = () =>
    run(join(bin, 'pg_ctl'), ['-D', data, '-l', join(dir, 'pg.log'), '-w', '-t', '30', '-o', `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c synchronous_commit=off`, 'start']);
  const signal = (sig: NodeJS.Signals) => {
    for (const pid of clusterPids(data)) {
      try {
        process.kill(pid, sig);
      } catch (error) {
        // A backend that ended between the /proc scan and now has nothing left to signal.
        if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
      }
    }
  };
  start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: () => run(join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop']),
    start,
    freeze: () => signal('SIGSTOP'),
    thaw: () => signal('SIGCONT'),
    destroy: () => {
      if (existsSync(join(data, 'postmaster.pid'))) {
        signal('SIGCONT');
        run(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
