// Child processes of the demo: started with their output in a log file, stopped together on Ctrl+C.
import { spawn } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

const children = new Set();

/** Starts a child whose stdout/stderr go to `logFile`; `onLine` sees stdout lines (to read a URL, say). */
export function startChild(name, command, args, { env, cwd, logFile, onLine } = {}) {
  const log = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const entry = { name, child, logFile, exited: false };
  children.add(entry);
  let buffer = '';
  child.stdout.on('data', (chunk) => {
    log.write(chunk);
    if (!onLine) return;
    buffer += chunk.toString('utf8');
    let nl;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      onLine(buffer.slice(0, nl));
      buffer = buffer.slice(nl + 1);
    }
  });
  child.stderr.pipe(log, { end: false });
  entry.done = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      entry.exited = true;
      children.delete(entry);
      log.end();
      resolve({ code, signal });
    });
    child.on('error', (error) => {
      log.write(`spawn failed: ${error.message}\n`);
      entry.exited = true;
      children.delete(entry);
      resolve({ code: null, signal: null, error });
    });
  });
  return entry;
}

/** The last lines of a child's log, for an error message that says why it stopped. */
export function tail(logFile, lines = 15) {
  try {
    return readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch (error) {
    return `(no log: ${error.message})`;
  }
}

/** SIGTERM to every child still running, SIGKILL after `graceMs`, and wait for all of them. */
export async function stopAll(graceMs = 5000) {
  const running = [...children];
  for (const { child } of running) child.kill('SIGTERM');
  const timer = setTimeout(() => {
    for (const { child, exited } of running) if (!exited) child.kill('SIGKILL');
  }, graceMs);
  await Promise.all(running.map((c) => c.done));
  clearTimeout(timer);
  return running.map((c) => c.name);
}

/** `preferred` if it is free on 127.0.0.1, else the next free one (up to 20 tries), else any. */
export async function freePort(preferred) {
  for (let port = preferred; port < preferred + 20; port += 1) {
    if (await canListen(port)) return port;
  }
  return 0;
}

function canListen(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Polls `url` until it answers (any HTTP status) or `child` exits; the last failure stays in `entry.lastProbeError`. */
export async function waitForHttp(url, entry, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (entry.exited) return false;
    try {
      await fetch(url, { signal: AbortSignal.timeout(1000) });
      return true;
    } catch (error) {
      // Not listening yet, most likely; kept so a timeout can say what the last attempt met.
      entry.lastProbeError = error.cause?.code ?? error.message;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}
