/** The terminal token lives in this browser's localStorage only (it is the terminal's credential). */
const TOKEN_KEY = 'posface.terminal.token';

export function loadToken(): string | null {
  return localStorage.getItem(TOKEN_KEY);
}

export function saveToken(token: string): void {
  localStorage.setItem(TOKEN_KEY, token);
}

export function clearToken(): void {
  localStorage.removeItem(TOKEN_KEY);
}
