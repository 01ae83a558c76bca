'use strict';
// Jest stand-in for lightning/actions.
class CloseActionScreenEvent extends CustomEvent {
  constructor() {
    super('lightning__actionsclosescreen', { bubbles: true, composed: true, cancelable: true });
  }
}

module.exports = { CloseActionScreenEvent };
