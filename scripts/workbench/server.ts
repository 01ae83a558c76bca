import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { buildWorkbench, type BuildOptions, type WorkbenchBuild } from './build';
import { DEFAULT_LAYOUTS, PICKABLE_OBJECTS, nameFieldsOf, type PageLayout } from './layouts';
import { DATE_TIME_FORMATS, PAGE_LANGUAGES, labelTexts, type PageLanguage } from './labels';
import {
  readFlexiPages,
  readPropertyTypes,
  readQuickActions,
  type FlexiPageLayout,
  type Placement
} from './pages';
import { FORCE_APP_DIR, packageDir } from './paths';
import { CONFIG_GLOBAL } from './salesforce-modules';

const API = '/services/data/v62.0';
const DEMO_COMPONENT = 'c/workbenchDemo';

export interface WorkbenchOptions {
  /** The local org's base URL, e.g. http://127.0.0.1:4010. */
  orgInstanceUrl: string;
  /** Access tokens by persona (manager, rep, ...); the first is the default persona. */
  tokens: Record<string, string>;
  /** 0 or absent: any free port. */
  port?: number;
  /** A finished build to serve; otherwise the server builds (or reuses the cached build). */
  build?: WorkbenchBuild;
  buildOptions?: BuildOptions;
  /**
   * Record page layouts by object. By default the workbench lays out the
   * record pages that force-app ships (flexipages), and DEFAULT_LAYOUTS for
   * objects that have none.
   */
  layouts?: Record<string, PageLayout>;
  /** Where the flexipages, quick actions and components' metadata are read from. */
  forceAppDir?: string;
  /**
   * The workbench's own demo component: true puts it on every record page,
   * 'auto' (default) only where none of the layout's components is built.
   */
  demo?: boolean | 'auto';
  /** The time zone @salesforce/i18n/timeZone reports. */
  timeZone?: string;
  log?: (message: string) => void;
}

export interface Workbench {
  url: string;
  build: WorkbenchBuild;
  close(): Promise<void>;
}

interface PageState {
  lang: PageLanguage;
  persona: string;
  /** @salesforce/client/formFactor: Large (desktop) or Small (phone). */
  formFactor: 'Large' | 'Small';
}

interface OrgResponse {
  status: number;
  body: unknown;
}

const TEXT = {
  en: {
    home: 'Home',
    pick: 'Pick a record',
    persona: 'Signed in as',
    language: 'Language',
    none: 'No records visible to this persona.',
    unavailable: 'This record is not available to this persona.',
    noComponents: 'No components on this page.',
    close: 'Close',
    objects: { Account: 'Accounts', Case: 'Cases', Opportunity: 'Opportunities' } as Record<
      string,
      string
    >
  },
  nl: {
    home: 'Start',
    pick: 'Kies een record',
    persona: 'Aangemeld als',
    language: 'Taal',
    none: 'Geen records zichtbaar voor deze persona.',
    unavailable: 'Dit record is niet beschikbaar voor deze persona.',
    noComponents: 'Geen componenten op deze pagina.',
    close: 'Sluiten',
    objects: { Account: 'Accounts', Case: 'Cases', Opportunity: 'Opportunities' } as Record<
      string,
      string
    >
  }
};

function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string
  );
}

