// Closes the quick-action dialog the workbench opened for the component.
export class CloseActionScreenEvent extends CustomEvent {
  constructor() {
    super('lightning__actionsclosescreen', { composed: true, cancelable: true, bubbles: true });
  }
}
