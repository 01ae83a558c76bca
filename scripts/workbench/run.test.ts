import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startLocalOrg } from '../local-org';
import { demoSources } from './build';
import { runWorkbench } from './run';

jest.setTimeout(10 * 60 * 1000);

let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'workbench-run-'));
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

test('starts the local org of a folder when none runs there, and stops it on close', async () => {
  const running = await runWorkbench({ orgDir: dir, buildOptions: { sources: demoSources() } });
  try {
    expect(running.startedOrg).toBe(true);
    const userinfo = await fetch(`${running.workbench.url}/services/oauth2/userinfo`);
    expect(userinfo.status).toBe(200);
    const home = await fetch(`${running.workbench.url}/`);
    expect(await home.text()).toContain('data-persona="rep"');
  } finally {
    await running.close();
  }
  await expect(fetch(`${running.orgInstanceUrl}/services/data`)).rejects.toThrow();
});

test('joins the local org already running in the folder and leaves it running', async () => {
  const org = await startLocalOrg({ dir });
  try {
    const running = await runWorkbench({ orgDir: dir, buildOptions: { sources: demoSources() } });
    expect(running.startedOrg).toBe(false);
    expect(running.orgInstanceUrl).toBe(org.instanceUrl);
    const userinfo = (await (
      await fetch(`${running.workbench.url}/services/oauth2/userinfo`)
    ).json()) as { user_id: string };
    expect(userinfo.user_id).toBe(org.users.manager.userId);
    await running.close();
    expect((await fetch(`${org.instanceUrl}/services/data`)).ok).toBe(true);
  } finally {
    await org.close();
  }
});
