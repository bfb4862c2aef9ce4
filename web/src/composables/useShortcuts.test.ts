import { mount } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { defineComponent } from 'vue';
import { useShortcuts } from './useShortcuts.js';

function press(target: EventTarget, key: string): KeyboardEvent {
  const event = new KeyboardEvent('keydown', { key, cancelable: true });
  target.dispatchEvent(event);
  return event;
}

describe('useShortcuts', () => {
  it('runs the handler of its own keys only: a key named like an inherited property is no shortcut', () => {
    const target = new EventTarget();
    const f2 = vi.fn();
    const wrapper = mount(defineComponent({ setup: () => (useShortcuts({ F2: f2 }, target), () => null) }));
    expect(press(target, 'F2').defaultPrevented).toBe(true);
    expect(f2).toHaveBeenCalledTimes(1);
    for (const key of ['constructor', 'toString', 'valueOf', '__proto__', 'F9']) expect(press(target, key).defaultPrevented, key).toBe(false);
    wrapper.unmount();
    expect(press(target, 'F2').defaultPrevented).toBe(false);
  });
});
