// The page's container: mounts the components into the record page's
// regions and plays the parts of Lightning Experience they talk to (toasts,
// refresh, quick-action close).
import { pageConfig } from 'workbench/runtime';
import { refreshAll } from 'workbench/lds';
import { runRefreshHandlers } from 'lightning/refresh';

function tagName(specifier) {
  const [namespace, name] = specifier.split('/');
  return `${namespace}-${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

const TOAST_ICONS = { success: 'success', error: 'error', warning: 'warning', info: 'info' };

function formatToastMessage(message, messageData) {
  if (!message) return '';
  return String(message).replace(/\{(\d+)\}/g, (match, index) => {
    const item = messageData && messageData[Number(index)];
    if (item === undefined) return match;
    return typeof item === 'object' ? item.label || item.url || '' : String(item);
  });
}

export function showToast(detail) {
  const host = document.querySelector('[data-toasts]');
  if (!host) return;
  const variant = TOAST_ICONS[detail.variant] ? detail.variant : 'info';
  const toast = document.createElement('div');
  toast.className = `slds-notify slds-notify_toast slds-theme_${variant}`;
  toast.setAttribute('role', 'status');
  toast.dataset.variant = variant;
  const body = document.createElement('div');
  body.className = 'slds-notify__content';
  if (detail.title) {
    const title = document.createElement('h2');
    title.className = 'slds-text-heading_small';
    title.textContent = detail.title;
    body.appendChild(title);
  }
  const message = formatToastMessage(detail.message, detail.messageData);
  if (message) {
    const text = document.createElement('p');
    text.textContent = message;
    body.appendChild(text);
  }
  const close = document.createElement('button');
  close.className = 'slds-button slds-notify__close slds-button_icon-inverse';
  close.type = 'button';
  close.textContent = '\u00d7';
  close.setAttribute('aria-label', 'Close');
  close.addEventListener('click', () => toast.remove());
  toast.appendChild(body);
  toast.appendChild(close);
  host.appendChild(toast);
  const sticky = detail.mode === 'sticky' || (detail.mode !== 'pester' && variant === 'error');
  if (!sticky) setTimeout(() => toast.remove(), 8000);
}

function mountError(region, specifier, err) {
  const box = document.createElement('div');
  box.className = 'slds-box slds-theme_error slds-m-bottom_small';
  box.dataset.mountError = specifier;
  box.textContent = `${specifier}: ${err && err.message ? err.message : String(err)}`;
  region.appendChild(box);
}

async function mountOne(createElement, components, placement) {
  const region = document.querySelector(`[data-region="${placement.region}"]`);
  if (!region) throw new Error(`No region "${placement.region}" on this page`);
  const load = components[placement.component];
  const slot = document.createElement('div');
  slot.className = 'slds-m-bottom_medium';
  slot.dataset.component = placement.component;
  region.appendChild(slot);
  try {
    if (!load) throw new Error('not in the workbench build');
    const module = await load();
    const element = createElement(tagName(placement.component), { is: module.default });
    for (const [key, value] of Object.entries(placement.props || {})) element[key] = value;
    slot.appendChild(element);
  } catch (err) {
    console.error(`Could not mount ${placement.component}`, err);
    mountError(slot, placement.component, err);
  }
}

function closeAction() {
  const dialog = document.querySelector('[data-action-dialog]');
  if (!dialog) return;
  const region = dialog.querySelector('[data-region="dialog"]');
  if (region) region.replaceChildren();
  if (dialog.open) dialog.close();
}

/** A quick action: the component in a dialog, with the record page's context. */
function openAction(createElement, components, specifier) {
  const dialog = document.querySelector('[data-action-dialog]');
  if (!dialog) return;
  closeAction();
  const page = pageConfig().page || {};
  dialog.showModal();
  mountOne(createElement, components, {
    region: 'dialog',
    component: specifier,
    props: { recordId: page.recordId, objectApiName: page.objectApiName }
  });
}

/** Entry of the bundle: called once the page has loaded. */
export function start({ createElement, components }) {
  document.addEventListener('lightning__showtoast', (event) => showToast(event.detail || {}));
  document.addEventListener('lightning__refresh', () => {
    Promise.all([refreshAll(), runRefreshHandlers()]).catch((err) =>
      console.error('Refresh failed', err)
    );
  });
  document.addEventListener('lightning__actionsclosescreen', closeAction);
  document.addEventListener('click', (event) => {
    const target = event.target instanceof Element ? event.target : null;
    const actionButton = target && target.closest('[data-action]');
    if (actionButton) openAction(createElement, components, actionButton.dataset.action);
    if (target && target.closest('[data-close-dialog]')) closeAction();
  });
  const placements = pageConfig().placements || [];
  const done = Promise.all(placements.map((p) => mountOne(createElement, components, p)));
  globalThis.__OUTSIDE_IN_WORKBENCH_READY__ = done.then(() => true);
  return done;
}
