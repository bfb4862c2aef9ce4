import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NtExecutable, NtExecutableResource, Resource } from 'resedit';
import type { Runtime } from './runtime.js';
import { runWine, windowsPath, type Wine } from './wine.js';

/**
 * The single executable: the target's own node.exe (under wine) turns the bundle into a SEA blob, then
 * the blob goes into a copy of that node.exe as the NODE_SEA_BLOB resource and the SEA fuse is set.
 */

/** Node's SEA fuse (the sentinel postject flips); ":1" tells node.exe to run its blob. */
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2:';
/** RT_RCDATA: where node.exe looks for NODE_SEA_BLOB on Windows. */
const RT_RCDATA = 10;

/**
 * Makes the blob with the exe's own Node version and architecture (a blob from another Node crashes
 * it), with a V8 code cache of the bundle so the host skips compiling it at every start.
 */
export async function makeSeaBlob(wine: Wine, runtime: Runtime, bundle: string): Promise<Buffer> {
  const dir = mkdtempSync(join(tmpdir(), 'posface-sea-'));
  try {
    writeFileSync(join(dir, 'host.cjs'), readFileSync(bundle));
    const config = { main: 'host.cjs', output: 'sea-prep.blob', disableExperimentalSEAWarning: true, useCodeCache: true };
    writeFileSync(join(dir, 'sea-config.json'), JSON.stringify(config));
    const run = await runWine(wine, [windowsPath(runtime.nodeExe), '--experimental-sea-config', 'sea-config.json'], { cwd: dir });
    if (run.status !== 0) throw new Error(`node.exe --experimental-sea-config failed (${run.status}): ${run.stderr}${run.stdout}`);
    return readFileSync(join(dir, 'sea-prep.blob'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function asArrayBuffer(data: Buffer): ArrayBuffer {
  return data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
}

/**
 * Writes `out`: node.exe with the blob, the fuse set, and version information naming the host. The
 * OpenJS Foundation's signature is dropped (it would no longer match); sign the result with your own.
 */
export function writeSeaExe(runtime: Runtime, blob: Buffer, out: string, version: string): void {
  const exe = NtExecutable.from(readFileSync(runtime.nodeExe), { ignoreCert: true });
  const resources = NtExecutableResource.from(exe);
  resources.entries.push({ type: RT_RCDATA, id: 'NODE_SEA_BLOB', lang: 0, codepage: 0, bin: asArrayBuffer(blob) });
  const [info] = Resource.VersionInfo.fromEntries(resources.entries);
  if (info === undefined) throw new Error(`${runtime.nodeExe} has no version information`);
  for (const language of info.getAllLanguagesForStringValues()) {
    info.setStringValues(language, {
      CompanyName: 'POS Face',
      ProductName: 'POS Face host',
      FileDescription: `POS Face native messaging host (Node.js ${runtime.nodeVersion})`,
      InternalName: 'pos-face-host',
      OriginalFilename: 'pos-face-host.exe',
      ProductVersion: version,
      FileVersion: version,
    });
  }
  info.setFileVersion(version);
  info.setProductVersion(version);
  info.outputToResourceEntries(resources.entries);
  resources.outputResource(exe);
  const image = Buffer.from(exe.generate());
  const fuse = Buffer.from(`${SEA_FUSE}0`);
  const at = image.indexOf(fuse);
  if (at < 0 || image.indexOf(fuse, at + 1) >= 0) throw new Error(`${runtime.nodeExe}: the SEA fuse is not there exactly once`);
  image.write('1', at + fuse.length - 1, 'latin1');
  writeFileSync(out, image);
}
