import { onBeforeUnmount, onMounted } from 'vue';

export type ShortcutMap = Partial<Record<'F2' | 'F9' | 'Escape', (event: KeyboardEvent) => void>>;

/** Till-wide keys (F2 face, Esc cancel, F9 pay) that work whatever has focus. */
export function useShortcuts(map: ShortcutMap, target: Pick<Window, 'addEventListener' | 'removeEventListener'> = window): void {
  const onKeydown = (event: Event) => {
    const key = (event as KeyboardEvent).key;
    // Own keys only: a key named like an inherited property ("constructor") is no shortcut.
    const handler = Object.hasOwn(map, key) ? map[key as keyof ShortcutMap] : undefined;
    if (!handler || (event as KeyboardEvent).repeat) return;
    // F-keys would otherwise reach the browser (F2/F9 do nothing there, but keep it deterministic).
    event.preventDefault();
    handler(event as KeyboardEvent);
  };
  onMounted(() => target.addEventListener('keydown', onKeydown));
  onBeforeUnmount(() => target.removeEventListener('keydown', onKeydown));
}
