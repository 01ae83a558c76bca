import { LightningElement, api } from 'lwc';
import { reduceErrors } from 'c/ldsUtils';
import GENERIC from '@salesforce/label/c.CX_Error_Generic';
import SHOW_DETAILS from '@salesforce/label/c.CX_Error_Show_Details';

/**
 * c-error-panel: the one way the components report a failure. The friendly
 * message is always visible; the underlying messages sit behind a toggle.
 */
export default class ErrorPanel extends LightningElement {
  /** A friendly sentence for the user; defaults to a generic one. */
  @api friendlyMessage;
  /** What LDS, GraphQL or JavaScript reported (one error or a list). */
  @api errors;

  showDetails = false;
  labels = { showDetails: SHOW_DETAILS };

  get message() {
    return this.friendlyMessage || GENERIC;
  }

  get details() {
    return reduceErrors(this.errors).map((text, index) => ({ key: `e${index}`, text }));
  }

  get hasDetails() {
    return this.details.length > 0;
  }

  handleToggle() {
    this.showDetails = !this.showDetails;
  }
}
