import { XMLBuilder, XMLParser } from 'fast-xml-parser';

/** WeChat v2 XML: one flat <xml> element of text fields. Values go in CDATA, as WeChat writes them. */

const builder = new XMLBuilder({ cdataPropName: '__cdata', format: false });
// parseTagValue:false keeps ids and nonces as strings; entity expansion is off and DOCTYPE refused.
const parser = new XMLParser({ parseTagValue: false, processEntities: false, ignoreAttributes: true, trimValues: false });

export function buildXml(fields: Readonly<Record<string, string | undefined>>): string {
  const xml: Record<string, { __cdata: string }> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined) continue;
    if (v.includes(']]>')) throw new Error(`${k}: must not contain "]]>"`);
    xml[k] = { __cdata: v };
  }
  return builder.build({ xml }) as string;
}

/** The flat fields of an <xml> document, or an error message saying what is wrong with it. */
export function parseXml(text: string): { ok: true; fields: Record<string, string> } | { ok: false; problem: string } {
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) return { ok: false, problem: 'DOCTYPE/ENTITY not allowed' };
  let doc: unknown;
  try {
    doc = parser.parse(text, true);
  } catch (error) {
    return { ok: false, problem: error instanceof Error ? error.message : String(error) };
  }
  const root = (doc as Record<string, unknown>).xml;
  if (root === '') return { ok: true, fields: {} };
  if (typeof root !== 'object' || root === null) return { ok: false, problem: 'no <xml> root element' };
  const fields: Record<string, string> = {};
  for (const [k, v] of Object.entries(root)) {
    if (typeof v !== 'string') return { ok: false, problem: `<${k}> must hold text only` };
    fields[k] = v;
  }
  return { ok: true, fields };
}
