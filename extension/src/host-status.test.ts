import { FaceError, validateBridgeStatus, type BridgeStatus } from '@posface/protocol';
import { describe, expect, it } from 'vitest';
import { HostStatusBroadcaster } from './host-status.js';

function page() {
  const got: BridgeStatus[] = [];
  return { got, postMessage: (m: BridgeStatus) => got.push(m) };
}

describe('HostStatusBroadcaster', () => {
  it('tells every connected page that the host exited, with the error, in a shape the page accepts', () => {
    const b = new HostStatusBroadcaster();
    const [one, two] = [page(), page()];
    b.add(one);
    b.add(two);
    b.exited(new FaceError('HOST_EXITED', 'The native host exited (code 1)'));
    for (const p of [one, two]) {
      expect(p.got).toEqual([{ channel: 'pos-face', type: 'status', host: 'exited', error: { code: 'HOST_EXITED', message: 'The native host exited (code 1)' } }]);
      expect(validateBridgeStatus(p.got[0])).toEqual(p.got[0]);
    }
  });

  it('announces each fresh host once, at its first answer', () => {
    const b = new HostStatusBroadcaster();
    const p = page();
    b.add(p);
    b.answered(1, '0.1.0');
    b.answered(1, '0.1.0');
    b.answered(2, '0.1.1');
    b.answered(3, undefined); // no hello yet: nothing to say
    expect(p.got).toEqual([
      { channel: 'pos-face', type: 'status', host: 'connected', version: '0.1.0' },
      { channel: 'pos-face', type: 'status', host: 'connected', version: '0.1.1' },
    ]);
  });

  it('a page that went away hears nothing more; a port that throws does not stop the others', () => {
    const b = new HostStatusBroadcaster();
    const gone = page();
    const broken = { postMessage: () => { throw new Error('Attempting to use a disconnected port object'); } };
    const alive = page();
    b.add(gone);
    b.add(broken);
    b.add(alive);
    b.remove(gone);
    b.exited(new FaceError('HOST_NOT_FOUND', 'Specified native messaging host not found.'));
    expect(gone.got).toEqual([]);
    expect(alive.got.map((m) => m.host)).toEqual(['exited']);
  });
});
