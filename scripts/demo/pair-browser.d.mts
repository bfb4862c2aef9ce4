export function pairBrowserProfile(options: {
  browserPath: string;
  profileDir: string;
  base: string;
  code: string;
  asRoot?: boolean;
  timeoutMs?: number;
}): Promise<'paired' | 'already paired'>;
