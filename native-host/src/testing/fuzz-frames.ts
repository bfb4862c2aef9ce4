import { SDK_COMMANDS, SDK_FIELDS, type FieldSpec, type SdkCommand } from '@posface/protocol';

/**
 * Test support: seeded frame payloads for fuzzing the host — random bytes, truncated and corrupted
 * JSON, invalid UTF-8, deep nesting, numbers JSON.parse cannot hold exactly, wrong types, every
 * Object.prototype name and "__proto__" as keys and values, values over their limits, and valid
 * requests (so that plenty reach the SDK). The same seed gives the same payloads.
 */

/** mulberry32: small, fast, and good enough to spread test cases. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** An integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }

  bytes(n: number): Buffer {
    const out = Buffer.allocUnsafe(n);
    for (let i = 0; i < n; i += 1) out[i] = this.int(256);
    return out;
  }
}

/** Names every ordinary object inherits, and "__proto__" (an own key when JSON.parse reads it). */
const INHERITED_NAMES: readonly string[] = [...new Set([...Object.getOwnPropertyNames(Object.prototype), '__proto__'])];

/** A JSON value written as text, so that keys like "__proto__" and numbers like 1e400 survive. */
type Text = string;

function objectText(entries: ReadonlyArray<readonly [string, Text]>): Text {
  return `{${entries.map(([key, value]) => `${JSON.stringify(key)}:${value}`).join(',')}}`;
}

const json = (value: unknown): Text => JSON.stringify(value);

const ALPHABETS = [
  'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-',
  '<>&"\'\\/',
  '王芳李雷张伟刘洋陈静微信支付',
  '\u0000\u0001\u001f\u007f\u2028\u2029\ufeff',
  '😀🍵',
  '\ud800\udc00\udfff',
] as const;

function randomString(rng: Rng, length: number): string {
  const alphabet = rng.pick(ALPHABETS);
  let out = '';
  for (let i = 0; i < length; i += 1) out += alphabet[rng.int(alphabet.length)];
  return out;
}

/** A value the SDK documents for this field. */
function validValue(rng: Rng, spec: FieldSpec): unknown {
  if (spec.type === 'int') return rng.pick(spec.oneOf);
  if (spec.oneOf) return rng.pick(spec.oneOf);
  const max = spec.max ?? 16;
  if (spec.pattern) {
    // Both documented patterns are digit strings ("port", "screen_index").
    for (;;) {
      const digits = Array.from({ length: rng.range(1, max) }, () => rng.int(10)).join('');
      if (spec.pattern.test(digits)) return digits;
    }
  }
  return randomString(rng, rng.range(spec.required ? 1 : 0, max));
}

/** A value the SDK does not accept for this field. */
function invalidValue(rng: Rng, spec: FieldSpec): Text {
  const limit = spec.type === 'string' ? (spec.max ?? 16) : 4;
  return rng.pick<() => Text>([
    () => json(randomString(rng, limit + rng.range(1, rng.chance(0.1) ? 60_000 : 200))),
    () => json(rng.range(-5, 5)),
    () => rng.pick(HUGE_NUMBERS),
    () => json(null),
    () => json(rng.chance(0.5)),
    () => json([validValue(rng, spec)]),
    () => objectText([[rng.pick(INHERITED_NAMES), json('x')]]),
    () => json(rng.pick(INHERITED_NAMES)),
    () => json(''),
  ])();
}

const HUGE_NUMBERS: readonly Text[] = [
  '1e400', '-1e400', '1e-400', '-0', '9007199254740993', '123456789012345678901234567890123456789',
  '1.7976931348623157e308', '5e-324', '0.30000000000000004', '2.0000000000000004', '1E2', '-1',
];

/** The documented fields of a valid request for `cmd`: the required ones, and each optional one by chance. */
function validFields(rng: Rng, cmd: SdkCommand): Array<[string, Text]> {
  const fields: Array<[string, Text]> = [['cmd', json(cmd)]];
  for (const [name, spec] of Object.entries(SDK_FIELDS[cmd])) {
    if (spec.required || rng.chance(0.5)) fields.push([name, json(validValue(rng, spec))]);
  }
  return fields;
}

/** One way of spoiling a valid field list (each is refused by the SDK contract). */
function spoilFields(rng: Rng, cmd: SdkCommand, fields: Array<[string, Text]>): void {
  const specs = Object.entries(SDK_FIELDS[cmd]);
  const otherCommands = SDK_COMMANDS.filter((c) => c !== cmd);
  const strangers = [...INHERITED_NAMES, ...otherCommands.flatMap((c) => Object.keys(SDK_FIELDS[c])), 'version', 'now', 'id', 'method', 'params', 'extra', ''];
  rng.pick<() => void>([
    // A key that is not a field of this command (Object.prototype names most of all), of any size.
    () => fields.splice(rng.int(fields.length + 1), 0, [rng.pick(strangers), rng.chance(0.5) ? json(randomString(rng, rng.range(0, rng.chance(0.1) ? 30_000 : 100))) : invalidValue(rng, { type: 'string' })]),
    // A documented field with a value it does not accept.
    () => {
      if (specs.length === 0) return void fields.push(['__proto__', objectText([['appid', json('x')]])]);
      const [name, spec] = rng.pick(specs);
      fields.push([name, invalidValue(rng, spec)]);
    },
    // A required field missing.
    () => {
      const required = specs.filter(([, spec]) => spec.required).map(([name]) => name);
      if (required.length === 0) return void fields.push([rng.pick(INHERITED_NAMES), json(null)]);
      const name = rng.pick(required);
      fields.splice(fields.findIndex(([key]) => key === name), 1);
    },
    // A command that is not one: an inherited name, another case, or not a string.
    () => (fields[0] = ['cmd', rng.pick([json(rng.pick(INHERITED_NAMES)), json(cmd.toUpperCase()), json(`${cmd} `), rng.pick(HUGE_NUMBERS), json([cmd]), json(null)])]),
    // The field list is not even an object.
    () => fields.splice(0, fields.length, ['cmd', json(cmd)], ['__proto__', objectText(fields)]),
  ])();
}

