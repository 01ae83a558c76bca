'use strict';
// Jest stand-in for lightning/platformShowToastEvent.
class ShowToastEvent extends CustomEvent {
  constructor(toast) {
    super('lightning__showtoast', {
      bubbles: true,
      composed: true,
      cancelable: true,
      detail: toast
    });
  }
}

module.exports = { ShowToastEvent };
