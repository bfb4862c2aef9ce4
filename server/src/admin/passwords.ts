import { hash, verify } from '@node-rs/argon2';

/**
 * Staff passwords: argon2id (@node-rs/argon2, prebuilt binaries in npm packages) with its defaults, which
 * are OWASP's recommendation (19 MiB, 2 passes, 1 lane): about 0.1 s a hash on the development machine.
 * The PHC string carries its parameters, so raising them later still verifies old hashes.
 */

export function hashPassword(password: string): Promise<string> {
  // The library's default algorithm is argon2id (its Algorithm enum is a const enum, out of reach here);
  // passwords.test.ts checks the PHC string says so.
  return hash(password);
}

// Checked when the username is unknown, so a login takes as long whether or not the account exists.
let dummy: Promise<string> | null = null;

/** Whether `password` matches `stored`; with `stored` null, spends the same time and answers false. */
export async function checkPassword(stored: string | null, password: string): Promise<boolean> {
  if (stored === null) {
    dummy ??= hashPassword('posface-no-such-user');
    await verify(await dummy, password);
    return false;
  }
  return verify(stored, password);
}
