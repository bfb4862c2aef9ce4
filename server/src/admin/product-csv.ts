import { PRODUCT_CSV_COLUMNS } from '@posface/protocol';
import { PRODUCT_NAME_MAX, PRODUCT_PRICE_MAX_FEN, ProductInput, type ImportError } from '@posface/protocol/admin-api';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { Compile } from 'typebox/compile';
import type { AdminProduct } from '@posface/protocol/admin-api';
import { memberPriceProblem } from './catalogue.js';

/** A catalogue file of more rows than this is refused whole (split it). */
export const IMPORT_MAX_ROWS = 200_000;
/** …and of more bytes than this (50,000 products are about 3 MB). */
export const IMPORT_MAX_BYTES = 32 * 1024 * 1024;

const checkInput = Compile(ProductInput);
const INTEGER = /^[0-9]+$/;

export interface ParsedCatalogue {
  rows: ProductInput[];
  /** Data rows read (the header excluded). */
  count: number;
  errors: ImportError[];
}

/**
 * Reads a product CSV (header `barcode,name,name_en,price_fen,member_price_fen`, UTF-8, an optional BOM)
 * and checks every row against the same schema the integration API uses, plus the member-price rule and
 * unique barcodes. `line` is the file's line number (the header is line 1).
 */
export function parseProductCsv(text: string): ParsedCatalogue {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { bom: true, info: true, relax_column_count: true, skip_empty_lines: true }) as unknown as typeof records;
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 1;
    return { rows: [], count: 0, errors: [{ line, message: `not a readable CSV file: ${error instanceof Error ? error.message : String(error)}`, problem: 'invalid' }] };
  }
  const [header, ...data] = records;
  const expected = PRODUCT_CSV_COLUMNS.join(',');
  const got = header?.record.map((h) => h.trim()).join(',') ?? '';
  if (got !== expected) {
    return { rows: [], count: 0, errors: [{ line: 1, message: `the first line must be the header "${expected}", got "${got}"`, problem: 'header' }] };
  }
  if (data.length > IMPORT_MAX_ROWS) {
    return { rows: [], count: data.length, errors: [{ line: 1, message: `at most ${IMPORT_MAX_ROWS} rows per file, got ${data.length}: split the file`, problem: 'too_many_rows' }] };
  }
  const errors: ImportError[] = [];
  const rows: ProductInput[] = [];
  const firstLine = new Map<string, number>();
  for (const { record, info } of data) {
    const line = info.lines;
    const fail = (field: string | undefined, problem: NonNullable<ImportError['problem']>, message: string) => {
      errors.push({ line, message, problem, ...(field !== undefined ? { field } : {}) });
    };
    if (record.length !== PRODUCT_CSV_COLUMNS.length) {
      fail(undefined, 'columns', `${PRODUCT_CSV_COLUMNS.length} columns expected, got ${record.length}`);
      continue;
    }
    // Spaces around a value are dropped here (csv-parse's own `trim` option costs a third more time).
    const [barcode = '', name = '', nameEn = '', price = '', memberPrice = ''] = record.map((v) => v.trim());
    const before = errors.length;
    const integer = (field: string, value: string): number | null => {
      if (!INTEGER.test(value)) {
        fail(field, value === '' ? 'required' : 'not_integer', value === '' ? `${field} is required` : `${field} must be a whole number of fen (e.g. 1250 for ¥12.50), got "${value}"`);
        return null;
      }
      const n = Number(value);
      if (n > PRODUCT_PRICE_MAX_FEN) fail(field, 'too_large', `${field} must be at most ${PRODUCT_PRICE_MAX_FEN}, got ${value}`);
      return n;
    };
    if (barcode === '') fail('barcode', 'required', 'barcode is required');
    if (name === '') fail('name', 'required', 'name is required');
    const priceFen = integer('price_fen', price);
    const memberFen = memberPrice === '' ? null : integer('member_price_fen', memberPrice);
    if (errors.length > before) continue;
    const input: ProductInput = { barcode, name, name_en: nameEn === '' ? null : nameEn, price_fen: priceFen ?? 0, member_price_fen: memberFen };
    if (!checkInput.Check(input)) {
      for (const issue of checkInput.Errors(input)) {
        const field = issue.instancePath.replace(/^\//, '') || undefined;
        const tooLong = issue.keyword === 'maxLength';
        fail(field, tooLong ? 'too_long' : 'invalid', tooLong ? `${field} is longer than ${field === 'barcode' ? 32 : PRODUCT_NAME_MAX} characters` : `${field ?? 'row'}: ${issue.message}`);
      }
      continue;
    }
    const priceProblem = memberPriceProblem(input);
    if (priceProblem !== null) {
      fail('member_price_fen', 'member_above_price', priceProblem);
      continue;
    }
    const seen = firstLine.get(barcode);
    if (seen !== undefined) {
      fail('barcode', 'duplicate', `barcode ${barcode} is also on line ${seen}`);
      continue;
    }
    firstLine.set(barcode, line);
    rows.push(input);
  }
  return { rows, count: data.length, errors };
}

/** The catalogue as CSV, in the import's own format (export, edit, import again). */
export function productCsv(products: readonly AdminProduct[]): string {
  return stringify(
    products.map((p) => [p.barcode, p.name, p.name_en ?? '', p.price_fen, p.member_price_fen ?? '']),
    { header: true, columns: [...PRODUCT_CSV_COLUMNS] },
  );
}
