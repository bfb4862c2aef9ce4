import { describe, expect, it } from 'vitest';
import { buildManifest, manifestProblems, manifestTargets } from './manifest.js';

const all = ['chrome', 'chromium', 'edge'] as const;
const abs = (p: string) => p.startsWith('/') || /^[A-Z]:\\/.test(p);

describe('manifestTargets', () => {
  it('Linux, user and system', () => {
    expect(manifestTargets({ browsers: all, level: 'user', platform: 'linux', home: '/home/c' }).map((t) => t.manifestPath)).toEqual([
      '/home/c/.config/google-chrome/NativeMessagingHosts/com.posface.wxpayface.json',
      '/home/c/.config/chromium/NativeMessagingHosts/com.posface.wxpayface.json',
      '/home/c/.config/microsoft-edge/NativeMessagingHosts/com.posface.wxpayface.json',
    ]);
    expect(manifestTargets({ browsers: all, level: 'system', platform: 'linux', home: '/home/c' }).map((t) => t.dir)).toEqual([
      '/etc/opt/chrome/native-messaging-hosts',
      '/etc/chromium/native-messaging-hosts',
      '/etc/opt/edge/native-messaging-hosts',
    ]);
  });

  it('macOS, user and system', () => {
    expect(manifestTargets({ browsers: ['chrome', 'edge'], level: 'user', platform: 'darwin', home: '/Users/c' }).map((t) => t.dir)).toEqual([
      '/Users/c/Library/Application Support/Google/Chrome/NativeMessagingHosts',
      '/Users/c/Library/Application Support/Microsoft Edge/NativeMessagingHosts',
    ]);
    expect(manifestTargets({ browsers: ['chrome'], level: 'system', platform: 'darwin', home: '/Users/c' })[0]?.dir).toBe('/Library/Google/Chrome/NativeMessagingHosts');
  });

  it('Windows: one manifest and .bat, a registry key per browser under HKCU or HKLM', () => {
    const user = manifestTargets({ browsers: all, level: 'user', platform: 'win32', home: 'C:\\Users\\c', env: { LOCALAPPDATA: 'C:\\Users\\c\\AppData\\Local' } });
    expect(new Set(user.map((t) => t.manifestPath))).toEqual(new Set(['C:\\Users\\c\\AppData\\Local\\PosFace\\NativeMessagingHosts\\com.posface.wxpayface.json']));
    expect(user[0]?.launcherPath).toBe('C:\\Users\\c\\AppData\\Local\\PosFace\\NativeMessagingHosts\\com.posface.wxpayface.bat');
    expect(user.map((t) => t.registryKey)).toEqual([
      'HKCU\\Software\\Google\\Chrome\\NativeMessagingHosts\\com.posface.wxpayface',
      'HKCU\\Software\\Chromium\\NativeMessagingHosts\\com.posface.wxpayface',
      'HKCU\\Software\\Microsoft\\Edge\\NativeMessagingHosts\\com.posface.wxpayface',
    ]);
    const system = manifestTargets({ browsers: ['edge'], level: 'system', platform: 'win32', home: 'C:\\Users\\c', env: { ProgramData: 'C:\\ProgramData' } });
    expect(system[0]).toMatchObject({
      manifestPath: 'C:\\ProgramData\\PosFace\\NativeMessagingHosts\\com.posface.wxpayface.json',
      registryKey: 'HKLM\\Software\\Microsoft\\Edge\\NativeMessagingHosts\\com.posface.wxpayface',
    });
  });

  it('a --user-data-dir gets DIR/NativeMessagingHosts, whatever the browser', () => {
    expect(manifestTargets({ browsers: all, level: 'user', userDataDir: '/tmp/profile', platform: 'linux' })).toEqual([
      {
        browser: null,
        level: 'user',
        dir: '/tmp/profile/NativeMessagingHosts',
        manifestPath: '/tmp/profile/NativeMessagingHosts/com.posface.wxpayface.json',
        launcherPath: '/tmp/profile/NativeMessagingHosts/com.posface.wxpayface.sh',
        registryKey: null,
      },
    ]);
  });
});

describe('manifests', () => {
  it('builds what Chrome expects and finds nothing wrong with it', () => {
    const manifest = buildManifest('/opt/posface/com.posface.wxpayface.sh', ['abcdefghijklmnopabcdefghijklmnop']);
    expect(manifest).toMatchObject({ name: 'com.posface.wxpayface', type: 'stdio', allowed_origins: ['chrome-extension://abcdefghijklmnopabcdefghijklmnop/'] });
    expect(manifestProblems(manifest, abs)).toEqual([]);
  });

  it('names each problem of a bad manifest', () => {
    expect(manifestProblems({ name: 'other', type: 'pipe', path: 'host.sh', allowed_origins: ['https://example.com/'] }, abs)).toEqual([
      '"name" is "other", expected "com.posface.wxpayface"',
      '"type" is "pipe", expected "stdio"',
      '"path" must be an absolute path, got "host.sh"',
      '"allowed_origins" entry "https://example.com/" is not chrome-extension://<32 letters a-p>/',
    ]);
    expect(manifestProblems([], abs)).toEqual(['is not a JSON object']);
  });
});
