// The page's container listens for this event and shows an SLDS toast.
export class ShowToastEvent extends CustomEvent {
  constructor(toast) {
    super('lightning__showtoast', {
      composed: true,
      cancelable: true,
      bubbles: true,
      detail: toast
    });
  }
}
