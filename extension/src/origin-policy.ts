import { isOriginAllowed, parseManagedOrigins, parseOriginRule, type OriginRule } from './origins.js';

/**
 * The effective origin rule in the worker: the build-time list, narrowed by the managed `allowedOrigins`
 * policy when IT set one. The managed value is read once and re-read when it changes.
 */
export class OriginPolicy {
  private readonly built: OriginRule[];
  private managed: Promise<OriginRule[] | null> | null = null;

  constructor(
    builtOrigins: readonly string[],
    private readonly readManaged: () => Promise<unknown>,
    private readonly warn: (message: string) => void = (m) => console.warn(`pos-face: ${m}`),
  ) {
    this.built = builtOrigins.map(parseOriginRule);
  }

  /** Call when managed storage changed. */
  invalidate(): void {
    this.managed = null;
  }

  /** Starts reading the managed policy (Chromium can take seconds for the first read). */
  prefetch(): void {
    void this.managedRules();
  }

  async allows(origin: string): Promise<boolean> {
    // The build-time list is the outer bound: refuse at once without waiting for the policy.
    if (!isOriginAllowed(origin, this.built, null)) return false;
    return isOriginAllowed(origin, this.built, await this.managedRules());
  }

  private managedRules(): Promise<OriginRule[] | null> {
    this.managed ??= this.readManaged().then(
      (value) => {
        const { rules, problems } = parseManagedOrigins(value);
        for (const problem of problems) this.warn(`managed policy: ${problem}`);
        return rules;
      },
      (error: unknown) => {
        // No managed storage on this platform/profile: the build-time list (the outer bound) applies.
        this.warn(`managed policy unreadable, using the built-in origins: ${String(error)}`);
        return null;
      },
    );
    return this.managed;
  }
}
