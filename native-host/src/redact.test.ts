import { describe, expect, it } from 'vitest';
import { shortHash } from '@posface/protocol';
import { redact } from './redact.js';

describe('redact', () => {
  it('keeps a "__proto__" key as data, with what is under it hashed, instead of making it the prototype', () => {
    const fields = JSON.parse('{"details":{"__proto__":{"openid":"oSECRET_1","n":1},"constructor":"c"}}') as unknown;
    expect(JSON.stringify(redact(fields))).toBe(`{"details":{"__proto__":{"openid":"${shortHash('oSECRET_1')}","n":1},"constructor":"c"}}`);
  });
});
