import { createElement } from 'lwc';
import ErrorPanel from 'c/errorPanel';

describe('c-error-panel', () => {
  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
  });

  it('shows the friendly message and the details behind a toggle', async () => {
    const element = createElement('c-error-panel', { is: ErrorPanel });
    element.friendlyMessage = 'The experience data could not be loaded.';
    element.errors = [{ message: 'No access to CX_Score__c' }];
    document.body.appendChild(element);
    await Promise.resolve();
    expect(element.shadowRoot.querySelector('.cx-error-message').textContent).toBe(
      'The experience data could not be loaded.'
    );
    expect(element.shadowRoot.querySelector('.cx-error-detail')).toBeNull();
    const toggle = element.shadowRoot.querySelector('button');
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    toggle.click();
    await Promise.resolve();
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    expect(element.shadowRoot.querySelector('.cx-error-detail').textContent).toBe(
      'No access to CX_Score__c'
    );
    await expect(element).toBeAccessible();
  });

  it('falls back to a generic message without details', async () => {
    const element = createElement('c-error-panel', { is: ErrorPanel });
    document.body.appendChild(element);
    await Promise.resolve();
    expect(element.shadowRoot.querySelector('.cx-error-message').textContent).toBe(
      'Something went wrong.'
    );
    expect(element.shadowRoot.querySelector('button')).toBeNull();
    await expect(element).toBeAccessible();
  });
});
