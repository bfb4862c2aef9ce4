import { FaceError } from '@posface/protocol';
import { XMLBuilder, XMLParser } from 'fast-xml-parser';

/** WeChat v2 bodies: one flat <xml> of text fields; values in CDATA as WeChat's own SDKs write them. */

const builder = new XMLBuilder({ cdataPropName: '__cdata', format: false });
// parseTagValue:false keeps "0001" and long ids as strings; no entity expansion, and DOCTYPE is refused.
const parser = new XMLParser({ parseTagValue: false, processEntities: false, ignoreAttributes: true, trimValues: false });

export function toXml(fields: Readonly<Record<string, string | undefined>>): string {
  const xml: Record<string, { __cdata: string }> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined || v === '') continue;
    // CDATA cannot hold "]]>"; no genuine field contains it (rawdata is base64), so it is the client's error.
    if (v.includes(']]>')) throw new FaceError('INVALID_REQUEST', `${k}: must not contain "]]>"`, { details: { field: k } });
    xml[k] = { __cdata: v };
  }
  return builder.build({ xml }) as string;
}

/** The flat text fields of an <xml> answer; throws an Error saying what is wrong. */
export function fromXml(text: string): Record<string, string> {
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw new Error('DOCTYPE/ENTITY declarations are not accepted');
  const doc = parser.parse(text, true) as Record<string, unknown>;
  const root = doc.xml;
  if (root === '') return {};
  if (typeof root !== 'object' || root === null) throw new Error('no <xml> root element');
  const fields: Record<string, string> = {};
  for (const [k, v] of Object.entries(root)) {
    if (typeof v !== 'string') throw new Error(`<${k}> must hold text only`);
    fields[k] = v;
  }
  return fields;
}