/** JSON inside a <script>: nothing in it may close the element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028|\u2029/g, '');
}

function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const index = part.indexOf('=');
    if (index > 0)
      out[part.slice(0, index).trim()] = decodeURIComponent(part.slice(index + 1).trim());
  }
  return out;
}

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.gif': 'image/gif',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.html': 'text/html; charset=utf-8'
};

/** Serves a file under root; refuses paths that leave it. */
function sendFile(res: http.ServerResponse, root: string, relative: string, cache: boolean): void {
  const file = path.resolve(root, `.${path.posix.normalize(`/${relative}`)}`);
  if (!file.startsWith(root + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
    return;
  }
  res.writeHead(200, {
    'Content-Type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
    'Cache-Control': cache ? 'public, max-age=31536000, immutable' : 'no-cache'
  });
  fs.createReadStream(file).pipe(res);
}

/**
 * The workbench page server: serves the compiled components, SLDS, and
 * record-page-like pages, and forwards /services/* to the local org with the
 * chosen persona's token, so the token never reaches the browser.
 */
export async function startWorkbench(options: WorkbenchOptions): Promise<Workbench> {
  const personas = Object.keys(options.tokens);
  if (personas.length === 0) throw new Error('startWorkbench needs at least one persona token');
  const log = options.log ?? (() => undefined);
  const build = options.build ?? (await buildWorkbench({ log, ...options.buildOptions }));
  const forceAppDir = options.forceAppDir ?? FORCE_APP_DIR;
  const flexiPages = readFlexiPages(
    path.join(forceAppDir, 'flexipages'),
    readPropertyTypes([path.join(forceAppDir, 'lwc')])
  );
  const quickActions = readQuickActions(forceAppDir);
  const demo = options.demo ?? 'auto';
  const timeZone = options.timeZone ?? 'Europe/Amsterdam';
  const org = new URL(options.orgInstanceUrl);
  const transport = org.protocol === 'https:' ? https : http;
  const sldsAssets = path.join(packageDir('@salesforce-ux/design-system'), 'assets');
  const staticResources = path.join(forceAppDir, 'staticresources');
  const userIds = new Map<string, string | null>();
  const objectLabels = new Map<string, string>();

  function orgRequest(
    method: string,
    pathAndQuery: string,
    persona: string,
    headers: http.OutgoingHttpHeaders,
    body?: Buffer
  ): Promise<http.IncomingMessage> {
    const token = options.tokens[persona];
    return new Promise((resolve, reject) => {
      const req = transport.request(
        new URL(pathAndQuery, org),
        { method, headers: { ...headers, Authorization: `Bearer ${token}` } },
        resolve
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  async function orgJson(persona: string, pathAndQuery: string): Promise<OrgResponse> {
    const response = await orgRequest('GET', pathAndQuery, persona, { Accept: 'application/json' });
    const chunks: Buffer[] = [];
    for await (const chunk of response) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: keep the text for the message
    }
    return { status: response.statusCode ?? 0, body };
  }

  function orgMessage(response: OrgResponse): string {
    const body = response.body as Array<{ message?: string }> | { message?: string } | string;
    if (Array.isArray(body)) return body.map((e) => e.message).join('; ');
    if (body && typeof body === 'object' && body.message) return body.message;
    return `HTTP ${response.status}`;
  }

  async function userIdOf(persona: string): Promise<string | null> {
    if (!userIds.has(persona)) {
      try {
        const response = await orgJson(persona, '/services/oauth2/userinfo');
        const id = (response.body as { user_id?: string }).user_id;
        if (response.status !== 200 || !id) throw new Error(orgMessage(response));
        userIds.set(persona, id);
      } catch (err) {
        log(`Could not read the ${persona} persona's user: ${(err as Error).message}`);
        return null;
      }
    }
    return userIds.get(persona) ?? null;
  }

  async function objectLabel(persona: string, objectApiName: string): Promise<string> {
    if (!objectLabels.has(objectApiName)) {
      const response = await orgJson(
        persona,
        `${API}/sobjects/${encodeURIComponent(objectApiName)}/describe`
      );
      const label = (response.body as { label?: string }).label;
      if (response.status !== 200 || !label) return objectApiName;
      objectLabels.set(objectApiName, label);
    }
    return objectLabels.get(objectApiName) as string;
  }

  function stateOf(req: http.IncomingMessage, url: URL): { state: PageState; cookies: string[] } {
    const cookies = parseCookies(req.headers.cookie);
    const cookieOut: string[] = [];
    let lang = (url.searchParams.get('lang') ?? cookies.oi_lang ?? 'en') as PageLanguage;
    if (!(lang in PAGE_LANGUAGES)) lang = 'en';
    let persona = url.searchParams.get('persona') ?? cookies.oi_persona ?? (personas[0] as string);
    if (!personas.includes(persona)) persona = personas[0] as string;
    if (url.searchParams.has('lang')) cookieOut.push(`oi_lang=${lang}; Path=/; SameSite=Strict`);
    if (url.searchParams.has('persona')) {
      cookieOut.push(
        `oi_persona=${encodeURIComponent(persona)}; Path=/; HttpOnly; SameSite=Strict`
      );
    }
    const asked = url.searchParams.get('formFactor') ?? cookies.oi_form_factor;
    const formFactor = asked === 'Small' ? 'Small' : 'Large';
    if (url.searchParams.has('formFactor')) {
      cookieOut.push(`oi_form_factor=${formFactor}; Path=/; SameSite=Strict`);
    }
    return { state: { lang, persona, formFactor }, cookies: cookieOut };
  }

  /**
   * /resource/[timestamp/]Name[/path]: a static resource in source format is
   * either a folder (an archive: the path inside it) or one file Name.<ext>.
   */
  function sendResource(res: http.ServerResponse, pathname: string): void {
    const [name = '', ...inside] = pathname
      .slice('/resource/'.length)
      .replace(/^\d+\//, '')
      .split('/');
    if (!/^\w+$/.test(name)) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
      return;
    }
    if (fs.existsSync(path.join(staticResources, name)) && inside.length) {
      return sendFile(res, path.join(staticResources, name), inside.join('/'), false);
    }
    const file = fs.existsSync(staticResources)
      ? fs
          .readdirSync(staticResources)
          .find((f) => f.startsWith(`${name}.`) && !f.endsWith('.resource-meta.xml'))
      : undefined;
    if (!name || !file || inside.length) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
      return;
    }
    sendFile(res, staticResources, file, false);
  }

  function layoutFor(objectApiName: string): PageLayout {
    const explicit = options.layouts?.[objectApiName];
    const shipped = flexiPages.find(
      (p) => p.type === 'RecordPage' && p.sobjectType === objectApiName
    );
    const base: PageLayout = options.layouts
      ? (explicit ?? { main: [], side: [] })
      : (shipped ?? DEFAULT_LAYOUTS[objectApiName] ?? { main: [], side: [] });
    return { ...base, actions: base.actions ?? quickActions.get(objectApiName) ?? [] };
  }

  /** The components of a layout that are in the build, with the page's context as properties. */
  function placementsFor(layout: PageLayout, context: Record<string, unknown>) {
    const built = new Set(build.components);
    const place = (region: string) => (spec: string | Placement) => {
      const placement = typeof spec === 'string' ? { component: spec } : spec;
      return { region, component: placement.component, props: { ...placement.props, ...context } };
    };
    const placements = [
      ...layout.main.map(place('main')),
      ...layout.side.map(place('side'))
    ].filter((p) => built.has(p.component));
    const showDemo = demo === true || (demo === 'auto' && placements.length === 0);
    if (showDemo && built.has(DEMO_COMPONENT)) {
      placements.push({ region: 'main', component: DEMO_COMPONENT, props: context });
    }
    const actions = (layout.actions ?? []).filter((a) => built.has(a.component));
    return { placements, actions };
  }

  /** What the bundle reads from the page: language, user, labels, i18n, and what to mount. */
  function pageConfig(
    state: PageState,
    userId: string | null,
    page: Record<string, unknown>,
    placements: unknown[]
  ) {
    const language = PAGE_LANGUAGES[state.lang];
    const dutch = state.lang === 'nl';
    return {
      apiBase: '',
      lang: state.lang,
      persona: state.persona,
      userId,
      formFactor: state.formFactor,
      page,
      labels: labelTexts(build.labels, state.lang),
      i18n: {
        lang: language.lang,
        locale: language.locale,
        timeZone,
        currency: language.currency,
        dir: 'ltr',
        firstDayOfWeek: dutch ? 2 : 1,
        'number.decimalSeparator': dutch ? ',' : '.',
        'number.groupingSeparator': dutch ? '.' : ',',
        'number.currencySymbol': dutch ? '€' : '$',
        ...DATE_TIME_FORMATS[state.lang]
      },
      placements
    };
  }

  function columns(empty: string): string {
    return `<main class="slds-grid slds-wrap slds-p-horizontal_small">
  <div class="slds-col slds-size_1-of-1 slds-large-size_8-of-12 slds-p-horizontal_x-small" data-region="main">${empty}</div>
  <div class="slds-col slds-size_1-of-1 slds-large-size_4-of-12 slds-p-horizontal_x-small" data-region="side"></div>
</main>`;
  }

  function chrome(
    state: PageState,
    currentPath: string,
    body: string,
    config: unknown,
    title: string
  ): string {
    const text = TEXT[state.lang];
    const langLinks = (Object.keys(PAGE_LANGUAGES) as PageLanguage[])
      .map(
        (lang) =>
          `<a class="slds-button ${lang === state.lang ? 'slds-button_brand' : 'slds-button_neutral'}" data-lang="${lang}" href="${escapeHtml(currentPath)}?lang=${lang}">${lang === 'en' ? 'English' : 'Nederlands'}</a>`
      )
      .join('');
    const personaLinks = personas
      .map(
        (persona) =>
          `<a class="slds-button ${persona === state.persona ? 'slds-button_brand' : 'slds-button_neutral'}" data-persona="${escapeHtml(persona)}" href="${escapeHtml(currentPath)}?persona=${encodeURIComponent(persona)}">${escapeHtml(persona)}</a>`
      )
      .join('');
    return `<!doctype html>
<html lang="${state.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} | Outside-In</title>
<link rel="stylesheet" href="/assets/styles/salesforce-lightning-design-system.min.css">
<style>
  html, body { background: #f3f3f3; min-height: 100%; }
  .oi-bar { display: flex; gap: 1.5rem; align-items: center; flex-wrap: wrap; }
  .oi-bar .slds-button + .slds-button { margin-left: 0; }
  .oi-switch { display: flex; gap: .25rem; align-items: center; }
  [data-toasts] { position: fixed; top: 1rem; left: 0; right: 0; z-index: 9000; }
  dialog[data-action-dialog] { border: none; border-radius: .25rem; padding: 0; width: min(40rem, 95vw); }
</style>
</head>
<body>
<header class="slds-p-around_small slds-theme_default slds-border_bottom oi-bar">
  <a class="slds-text-heading_small" href="/">Outside-In · ${escapeHtml(text.home)}</a>
  <span class="oi-switch"><span class="slds-text-title">${escapeHtml(text.persona)}</span>${personaLinks}</span>
  <span class="oi-switch"><span class="slds-text-title">${escapeHtml(text.language)}</span>${langLinks}</span>
</header>
<div class="slds-notify_container" data-toasts aria-live="polite"></div>
${body}
<script>window[${JSON.stringify(CONFIG_GLOBAL)}] = ${scriptJson(config)};</script>
${config ? '<script type="module" src="/build/app.js"></script>' : ''}
</body>
</html>`;
  }

  async function homePage(state: PageState): Promise<string> {
    const text = TEXT[state.lang];
    const sections: string[] = [];
    for (const objectApiName of PICKABLE_OBJECTS) {
      const nameFields = nameFieldsOf(objectApiName);
      const soql = `SELECT Id, ${nameFields.join(', ')} FROM ${objectApiName} ORDER BY ${nameFields[0]} LIMIT 50`;
      const response = await orgJson(state.persona, `${API}/query?q=${encodeURIComponent(soql)}`);
      let items: string;
      if (response.status !== 200) {
        items = `<li class="slds-text-color_error">${escapeHtml(orgMessage(response))}</li>`;
      } else {
        const records = (response.body as { records: Array<Record<string, unknown>> }).records;
        items = records.length
          ? records
              .map(
                (r) =>
                  `<li class="slds-item"><a data-record-link="${escapeHtml(objectApiName)}" href="/lightning/r/${escapeHtml(objectApiName)}/${escapeHtml(r.Id)}/view">${escapeHtml(
                    nameFields
                      .map((f) => r[f])
                      .filter(Boolean)
                      .join(' · ')
                  )}</a></li>`
              )
              .join('')
          : `<li class="slds-item slds-text-color_weak">${escapeHtml(text.none)}</li>`;
      }
      sections.push(`<div class="slds-col slds-size_1-of-1 slds-medium-size_1-of-3">
  <article class="slds-card"><div class="slds-card__header"><h2 class="slds-card__header-title">${escapeHtml(text.objects[objectApiName] ?? objectApiName)}</h2></div>
  <div class="slds-card__body slds-card__body_inner"><ul class="slds-has-dividers_bottom-space">${items}</ul></div></article></div>`);
    }
    const appPages = flexiPages.filter((p) => p.type !== 'RecordPage');
    if (appPages.length) {
      const links = appPages
        .map(
          (p) =>
            `<li class="slds-item"><a data-app-page="${escapeHtml(p.name)}" href="/lightning/n/${escapeHtml(p.name)}">${escapeHtml(p.label)}</a></li>`
        )
        .join('');
      sections.unshift(`<div class="slds-col slds-size_1-of-1 slds-m-bottom_medium">
  <article class="slds-card"><div class="slds-card__body slds-card__body_inner"><ul class="slds-list_horizontal slds-has-dividers_left">${links}</ul></div></article></div>`);
    }
    const body = `<main class="slds-p-around_medium"><h1 class="slds-text-heading_medium slds-m-bottom_medium">${escapeHtml(text.pick)}</h1>
<div class="slds-grid slds-wrap slds-gutters">${sections.join('\n')}</div></main>`;
    return chrome(state, '/', body, null, text.pick);
  }

  async function recordPage(
    state: PageState,
    objectApiName: string,
    recordId: string,
    currentPath: string
  ): Promise<{ status: number; html: string }> {
    const text = TEXT[state.lang];
    const nameFields = nameFieldsOf(objectApiName);
    const [record, label, userId] = await Promise.all([
      orgJson(
        state.persona,
        `${API}/sobjects/${encodeURIComponent(objectApiName)}/${encodeURIComponent(recordId)}?fields=${nameFields.join(',')}`
      ),
      objectLabel(state.persona, objectApiName),
      userIdOf(state.persona)
    ]);
    if (record.status !== 200) {
      const body = `<main class="slds-p-around_medium"><div class="slds-box slds-theme_shade" data-record-unavailable>
<h1 class="slds-text-heading_medium">${escapeHtml(text.unavailable)}</h1><p>${escapeHtml(orgMessage(record))}</p></div></main>`;
      return {
        status: record.status === 404 ? 404 : 502,
        html: chrome(state, currentPath, body, null, label)
      };
    }
    const fields = record.body as Record<string, unknown>;
    const name =
      nameFields
        .map((f) => fields[f])
        .filter(Boolean)
        .join(' · ') || recordId;
    const { placements, actions } = placementsFor(layoutFor(objectApiName), {
      recordId,
      objectApiName
    });
    const config = pageConfig(state, userId, { objectApiName, recordId }, placements);
    const salesforceLanguage = PAGE_LANGUAGES[state.lang].salesforceLanguage;
    const actionButtons = actions
      .map(
        (action) =>
          `<button type="button" class="slds-button slds-button_neutral" data-action="${escapeHtml(action.component)}">${escapeHtml(action.labels[salesforceLanguage] ?? action.labels.en_US)}</button>`
      )
      .join('');
    const empty =
      placements.length === 0
        ? `<p class="slds-text-color_weak">${escapeHtml(text.noComponents)}</p>`
        : '';
    const body = `<div class="slds-page-header slds-page-header_record-home slds-m-around_medium">
  <div class="slds-page-header__row"><div class="slds-page-header__col-title">
    <span class="slds-text-title_caps" data-object-label>${escapeHtml(label)}</span>
    <h1 class="slds-page-header__title slds-truncate" data-record-name>${escapeHtml(name)}</h1>
  </div><div class="slds-page-header__col-actions">${actionButtons}</div></div>
</div>
${columns(empty)}
<dialog data-action-dialog><div class="slds-p-around_medium">
  <div class="slds-text-align_right"><button type="button" class="slds-button" data-close-dialog>${escapeHtml(text.close)}</button></div>
  <div data-region="dialog"></div></div></dialog>`;
    return { status: 200, html: chrome(state, currentPath, body, config, `${name} | ${label}`) };
  }

  async function appPage(
    state: PageState,
    page: FlexiPageLayout,
    currentPath: string
  ): Promise<string> {
    const text = TEXT[state.lang];
    const { placements } = placementsFor(page, {});
    const config = pageConfig(
      state,
      await userIdOf(state.persona),
      { appPage: page.name },
      placements
    );
    const empty =
      placements.length === 0
        ? `<p class="slds-text-color_weak">${escapeHtml(text.noComponents)}</p>`
        : '';
    const body = `<div class="slds-page-header slds-m-around_medium">
  <h1 class="slds-page-header__title" data-page-name>${escapeHtml(page.label)}</h1>
</div>
${columns(empty)}`;
    return chrome(state, currentPath, body, config, page.label);
  }

  async function resolveObjectOf(persona: string, recordId: string): Promise<string | undefined> {
    const response = await orgJson(persona, `${API}/sobjects`);
    const sobjects = (
      response.body as { sobjects?: Array<{ name: string; keyPrefix: string | null }> }
    ).sobjects;
    return sobjects?.find((o) => o.keyPrefix && recordId.startsWith(o.keyPrefix))?.name;
  }

  async function proxy(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    persona: string
  ): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers: http.OutgoingHttpHeaders = { Accept: req.headers.accept ?? 'application/json' };
    if (req.headers['content-type']) headers['Content-Type'] = req.headers['content-type'];
    const body = chunks.length ? Buffer.concat(chunks) : undefined;
    if (body) headers['Content-Length'] = body.length;
    const upstream = await orgRequest(req.method ?? 'GET', req.url ?? '/', persona, headers, body);
    const out: http.OutgoingHttpHeaders = {};
    for (const name of ['content-type', 'content-length', 'sforce-limit-info']) {
      const value = upstream.headers[name];
      if (value !== undefined) out[name] = value;
    }
    res.writeHead(upstream.statusCode ?? 502, upstream.statusMessage, out);
    // A connection the org drops mid-answer ends the browser's request too.
    upstream.on('error', () => res.destroy());
    upstream.pipe(res);
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const { state, cookies } = stateOf(req, url);
    if (url.pathname.startsWith('/services/')) return proxy(req, res, state.persona);
    if (url.pathname.startsWith('/build/'))
      return sendFile(res, build.dir, url.pathname.slice(7), url.pathname.includes('/chunks/'));
    if (url.pathname.startsWith('/assets/'))
      return sendFile(res, sldsAssets, url.pathname.slice(8), true);
    if (url.pathname.startsWith('/resource/')) return sendResource(res, url.pathname);
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    const html = (status: number, page: string) => {
      res.writeHead(status, {
        'Content-Type': 'text/html; charset=utf-8',
        'Cache-Control': 'no-store',
        ...(cookies.length ? { 'Set-Cookie': cookies } : {})
      });
      res.end(page);
    };
    if (req.method !== 'GET') {
      res.writeHead(405, { 'Content-Type': 'text/plain' }).end('Method not allowed');
      return;
    }
    if (url.pathname === '/') return html(200, await homePage(state));
    const withObject = /^\/lightning\/r\/(\w+)\/(\w{15,18})\/view$/.exec(url.pathname);
    if (withObject) {
      const page = await recordPage(
        state,
        withObject[1] as string,
        withObject[2] as string,
        url.pathname
      );
      return html(page.status, page.html);
    }
    const idOnly = /^\/lightning\/r\/(\w{15,18})\/view$/.exec(url.pathname);
    if (idOnly) {
      const objectApiName = await resolveObjectOf(state.persona, idOnly[1] as string);
      if (objectApiName) {
        res.writeHead(302, { Location: `/lightning/r/${objectApiName}/${idOnly[1]}/view` }).end();
        return;
      }
    }
    const appPageName = /^\/lightning\/n\/(\w+)$/.exec(url.pathname)?.[1];
    const shippedAppPage = flexiPages.find(
      (p) => p.type !== 'RecordPage' && p.name === appPageName
    );
    if (shippedAppPage) return html(200, await appPage(state, shippedAppPage, url.pathname));
    if (/^\/lightning\/o\/\w+\/list$/.test(url.pathname)) {
      res.writeHead(302, { Location: '/' }).end();
      return;
    }
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      log(`Workbench request ${req.method} ${req.url} failed: ${(err as Error).message}`);
      if (!res.headersSent) res.writeHead(502, { 'Content-Type': 'text/plain' });
      res.end(`The workbench could not answer: ${(err as Error).message}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    build,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      })
  };
}
