import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/**
 * The web app in a real browser (Debian's chromium driven by playwright-core) against
 * `npm run dev -- --web-export`, on free ports and a scratch data directory: the static export,
 * served as CloudFront serves it, under the deployed Content-Security-Policy. One dev start and
 * one browser for the whole file, a fresh browser context (storage) per test.
 */
interface Endpoints {
  webUrl: string;
  apiUrl: string;
  cognito: { endpoint: string; clientId: string };
  demoUsers: Array<{ email: string; password: string; groups: string[]; tenantId: string | null }>;
}

const ROOT = join(__dirname, '..', '..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];
// Generous (the machine may be shared with another test run), but never a timing assertion.
const STEP_TIMEOUT = 90_000;
const EXPORT_DIR = join(ROOT, 'frontend', 'out');

/** Every page of the static export, as a URL path (`company/tenants/index.html` → `/company/tenants/`). */
function exportedPages(dir = EXPORT_DIR, prefix = '/'): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === '_next' ? [] : exportedPages(path, `${prefix}${name}/`);
    return name === 'index.html' ? [prefix] : name.endsWith('.html') ? [`${prefix}${name}`] : [];
  });
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

const portIsFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(true));
  });

describe('the web app against npm run dev', () => {
  const dir = mkdtempSync(join(tmpdir(), 'painel-web-'));
  let child: ChildProcess;
  let output = '';
  let webPort: number;
  let endpoints: Endpoints;
  let browser: Browser;
  let context: BrowserContext | undefined;

  const user = (group: string) => endpoints.demoUsers.find((u) => u.groups.includes(group))!;

  beforeAll(async () => {
    webPort = await freePort();
    child = spawn(process.execPath, [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(ROOT, 'local', 'dev.ts'), '--web-export'], {
      cwd: ROOT,
      env: { ...process.env, API_PORT: '0', IDP_PORT: '0', DATA_API_PORT: '0', DYNAMODB_PORT: '0', SECRETS_MANAGER_PORT: '0', WEB_PORT: String(webPort), PAINEL_LOCAL_DIR: dir, DATABASE_URL: '', NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const file = join(dir, 'endpoints.json');
    for (let i = 0; !existsSync(file); i++) {
      if (child.exitCode !== null) throw new Error(`npm run dev exited early:\n${output}`);
      if (i > 1800) throw new Error(`npm run dev was not ready:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    endpoints = JSON.parse(readFileSync(file, 'utf8')) as Endpoints;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  }, 420_000);

  afterAll(async () => {
    await browser?.close();
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGINT');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  afterEach(async () => {
    await context?.close();
    context = undefined;
  });

  async function newPage(): Promise<Page> {
    context = await browser.newContext({ baseURL: endpoints.webUrl, locale: 'pt-BR', viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(STEP_TIMEOUT);
    context.setDefaultNavigationTimeout(STEP_TIMEOUT);
    return context.newPage();
  }

  async function signIn(page: Page, email: string, password: string): Promise<void> {
    await page.goto('/login/');
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Senha').fill(password);
    await page.getByRole('button', { name: 'Entrar' }).click();
  }

  test('endpoints.json carries the web URL on the port asked for', () => {
    expect(endpoints.webUrl).toBe(`http://localhost:${webPort}`);
  });

  test('each role signs in and lands in its area; a wrong password shows the error', async () => {
    const page = await newPage();
    await signIn(page, user('TENANT_ADMIN').email, 'senha-errada');
    // waitFor, not isVisible(): the answer comes from the IdP after the click, and isVisible() does not wait.
    await page.getByRole('alert').filter({ hasText: 'E-mail ou senha incorretos.' }).waitFor({ state: 'visible' });
    expect(new URL(page.url()).pathname).toBe('/login/');

    for (const [group, area] of [['INTERNAL_ADMIN', '/company/'], ['INTERNAL_SUPPORT', '/company/'], ['TENANT_ADMIN', '/dashboard/'], ['TENANT_USER', '/dashboard/']] as const) {
      const u = user(group);
      await context!.clearCookies();
      await page.evaluate('window.localStorage.clear()');
      await signIn(page, u.email, u.password);
      await page.waitForURL((url) => url.pathname === area);
      await page.getByRole('heading', { level: 1 }).waitFor();
      await page.getByRole('button', { name: 'Sair' }).click();
      await page.waitForURL((url) => url.pathname === '/login/');
    }
  }, 300_000);

  test('a tenant user cannot reach /company and does not see integrations', async () => {
    const page = await newPage();
    const u = user('TENANT_USER');
    await signIn(page, u.email, u.password);
    await page.waitForURL((url) => url.pathname === '/dashboard/');
    await page.getByRole('heading', { name: 'Status dos agentes' }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Menu principal' });
    expect(await nav.getByRole('link', { name: 'Integrações' }).count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'Status das integrações' }).count()).toBe(0);

    await page.goto('/company/tenants/');
    await page.waitForURL((url) => url.pathname === '/dashboard/');
    await page.goto('/dashboard/integrations/');
    await page.getByText('Somente administradores do cliente veem as integrações.').waitFor();
  }, 300_000);

  test('support does not see billing; an internal admin does', async () => {
    const page = await newPage();
    const support = user('INTERNAL_SUPPORT');
    await signIn(page, support.email, support.password);
    await page.waitForURL((url) => url.pathname === '/company/');
    const nav = page.getByRole('navigation', { name: 'Menu principal' });
    await nav.getByRole('link', { name: 'Tenants' }).waitFor();
    expect(await nav.getByRole('link', { name: 'Faturamento' }).count()).toBe(0);
    await page.goto('/company/billing/');
    await page.getByText('Somente administradores internos veem o faturamento.').waitFor();

    await page.getByRole('button', { name: 'Sair' }).click();
    await page.waitForURL((url) => url.pathname === '/login/');
    const admin = user('INTERNAL_ADMIN');
    await signIn(page, admin.email, admin.password);
    await page.waitForURL((url) => url.pathname === '/company/');
    await nav.getByRole('link', { name: 'Faturamento' }).click();
    await page.getByText('ARR', { exact: true }).waitFor();
  }, 300_000);

  test('staff search a tenant by CNPJ, open its detail, run a HEALTH_CHECK and watch it reach SUCCESS', async () => {
    const page = await newPage();
    const support = user('INTERNAL_SUPPORT');
    await signIn(page, support.email, support.password);
    await page.waitForURL((url) => url.pathname === '/company/');
    await page.goto('/company/tenants/');
    const rows = page.getByTestId('tenants-table').locator('tbody tr');
    await rows.first().waitFor();
    const target = rows.nth(1);
    const name = (await target.locator('th').innerText()).trim();
    const cnpj = (await target.locator('td').first().innerText()).trim();
    expect(cnpj).toMatch(/^\d{2}\.\d{3}\.\d{3}\/\d{4}-\d{2}$/);

    await page.getByLabel('Buscar por nome ou CNPJ').fill(cnpj);
    // Debounced search: wait until the table shows that one tenant only. (Polled from here: a string
    // evaluated in the page would be an eval, which the site's Content-Security-Policy refuses.)
    const cells = page.getByTestId('tenants-table').locator('tbody tr th');
    for (const deadline = Date.now() + STEP_TIMEOUT; ; await page.waitForTimeout(100)) {
      const names = (await cells.allInnerTexts()).map((text) => text.trim());
      if (names.length === 1 && names[0] === name) break;
      if (Date.now() > deadline) throw new Error(`the search never narrowed the table to ${name}: ${names.join(', ')}`);
    }
    await page.getByRole('link', { name: `Abrir ${name}` }).click();
    await page.waitForURL((url) => url.pathname === '/company/tenants/detail/' && url.searchParams.has('id'));
    await page.getByRole('heading', { level: 1, name }).waitFor();

    // A reload of the deep link works (the static export has one file for every tenant).
    await page.reload();
    await page.getByRole('heading', { level: 1, name }).waitFor();

    await page.getByRole('link', { name: 'Executar HEALTH_CHECK' }).click();
    await page.waitForURL((url) => url.pathname === '/company/operations/');
    const tenantSelect = page.getByLabel('Tenant (opcional)');
    await tenantSelect.locator('option:checked', { hasText: name }).waitFor({ state: 'attached' });
    await page.getByRole('button', { name: 'Executar comando' }).click();
    const created = page.getByRole('status').filter({ hasText: /^Comando [0-9a-f]{8} criado/ });
    await created.waitFor();
    const prefix = /Comando ([0-9a-f]{8})/.exec(await created.innerText())![1]!;

    const row = page.getByTestId('command-history').locator(`tr[data-command-id^="${prefix}"]`);
    await row.waitFor();
    await row.locator('[data-status="SUCCESS"]').waitFor();
    expect(await row.locator('td').first().innerText()).toBe(name);
  }, 300_000);

  test('a tenant admin changes the usage period and the chart and totals change', async () => {
    const page = await newPage();
    const admin = user('TENANT_ADMIN');
    await signIn(page, admin.email, admin.password);
    await page.waitForURL((url) => url.pathname === '/dashboard/');
    await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Uso' }).click();
    await page.waitForURL((url) => url.pathname === '/dashboard/usage/');

    await page.locator('[data-period="30d"] figure.chart[data-points="30"]').waitFor();
    const total30 = await page.getByTestId('usage-total').locator('.metric-value').innerText();
    expect(await page.getByTestId('usage-daily-table').locator('tbody tr').count()).toBe(30);

    await page.getByText('7 dias', { exact: true }).click();
    await page.locator('[data-period="7d"] figure.chart[data-points="7"]').waitFor();
    const total7 = await page.getByTestId('usage-total').locator('.metric-value').innerText();
    expect(await page.getByTestId('usage-daily-table').locator('tbody tr').count()).toBe(7);
    expect(total7).not.toBe(total30);
    const asNumber = (text: string) => Number(text.replace(/\./g, ''));
    expect(asNumber(total7)).toBeLessThan(asNumber(total30));
  }, 300_000);

  test('two tenants on one browser: after A signs out and B signs in, no page and no API answer shows A', async () => {
    // Two tenant admins of different tenants, as two people sharing a computer would be.
    const [a, b] = endpoints.demoUsers.filter((u) => u.groups.includes('TENANT_ADMIN'));
    expect(a!.tenantId).not.toBe(b!.tenantId);
    const dashboardPages = exportedPages().filter((path) => path.startsWith('/dashboard/'));
    expect(dashboardPages.length).toBeGreaterThanOrEqual(4);

    const page = await newPage();
    // Every API answer the page receives, whoever asked (from the network or from any cache).
    const answers: Array<{ session: 'A' | 'B'; url: string; body: string }> = [];
    let session: 'A' | 'B' = 'A';
    page.on('response', (response) => {
      if (!response.url().startsWith(endpoints.apiUrl) || response.request().method() !== 'GET') return;
      const asked = session;
      void response.text().then((body) => answers.push({ session: asked, url: response.url(), body }), () => undefined);
    });
    const heading = () => page.getByRole('heading', { level: 1 }).filter({ hasText: ' · ' });
    const visitAll = async () => {
      for (const path of dashboardPages) {
        await page.goto(path);
        await page.waitForLoadState('networkidle');
      }
    };

    await signIn(page, a!.email, a!.password);
    await page.waitForURL((url) => url.pathname === '/dashboard/');
    const nameA = (await heading().textContent())!.split(' · ')[1]!;
    await visitAll();
    await page.goto('/dashboard/');
    const stored = JSON.parse((await page.evaluate("window.localStorage.getItem('painel.session')")) as string) as { refreshToken: string };
    await page.getByRole('button', { name: 'Sair' }).click();
    await page.waitForURL((url) => url.pathname === '/login/');
    // Signing out revoked the session: a copy of its refresh token no longer gets tokens.
    const refreshed = await fetch(endpoints.cognito.endpoint, {
      method: 'POST',
      headers: { 'X-Amz-Target': 'AWSCognitoIdentityProviderService.InitiateAuth', 'Content-Type': 'application/x-amz-json-1.1' },
      body: JSON.stringify({ AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: endpoints.cognito.clientId, AuthParameters: { REFRESH_TOKEN: stored.refreshToken } }),
    });
    expect({ status: refreshed.status, type: ((await refreshed.json()) as { __type: string }).__type }).toEqual({ status: 400, type: 'NotAuthorizedException' });
    expect(await page.evaluate("window.localStorage.getItem('painel.session')")).toBeNull();

    session = 'B';
    await signIn(page, b!.email, b!.password);
    await page.waitForURL((url) => url.pathname === '/dashboard/');
    await heading().waitFor();
    const nameB = (await heading().textContent())!.split(' · ')[1]!;
    expect(nameB).not.toBe(nameA);
    for (const path of dashboardPages) {
      await page.goto(path);
      await page.waitForLoadState('networkidle');
      expect({ path, showsA: (await page.locator('body').innerText()).includes(nameA) }).toEqual({ path, showsA: false });
    }
    await page.waitForTimeout(500); // the last response bodies are read asynchronously
    const leaked = answers.filter((answer) => answer.session === 'B' && (answer.body.includes(a!.tenantId!) || answer.body.includes(nameA)));
    expect(leaked.map((answer) => answer.url)).toEqual([]);
    expect(answers.filter((answer) => answer.session === 'B').length).toBeGreaterThan(0);
  }, 300_000);

  test('every page loads under the deployed Content-Security-Policy with no violation, for each area', async () => {
    const pages = exportedPages();
    expect(pages).toEqual(expect.arrayContaining(['/', '/login/', '/company/', '/company/tenants/detail/', '/dashboard/', '/dashboard/usage/', '/404.html']));
    const page = await newPage();
    const violations: string[] = [];
    // Reported to the page as events (and to the console); both are collected.
    await page.exposeFunction('reportCspViolation', (text: string) => violations.push(text));
    await page.addInitScript(`document.addEventListener('securitypolicyviolation', (event) => window.reportCspViolation(event.violatedDirective + ' ' + event.blockedURI + ' on ' + location.pathname));`);
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) violations.push(message.text());
    });

    const first = await page.goto('/login/');
    const policy = first!.headers()['content-security-policy']!;
    expect(policy).toContain("script-src 'self';");
    expect(policy).toContain(`connect-src 'self' ${new URL(endpoints.apiUrl).origin}`);

    const visit = async (paths: string[]) => {
      for (const path of paths) {
        const response = await page.goto(path);
        expect({ path, policy: response!.headers()['content-security-policy'] }).toEqual({ path, policy });
        await page.waitForLoadState('networkidle');
      }
    };
    // Signed out: the public pages; then each area signed in as its role (the pages call the API and Cognito).
    await visit(pages.filter((path) => !path.startsWith('/company/') && !path.startsWith('/dashboard/')));
    const staff = user('INTERNAL_ADMIN');
    await signIn(page, staff.email, staff.password);
    await page.waitForURL((url) => url.pathname === '/company/');
    await visit(pages.filter((path) => path.startsWith('/company/')));
    await page.getByRole('button', { name: 'Sair' }).click();
    await page.waitForURL((url) => url.pathname === '/login/');
    const tenant = user('TENANT_ADMIN');
    await signIn(page, tenant.email, tenant.password);
    await page.waitForURL((url) => url.pathname === '/dashboard/');
    await visit(pages.filter((path) => path.startsWith('/dashboard/')));

    expect(violations).toEqual([]);
  }, 300_000);

  test('Ctrl-C stops the web server with the rest: exit code 0, web port free', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(await portIsFree(webPort)).toBe(true);
  }, 60_000);
});
