import { closeSync, openSync, readSync } from 'node:fs';

/** What a library file is, from its header, so a bitness mismatch can be named before loading it. */
interface LibraryKind {
  format: 'pe' | 'elf' | 'mach-o' | 'unknown';
  /** In Node's process.arch words: ia32, x64, arm64, arm… or 'unknown'. */
  arch: string;
}

const PE_MACHINES: Record<number, string> = { 0x14c: 'ia32', 0x8664: 'x64', 0xaa64: 'arm64', 0x1c4: 'arm' };
const ELF_MACHINES: Record<number, string> = { 3: 'ia32', 62: 'x64', 183: 'arm64', 40: 'arm', 243: 'riscv64' };
const MACHO_CPUS: Record<number, string> = { 7: 'ia32', 0x01000007: 'x64', 0x0100000c: 'arm64', 12: 'arm' };

/** Reads the architecture from a PE (Windows DLL), ELF or Mach-O header. */
export function libraryKindFromHeader(head: Buffer): LibraryKind {
  if (head.length >= 0x40 && head.toString('latin1', 0, 2) === 'MZ') {
    const pe = head.readUInt32LE(0x3c);
    if (pe + 6 <= head.length && head.toString('latin1', pe, pe + 4) === 'PE\0\0') {
      return { format: 'pe', arch: PE_MACHINES[head.readUInt16LE(pe + 4)] ?? 'unknown' };
    }
    return { format: 'pe', arch: 'unknown' };
  }
  if (head.length >= 20 && head.readUInt32BE(0) === 0x7f454c46) {
    const little = head[5] !== 2;
    const machine = little ? head.readUInt16LE(18) : head.readUInt16BE(18);
    return { format: 'elf', arch: ELF_MACHINES[machine] ?? 'unknown' };
  }
  if (head.length >= 8) {
    const magic = head.readUInt32LE(0);
    if (magic === 0xfeedface || magic === 0xfeedfacf) return { format: 'mach-o', arch: MACHO_CPUS[head.readUInt32LE(4)] ?? 'unknown' };
  }
  return { format: 'unknown', arch: 'unknown' };
}

/** The library's kind; throws the fs error (ENOENT…) when the file cannot be read. */
export function readLibraryKind(path: string): LibraryKind {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(4096);
    const n = readSync(fd, head, 0, head.length, 0);
    return libraryKindFromHeader(head.subarray(0, n));
  } finally {
    closeSync(fd);
  }
}

const BITS: Record<string, string> = { ia32: '32-bit', arm: '32-bit', x64: '64-bit', arm64: '64-bit', riscv64: '64-bit' };
const NATIVE_FORMAT: Partial<Record<NodeJS.Platform, LibraryKind['format']>> = { win32: 'pe', linux: 'elf', darwin: 'mach-o', freebsd: 'elf' };

/**
 * Why this process cannot load a library of `kind`, with what to do; null when it can (or the header
 * says too little to judge, and loading will tell).
 */
export function archMismatch(kind: LibraryKind, processArch: string = process.arch, platform: NodeJS.Platform = process.platform): string | null {
  const native = NATIVE_FORMAT[platform];
  if (kind.format !== 'unknown' && native !== undefined && kind.format !== native) {
    const what = kind.format === 'pe' ? 'a Windows DLL' : kind.format === 'elf' ? 'a Linux/ELF library' : 'a macOS library';
    return `The SDK library is ${what}${kind.arch === 'unknown' ? '' : ` (${kind.arch})`}, which this ${platform} host cannot load: point POSFACE_SDK_PATH at a library built for ${platform}.`;
  }
  if (kind.arch === 'unknown' || kind.arch === processArch) return null;
  const libBits = BITS[kind.arch] ?? kind.arch;
  const nodeBits = BITS[processArch] ?? processArch;
  if (libBits !== nodeBits) {
    return `The SDK DLL is ${libBits} (${kind.arch}) but this Node is ${nodeBits} (${processArch}): install the ${kind.arch} host (the win-${kind.arch} MSI, or a ${kind.arch} Node.js), or use the ${processArch} SDK DLL.`;
  }
  return `The SDK DLL is built for ${kind.arch} but this Node runs on ${processArch}: install the ${kind.arch} host or the ${processArch} SDK DLL.`;
}
