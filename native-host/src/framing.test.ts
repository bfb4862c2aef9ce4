import { PassThrough } from 'node:stream';
import { MAX_OUTBOUND_FRAME_BYTES } from '@posface/protocol';
import { describe, expect, it } from 'vitest';
import { encodeFrame, encodeResponse, FrameReader, FrameWriter, parseFramePayload } from './framing.js';

const frames = (events: ReturnType<FrameReader['push']>) => events.map((e) => (e.kind === 'frame' ? e.payload.toString('utf8') : `oversize:${e.length}`));

describe('FrameReader', () => {
  it('yields a frame split at every possible byte', () => {
    const frame = encodeFrame({ id: 'a', method: 'hello', text: '王芳 🍵' });
    for (let cut = 1; cut < frame.length; cut += 1) {
      const reader = new FrameReader();
      expect(reader.push(frame.subarray(0, cut))).toEqual([]);
      expect(frames(reader.push(frame.subarray(cut)))).toEqual(['{"id":"a","method":"hello","text":"王芳 🍵"}']);
      expect(reader.pendingBytes).toBe(0);
    }
  });

  it('yields every frame of a coalesced chunk and keeps the tail', () => {
    const reader = new FrameReader();
    const all = Buffer.concat([encodeFrame(1), encodeFrame('two'), encodeFrame([3])]);
    expect(frames(reader.push(all.subarray(0, all.length - 2)))).toEqual(['1', '"two"']);
    expect(reader.pendingBytes).toBe(encodeFrame([3]).length - 2);
    expect(frames(reader.push(all.subarray(all.length - 2)))).toEqual(['[3]']);
  });

  it('accepts an empty frame as an empty payload', () => {
    expect(new FrameReader().push(Buffer.alloc(4))).toEqual([{ kind: 'frame', payload: Buffer.alloc(0) }]);
  });

  it('reports a header over the limit once and then ignores the broken stream', () => {
    const reader = new FrameReader(10);
    const header = Buffer.alloc(4);
    header.writeUInt32LE(11);
    expect(reader.push(Buffer.concat([encodeFrame(1), header, Buffer.from('junk')]))).toEqual([
      { kind: 'frame', payload: Buffer.from('1') },
      { kind: 'oversize', length: 11 },
    ]);
    expect(reader.push(encodeFrame(2))).toEqual([]);
  });
});

describe('parseFramePayload', () => {
  it('parses UTF-8 JSON and names what is wrong otherwise', () => {
    expect(parseFramePayload(Buffer.from('{"a":"é"}'))).toEqual({ a: 'é' });
    expect(() => parseFramePayload(Buffer.from([0xc3]))).toThrow(/not valid UTF-8/);
    expect(() => parseFramePayload(Buffer.from('{'))).toThrow(/not valid JSON/);
  });
});

describe('encodeResponse', () => {
  it('writes a little-endian byte length, not a character count', () => {
    const { frame } = encodeResponse({ id: '1', ok: true, result: { nickname: '李雷 🍵' } });
    expect(frame.readUInt32LE(0)).toBe(frame.length - 4);
    expect(frame.length - 4).toBeGreaterThan(JSON.stringify({ id: '1', ok: true, result: { nickname: '李雷 🍵' } }).length);
  });

  it('replaces an answer over the limit by MESSAGE_TOO_LARGE for the same id', () => {
    const { frame, replaced } = encodeResponse({ id: 'big', ok: true, result: { nickname: 'x'.repeat(MAX_OUTBOUND_FRAME_BYTES) } });
    expect(replaced).toBe(true);
    const body = JSON.parse(frame.subarray(4).toString('utf8'));
    expect(body).toMatchObject({ id: 'big', ok: false, error: { code: 'MESSAGE_TOO_LARGE' } });
  });

  it('keeps an answer exactly at the limit', () => {
    const skeleton = JSON.stringify({ id: 'edge', ok: true, result: '' });
    const result = 'y'.repeat(MAX_OUTBOUND_FRAME_BYTES - Buffer.byteLength(skeleton));
    const { frame, replaced } = encodeResponse({ id: 'edge', ok: true, result });
    expect(replaced).toBe(false);
    expect(frame.length - 4).toBe(MAX_OUTBOUND_FRAME_BYTES);
  });
});

describe('FrameWriter', () => {
  it('writes frames and resolves flushed() once they have left', async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    const writer = new FrameWriter(out);
    writer.send({ id: 'a', ok: true, result: 1 });
    writer.send({ id: 'b', ok: true, result: 2 });
    await writer.flushed();
    const reader = new FrameReader();
    expect(frames(reader.push(Buffer.concat(chunks)))).toEqual(['{"id":"a","ok":true,"result":1}', '{"id":"b","ok":true,"result":2}']);
  });
});
