import { main } from './main';

describe('outside-in CLI', () => {
  it('exits non-zero on an unknown command', async () => {
    const err = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const code = await main(['no-such-command']);
    expect(code).not.toBe(0);
    err.mockRestore();
  });
});
