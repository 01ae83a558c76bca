import { main } from '../main';

describe('outside-in bench', () => {
  it('refuses an unknown benchmark name and names the known ones', async () => {
    let stderr = '';
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      stderr += String(chunk);
      return true;
    });
    try {
      const code = await main(['bench', '--only', 'scoring,nope']);
      expect(code).not.toBe(0);
      expect(stderr).toContain('unknown benchmark "nope"');
      expect(stderr).toContain('local-org-bulk');
    } finally {
      spy.mockRestore();
    }
  });
});
