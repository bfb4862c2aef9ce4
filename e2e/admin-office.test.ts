import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './testing/index.js';
import { adminCli, field, login, shot, startAdminStack, type AdminStack } from './testing/admin-stack.js';

/**
 * The back office in a real Chromium against the real server (SQLite, a fresh install): the first owner
 * from the CLI, staff management (and a manager refused it), a catalogue imported from CSV (bad rows
 * shown, nothing written; then a good file), member prices, a terminal paired with its code and
 * reporting face steps, a member's history, the week's reports with CSV export, an API key used by a
 * real integration script, and /api/docs.
 */
const OWNER_PASSWORD = 'owner password 2026';
const MANAGER_PASSWORD = 'manager password 2026';
const HEADER = 'barcode,name,name_en,price_fen,member_price_fen';
const execFileP = promisify(execFile);

let stack: AdminStack;
let page: Page;
const input = field;

/** The text of a CSV the page downloads when `click` is clicked. */
async function download(click: () => Promise<void>): Promise<{ name: string; text: string }> {
  const [file] = await Promise.all([page.waitForEvent('download'), click()]);
  return { name: file.suggestedFilename(), text: readFileSync((await file.path()) ?? '', 'utf8') };
}

async function countProducts(): Promise<number> {
  return Number((await stack.storage.db.kysely.selectFrom('products').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
}

beforeAll(async () => {
  stack = await startAdminStack();
  const context = await stack.browser.newContext({ acceptDownloads: true, viewport: { width: 1366, height: 900 } });
  page = await context.newPage();
});
afterAll(async () => {
  await stack?.close();
});

describe('back office', () => {
  it('makes the first owner with the CLI (password from stdin) and lets them in; the initial JS is small', async () => {
    const made = await adminCli(stack.dbUrl, ['add-user', '--username', 'boss', '--role', 'owner'], `${OWNER_PASSWORD}\n`);
    expect(made.code, made.out).toBe(0);
    expect(made.out).not.toContain(OWNER_PASSWORD);
    expect((await adminCli(stack.dbUrl, ['add-user', '--username', 'weak', '--role', 'owner'], 'short\n')).code).not.toBe(0);
    const listed = await adminCli(stack.dbUrl, ['list-users']);
    expect(listed.out).toMatch(/boss\s+owner\s+active/);

    await page.goto(`${stack.origin}/admin/`);
    await page.waitForSelector('[data-test=login-form]');
    const js = await page.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .filter((e) => e.name.endsWith('.js'))
        .map((e) => (e as PerformanceResourceTiming).encodedBodySize),
    );
    process.stdout.write(`admin app: login screen loaded ${js.length} JS files, ${(js.reduce((a, b) => a + b, 0) / 1024).toFixed(1)} KiB as sent (precompressed)\n`);
    await shot(page, '01-login');
    await page.fill(input('username'), 'boss');
    await page.fill(input('password'), 'wrong password!');
    await page.click('[data-test=login-submit]');
    await page.waitForSelector('[data-test=login-error]');
    expect(await page.textContent('[data-test=login-error]')).toContain('用户名或密码错误');
    await login(page, stack.origin, 'boss', OWNER_PASSWORD);
    expect(await page.textContent('[data-test=whoami]')).toContain('boss · 店主');
    const cookie = (await page.context().cookies()).find((c) => c.name === 'posface_admin');
    expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict', path: '/api/admin' });
    expect(await page.evaluate(() => document.cookie)).toBe('');
  });

  it('lets the owner create a manager; the manager has no staff screen and the server refuses it', async () => {
    await page.click('[data-test=nav-staff]');
    await page.click('[data-test=open-create-staff]');
    await page.fill(input('staff-username'), 'lily');
    await page.click('[data-test=staff-role]');
    await page.click('[data-test=staff-role-manager]');
    await page.fill(input('staff-password'), MANAGER_PASSWORD);
    await page.click('[data-test=staff-create]');
    await page.waitForSelector('[data-test=staff] tr:has-text("lily")');
    await shot(page, '02-staff');
    await page.click('[data-test=logout]');
    await page.waitForSelector('[data-test=login-form]');

    await login(page, stack.origin, 'lily', MANAGER_PASSWORD);
    expect(await page.textContent('[data-test=whoami]')).toContain('lily · 店长');
    expect(await page.$('[data-test=nav-staff]')).toBeNull();
    expect(await page.$('[data-test=nav-audit]')).toBeNull();
    await page.goto(`${stack.origin}/admin/#/staff`);
    await page.waitForSelector('[data-test=products]');
    const refused = await page.evaluate(() => fetch('/api/admin/v1/staff').then(async (r) => ({ status: r.status, body: (await r.json()) as { error: { code: string } } })));
    expect(refused).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
  });

  it('imports a catalogue: a file with bad rows is listed row by row and nothing is written; a good file is imported', async () => {
    await page.click('[data-test=nav-products]');
    await page.click('[data-test=open-import]');
    const bad = [HEADER, '6901234567892,矿泉水,Water,200,180', '6902538006100,可乐,Cola,3.50,', '6911988012345,饼干,Biscuits,500,600', ',无条码,,100,'].join('\n');
    await page.setInputFiles('[data-test=import-file]', { name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
    await page.waitForSelector('[data-test=import-bad]');
    const rows = await page.$$eval('[data-test=import-errors] tbody tr', (trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => td.textContent?.trim())));
    expect(rows).toEqual([
      ['3', 'price_fen 必须是整数（单位：分）'],
      ['4', '会员价高于售价'],
      ['5', 'barcode 不能为空'],
    ]);
    expect(await page.isDisabled('[data-test=import-submit]')).toBe(true);
    await shot(page, '03-import-bad');
    expect(await countProducts()).toBe(0);

    const products = Array.from({ length: 25 }, (_, i) => `69200000000${String(i).padStart(2, '0')},商品${i},Item ${i},${100 + i},`);
    const good = [HEADER, '6901234567892,矿泉水,Water,200,180', '6902538006100,"可乐, 罐装",Cola,350,', ...products].join('\n');
    await page.setInputFiles('[data-test=import-file]', { name: 'catalogue.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
    await page.waitForSelector('[data-test=import-ok]');
    expect(await page.textContent('[data-test=import-ok]')).toContain('共 27 行全部有效：新增 27，更新 0');
    expect(await countProducts()).toBe(0);
    await page.click('[data-test=import-submit]');
    await page.waitForSelector('[data-test=import-done]');
    expect(await countProducts()).toBe(27);
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-test=products-pager] >> text=共 27 条');
  });

  it('searches products, sets a member price, and exports the catalogue', async () => {
    await page.fill(input('product-search'), '可乐');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-test=products-pager] >> text=共 1 条');
    await page.click('[data-test="edit-6902538006100"]');
    await page.click('[data-test=edit-has-member-price]');
    await page.fill(input('edit-member-price'), '3.20');
    await page.keyboard.press('Tab');
    expect(await page.textContent('[data-test=tier-prices]')).toContain('等级价适用于该等级及以上的会员');
    await shot(page, '04-product-edit');
    await page.click('[data-test=edit-save]');
    await page.waitForSelector('[data-test=products] [data-test=member-price]:has-text("3.20")');
    const cola = await stack.storage.products.byBarcode('6902538006100');
    expect(cola[0]).toMatchObject({ price_fen: 350, member_price_fen: 320 });

    const exported = await download(() => page.click('[data-test=export-products]'));
    expect(exported.name).toBe('products.csv');
    const lines = exported.text.replace(/^\ufeff/, '').trim().split('\n');
    expect(lines[0]).toBe(HEADER);
    expect(lines).toContain('6902538006100,"可乐, 罐装",Cola,350,320');
    expect(lines).toHaveLength(28);
  });

  it('pairs a terminal: the code it shows pairs a till, which reports its versions and face steps', async () => {
    await page.click('[data-test=nav-terminals]');
    await page.click('[data-test=open-create-terminal]');
    await page.fill(input('terminal-store-id'), 'S001');
    await page.fill(input('terminal-store-name'), '一号店');
    await page.fill(input('terminal-device-id'), 'D001');
    await page.click('[data-test=terminal-create]');
    await page.waitForSelector('[data-test=pairing-code]');
    const code = (await page.textContent('[data-test=pairing-code]'))?.trim() ?? '';
    expect(code).toMatch(/^[2-9A-Z]{4}-[2-9A-Z]{4}$/);
    await shot(page, '05-pairing-code');
    await page.click('[data-test=code-done]');

    // The till types the code (POST /api/v1/pair), then reports (what the POS will send).
    const pair = await fetch(`${stack.origin}/api/v1/pair`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-posface-request': '1' }, body: JSON.stringify({ code }) });
    expect(pair.status).toBe(200);
    const till = (pair.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const at = new Date().toISOString();
    const outcomes = ['member_found', 'member_found', 'not_member', 'enrolled', 'cancelled', 'failed'];
    const report = await fetch(`${stack.origin}/api/v1/terminal/report`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-posface-request': '1', cookie: till },
      body: JSON.stringify({ versions: { extension: '0.3.1', host: '0.2.0', sdk: '2.20.0' }, face_events: outcomes.map((outcome, i) => ({ id: `e2e-face-${i}-0000`, at, outcome, ...(outcome === 'failed' ? { error_code: 'SDK_ERROR' } : {}) })) }),
    });
    expect(await report.json()).toEqual({ accepted: 6, duplicates: 0 });

    await page.reload();
    await page.waitForSelector('[data-test=terminals] tr:has-text("D001")');
    const row = await page.textContent('[data-test=terminals] tr:has-text("D001")');
    expect(row).toContain('0.3.1 / 0.2.0 / 2.20.0');
    expect(row).toContain('67% (4/6)');
    await shot(page, '06-terminals');

    // A second till, revoked from the list.
    await page.click('[data-test=open-create-terminal]');
    await page.fill(input('terminal-store-id'), 'S001');
    await page.fill(input('terminal-device-id'), 'D002');
    await page.click('[data-test=terminal-create]');
    await page.click('[data-test=code-done]');
    await page.click('[data-test=revoke-D002]');
    await page.click('.el-message-box__btns .el-button--primary');
    await page.waitForFunction(() => !document.querySelector('[data-test=revoke-D002]'));
    const revoked = await stack.storage.terminals.list();
    expect(revoked.find((t) => t.device_id === 'D002')?.revoked_at).not.toBeNull();
  });

  it("shows a member's history and edits their level and phone", async () => {
    const wang = await stack.storage.members.create({ nickname: '王芳', phone: '13812345678', openid: 'o-e2e-wang' });
    const { token } = await stack.storage.terminals.issueToken({ deviceId: 'D001' });
    const [cola] = await stack.storage.products.byBarcode('6902538006100');
    const sale = await fetch(`${stack.origin}/api/v1/orders`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ member_id: wang.id, lines: [{ product_id: cola?.id, quantity: 3 }] }) });
    expect(sale.status).toBe(201);

    await page.click('[data-test=nav-members]');
    await page.fill(input('member-search'), '138123');
    await page.keyboard.press('Enter');
    await page.click(`[data-test="member-${wang.id}"]`);
    await page.waitForSelector('[data-test=member-orders] tbody tr');
    expect(await page.textContent('[data-test=member-orders] tbody')).toContain('可乐, 罐装 × 3');
    expect(await page.textContent('[data-test=member-orders] tbody')).toContain('9.60');
    expect(await page.textContent('[data-test=member-points]')).toBe('9');
    expect(await page.textContent('[data-test=ledger] tbody')).toContain('消费获得');
    await page.click('[data-test=member-level-select]');
    await page.click('[data-test=level-gold]');
    await page.fill(input('member-phone'), '13700000000');
    await page.click('[data-test=member-save]');
    await page.waitForSelector('[data-test=member-level]:has-text("金卡")');
    await shot(page, '07-member');
    expect(await stack.storage.members.byId(wang.id)).toMatchObject({ level: 'gold', phone: '137****0000' });
  });

  it("reads the week's reports: the charts draw, the face lookups per terminal, CSV export", async () => {
    await page.click('[data-test=nav-reports]');
    await page.waitForSelector('[data-test=chart-sales] canvas');
    for (const chart of ['chart-share', 'chart-face', 'chart-top']) await page.waitForSelector(`[data-test=${chart}] canvas`);
    expect(await page.textContent('[data-test=face-table] tbody')).toMatch(/S001\s*D001\s*6\s*4\s*2\s*1\s*1\s*1/);
    await shot(page, '08-reports');
    const face = await download(() => page.click('[data-test=export-face]'));
    expect(face.name).toMatch(/^face-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(face.text.replace(/^\ufeff/, '').split('\n')[0]).toBe('store_id,terminal_id,device_id,attempts,recognised,member_found,enrolled,cancelled,failed');
    expect(face.text).toMatch(/S001,[0-9a-f-]+,D001,6,4,2,1,1,1/);
    const sales = await download(() => page.click('[data-test=export-sales]'));
    expect(sales.text).toContain(',1,960,1,960');
  });

  it('gives the ERP an API key that a real script uses to upsert products and read orders since a cursor', async () => {
    await page.click('[data-test=logout]');
    await login(page, stack.origin, 'boss', OWNER_PASSWORD);
    await page.click('[data-test=nav-apiKeys]');
    await page.click('[data-test=open-create-key]');
    await page.fill(input('key-name'), 'ERP');
    await page.click('[data-test=key-create]');
    await page.waitForSelector('[data-test=new-key]');
    const key = (await page.textContent('[data-test=new-key]'))?.trim() ?? '';
    expect(key).toMatch(/^pfk_/);
    await page.click('[data-test=key-done]');
    await shot(page, '09-api-keys');

    const dir = mkdtempSync(join(tmpdir(), 'posface-erp-'));
    writeFileSync(join(dir, 'products.json'), JSON.stringify([{ barcode: '6901234567892', name: '矿泉水 550ml', price_fen: 210, member_price_fen: 190 }, { barcode: 'ERP-0001', name: '新品', price_fen: 990 }]));
    // The order made above must be older than the feed's settle window (5 s) before it is handed out.
    await new Promise((r) => setTimeout(r, 5500));
    const run = () =>
      execFileP(process.execPath, [join(REPO_ROOT, 'scripts', 'integration-example.mjs'), '--server', stack.origin, '--products', join(dir, 'products.json'), '--cursor-file', join(dir, 'cursor')], {
        env: { ...process.env, POSFACE_API_KEY: key },
      });
    const first = (await run()).stdout.trim().split('\n').map((l) => JSON.parse(l) as { step: string; created?: number; updated?: number; total_fen?: number });
    expect(first[0]).toEqual({ step: 'products', from: 0, created: 1, updated: 1 });
    expect(first.filter((l) => l.step === 'order').map((l) => l.total_fen)).toEqual([960]);
    const second = (await run()).stdout.trim().split('\n').map((l) => JSON.parse(l) as { step: string });
    expect(second.filter((l) => l.step === 'order')).toEqual([]);
    expect((await stack.storage.products.byBarcode('ERP-0001'))[0]).toMatchObject({ name: '新品', price_fen: 990 });

    await page.click('[data-test=revoke-key-ERP]');
    await page.waitForSelector('[data-test=api-keys] tr:has-text("已吊销")');
    await expect(run()).rejects.toMatchObject({ stderr: expect.stringContaining('UNAUTHORIZED') });

    await page.click('[data-test=nav-audit]');
    await page.waitForSelector('[data-test=audit] tr:has-text("products.upsert")');
    const audit = await page.textContent('[data-test=audit] tbody');
    for (const action of ['staff.create', 'products.import', 'products.update', 'terminals.create', 'terminals.revoke', 'members.update', 'api_keys.create', 'api_keys.revoke']) expect(audit).toContain(action);
    expect(audit).not.toContain(key);
    await shot(page, '10-audit');
  });

  it('serves the OpenAPI document at /api/docs, and a logged-out session gets 401', async () => {
    const docs = await page.context().newPage();
    await docs.goto(`${stack.origin}/api/docs`);
    await docs.getByText('/api/integration/v1/products').first().waitFor({ timeout: 20_000 });
    await shot(docs, '11-api-docs');
    await docs.close();

    await page.click('[data-test=logout]');
    await page.waitForSelector('[data-test=login-form]');
    expect(await page.evaluate(() => fetch('/api/admin/v1/products').then((r) => r.status))).toBe(401);
  });
});