function deepNesting(rng: Rng, depth: number): Text {
  return rng.chance(0.5) ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

let nextId = 0;
const newId = (): string => `f${nextId++}`;

/** A request envelope around `params` with sometimes-spoiled id, method and extra keys. */
function envelope(rng: Rng, method: Text, params: Text | null, spoil: boolean): Text {
  const entries: Array<[string, Text]> = [['id', json(newId())], ['method', method]];
  if (params !== null) entries.push(['params', params]);
  if (spoil) {
    rng.pick<() => void>([
      () => (entries[0] = ['id', rng.pick([json(rng.pick(INHERITED_NAMES)), json(''), json('i'.repeat(65)), rng.pick(HUGE_NUMBERS), json(null), json(['f']), objectText([['__proto__', json('x')]])])]),
      () => entries.splice(0, 1),
      () => (entries[1] = ['method', rng.pick([json(rng.pick(INHERITED_NAMES)), json('HELLO'), json('exec'), json(null), rng.pick(HUGE_NUMBERS)])]),
      () => entries.push([rng.pick(INHERITED_NAMES), rng.chance(0.5) ? json(randomString(rng, rng.range(0, 2000))) : objectText([['cmd', json('stopWxpayface')]])]),
      () => entries.push(['params', rng.pick([json('getWxpayfaceRawdata'), json([]), json(null), deepNesting(rng, rng.range(1, 2000))])]),
    ])();
  }
  return objectText(rng.chance(0.1) ? [...entries].reverse() : entries);
}

function structuredPayload(rng: Rng): Text {
  const roll = rng.next();
  if (roll < 0.08) return envelope(rng, json('hello'), rng.chance(0.2) ? objectText([[rng.pick(INHERITED_NAMES), json(1)]]) : null, rng.chance(0.3));
  const cmd = rng.pick(SDK_COMMANDS);
  const fields = validFields(rng, cmd);
  // About half the calls are valid, so that plenty reach the SDK.
  const spoilParams = roll >= 0.55;
  if (spoilParams) spoilFields(rng, cmd, fields);
  return envelope(rng, json('call'), objectText(fields), !spoilParams && rng.chance(0.1));
}

const INVALID_UTF8: readonly Buffer[] = [
  Buffer.from([0xff]),
  Buffer.from([0xc0, 0x80]),
  Buffer.from([0x80]),
  Buffer.from([0xed, 0xa0, 0x80]),
  Buffer.from([0xf4, 0x90, 0x80, 0x80]),
  Buffer.from([0xe4, 0xb8]),
];

/** One frame payload (the bytes after the 4-byte header), at most `maxBytes` long. */
export function fuzzPayload(rng: Rng, maxBytes: number): Buffer {
  const roll = rng.next();
  let payload: Buffer;
  if (roll < 0.05) {
    payload = rng.bytes(rng.range(0, 512));
  } else if (roll < 0.1) {
    // Almost JSON: a request cut short, or with bytes flipped.
    const text = Buffer.from(structuredPayload(rng), 'utf8');
    payload = rng.chance(0.5) ? text.subarray(0, rng.int(text.length)) : Buffer.from(text.map((b) => (rng.chance(0.02) ? rng.int(256) : b)));
  } else if (roll < 0.15) {
    const text = Buffer.from(structuredPayload(rng), 'utf8');
    const at = rng.int(text.length + 1);
    payload = Buffer.concat([text.subarray(0, at), rng.pick(INVALID_UTF8), text.subarray(at)]);
  } else if (roll < 0.18) {
    const depth = rng.range(1, Math.floor((maxBytes - 200) / 6));
    const nest = deepNesting(rng, depth);
    payload = Buffer.from(rng.pick([nest, envelope(rng, json('call'), nest, false), envelope(rng, json('call'), objectText([['cmd', json('initWxpayface')], ['ip', nest]]), false)]), 'utf8');
  } else if (roll < 0.2) {
    payload = Buffer.from(rng.pick(['', ' ', 'null', '[]', '{}', '"hello"', '\ufeff{}', rng.pick(HUGE_NUMBERS), `${objectText([['__proto__', json(null)]])}`]), 'utf8');
  } else {
    payload = Buffer.from(structuredPayload(rng), 'utf8');
  }
  return payload.length <= maxBytes ? payload : payload.subarray(0, maxBytes);
}
