/**
 * Which page origins may use the extension. The list is fixed at build time (POS_ORIGINS) and IT can
 * only narrow it through managed storage (`allowedOrigins`). An entry is an origin
 * ("https://pos.example.com", "https://pos.example.com:8443") or an origin with any port ("http://localhost:*").
 */

export interface OriginRule {
  scheme: 'http' | 'https';
  host: string;
  /** A port number as text, '' for the scheme's default port, or '*' for any port. */
  port: string;
}

const RULE_RE = /^(https?):\/\/([a-z0-9.-]+|\[[0-9a-f:]+\])(?::(\*|[0-9]{1,5}))?\/?$/i;
const DEFAULT_PORTS: Record<string, string> = { http: '80', https: '443' };

/** Parses one entry; throws with a message naming the entry when it is not an origin. */
export function parseOriginRule(text: string): OriginRule {
  const match = RULE_RE.exec(text.trim());
  if (!match) {
    throw new Error(`"${text}" is not an origin like https://pos.example.com, https://host:8443 or http://localhost:*`);
  }
  const scheme = match[1]!.toLowerCase() as 'http' | 'https';
  let port = match[3] ?? '';
  if (port === DEFAULT_PORTS[scheme]) port = '';
  return { scheme, host: match[2]!.toLowerCase(), port };
}

function formatOriginRule(rule: OriginRule): string {
  return `${rule.scheme}://${rule.host}${rule.port === '' ? '' : `:${rule.port}`}`;
}

/** True when `origin` (as in `new URL(url).origin`) is matched by `rule`. */
function originMatches(origin: string, rule: OriginRule): boolean {
  // Not a URL at all (e.g. "null"): no rule matches it.
  const url = parseUrl(origin);
  if (url === null) return false;
  if (url.protocol !== `${rule.scheme}:` || url.hostname.toLowerCase() !== rule.host) return false;
  return rule.port === '*' || url.port === rule.port;
}

/** The origins a development build allows besides POS_ORIGINS. */
const DEVELOPMENT_ORIGINS = ['http://localhost:*', 'http://127.0.0.1:*'] as const;

/** The build-time list: POS_ORIGINS (comma list) plus the development origins unless production. */
export function buildOriginList(posOrigins: string | undefined, production: boolean): string[] {
  const given = (posOrigins ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  const all = production ? given : [...given, ...DEVELOPMENT_ORIGINS];
  const rules = all.map(parseOriginRule).map(formatOriginRule);
  if (rules.length === 0) throw new Error('A production build needs POS_ORIGINS=https://pos.example.com[,…]');
  return [...new Set(rules)];
}

/** Manifest match patterns for the content script (Chrome patterns without a port match any port). */
export function matchPatterns(origins: readonly string[]): string[] {
  return [
    ...new Set(
      origins.map((text) => {
        const rule = parseOriginRule(text);
        const port = rule.port === '' || rule.port === '*' ? '' : `:${rule.port}`;
        return `${rule.scheme}://${rule.host}${port}/*`;
      }),
    ),
  ];
}

/**
 * Reads the managed `allowedOrigins` value: null when IT set nothing (no narrowing); otherwise the
 * valid rules (an entry that is not an origin is dropped, which can only narrow further).
 */
export function parseManagedOrigins(value: unknown): { rules: OriginRule[] | null; problems: string[] } {
  if (value === undefined || value === null) return { rules: null, problems: [] };
  if (!Array.isArray(value)) return { rules: [], problems: ['allowedOrigins must be a list of origins'] };
  const rules: OriginRule[] = [];
  const problems: string[] = [];
  for (const entry of value) {
    if (typeof entry !== 'string') {
      problems.push(`allowedOrigins entry ${JSON.stringify(entry)} is not a string`);
      continue;
    }
    try {
      rules.push(parseOriginRule(entry));
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  return { rules, problems };
}

/** Allowed = matched by the build-time list AND (no managed list OR matched by it). */
export function isOriginAllowed(origin: string, built: readonly OriginRule[], managed: readonly OriginRule[] | null): boolean {
  if (!built.some((rule) => originMatches(origin, rule))) return false;
  return managed === null || managed.some((rule) => originMatches(origin, rule));
}

/** The origin of a sender's URL, or null when there is none (the worker never trusts the message). */
export function originOfUrl(url: string | undefined): string | null {
  const parsed = url ? parseUrl(url) : null;
  if (parsed === null || parsed.origin === 'null') return null;
  return parsed.origin;
}

/** The URL, or null when the text is not one (an ordinary answer here, not an error to report). */
function parseUrl(text: string): URL | null {
  return URL.canParse(text) ? new URL(text) : null;
}
