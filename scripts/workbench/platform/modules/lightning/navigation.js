// NavigationMixin and CurrentPageReference for the workbench's pages:
// record pages live at /lightning/r/{Object}/{Id}/view, as in Lightning Experience.
import { pageConfig } from 'workbench/runtime';

const Navigate = Symbol('Navigate');
const GenerateUrl = Symbol('GenerateUrl');

export function urlFor(pageReference) {
  const type = pageReference && pageReference.type;
  const attributes = (pageReference && pageReference.attributes) || {};
  switch (type) {
    case 'standard__recordPage': {
      const id = encodeURIComponent(attributes.recordId);
      return attributes.objectApiName
        ? `/lightning/r/${encodeURIComponent(attributes.objectApiName)}/${id}/view`
        : `/lightning/r/${id}/view`;
    }
    case 'standard__objectPage':
      return `/lightning/o/${encodeURIComponent(attributes.objectApiName)}/list`;
    case 'standard__webPage':
      return attributes.url;
    default:
      return '/';
  }
}

export const NavigationMixin = (Base) =>
  class extends Base {
    [Navigate](pageReference, replace) {
      const url = urlFor(pageReference);
      if (pageReference && pageReference.type === 'standard__webPage') {
        window.open(url, '_blank', 'noopener');
      } else if (replace) {
        window.location.replace(url);
      } else {
        window.location.assign(url);
      }
    }

    [GenerateUrl](pageReference) {
      return Promise.resolve(urlFor(pageReference));
    }
  };
NavigationMixin.Navigate = Navigate;
NavigationMixin.GenerateUrl = GenerateUrl;

/** @wire(CurrentPageReference) pageRef: the record page the workbench shows. */
export class CurrentPageReference {
  constructor(dataCallback) {
    this.dataCallback = dataCallback;
  }

  connect() {
    const page = pageConfig().page || {};
    this.dataCallback(
      Object.freeze({
        type: page.recordId ? 'standard__recordPage' : 'standard__namedPage',
        attributes: Object.freeze(
          page.recordId
            ? { recordId: page.recordId, objectApiName: page.objectApiName, actionName: 'view' }
            : { pageName: 'home' }
        ),
        state: Object.freeze({})
      })
    );
  }

  update() {}

  disconnect() {}
}
