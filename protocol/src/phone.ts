/** Mainland China mobile numbers, the only phone numbers members enrol with: 11 digits, "1" then 3–9. */
export const PHONE_PATTERN = '^1[3-9][0-9]{9}$';
const PHONE = new RegExp(PHONE_PATTERN);

/** What a cashier typed (spaces and dashes allowed: 138 1234-5678) as the number the API takes, or null. */
export function normalizePhone(input: string): string | null {
  const phone = input.replace(/[\s-]+/g, '');
  return PHONE.test(phone) ? phone : null;
}

/** 13812345678 → 138****5678: what the till shows, the API answers and a log keeps. */
export function maskPhone(phone: string): string {
  return phone.length === 11 ? `${phone.slice(0, 3)}****${phone.slice(7)}` : '****';
}
