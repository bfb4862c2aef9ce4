import { onBeforeUnmount, onMounted } from 'vue';

/** A scanner "types" a whole code within a few ms per key and ends it with Enter. */
const SCANNER_MAX_GAP_MS = 50;
const SCANNER_MIN_LENGTH = 4;

/** Pure part: feed keys with their time; returns a code when Enter ends a fast burst. */
export class ScannerBuffer {
  private buffer = '';
  private last = 0;

  constructor(
    private readonly maxGapMs = SCANNER_MAX_GAP_MS,
    private readonly minLength = SCANNER_MIN_LENGTH,
  ) {}

  push(key: string, at: number): string | null {
    if (at - this.last > this.maxGapMs) this.buffer = '';
    this.last = at;
    if (key === 'Enter') {
      const code = this.buffer;
      this.buffer = '';
      return code.length >= this.minLength ? code : null;
    }
    if (key.length === 1 && /[0-9A-Za-z-]/.test(key)) this.buffer += key;
    else this.buffer = '';
    return null;
  }
}

function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/**
 * Catches scans that arrive while focus is not in a text field (after a click on a button, say);
 * the search field handles scans typed into it itself.
 */
export function useScannerInput(onScan: (code: string) => void): void {
  const buffer = new ScannerBuffer();
  const onKeydown = (event: KeyboardEvent) => {
    if (isEditable(event.target)) return;
    const code = buffer.push(event.key, event.timeStamp || performance.now());
    if (code !== null) {
      event.preventDefault();
      onScan(code);
    }
  };
  onMounted(() => window.addEventListener('keydown', onKeydown));
  onBeforeUnmount(() => window.removeEventListener('keydown', onKeydown));
}
