// Temporary component that proves the workbench pipeline until the real
// components exist: base components, a getRecord wire, labels and a toast.
// TypeScript only so that the project's linters parse its decorators.
import { LightningElement, api, wire } from 'lwc';
import { getRecord, getFieldValue, type RecordRepresentation } from 'lightning/uiRecordApi';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import NAME_FIELD from '@salesforce/schema/Account.Name';
import TITLE from '@salesforce/label/c.Workbench_Demo_Title';
import NOTE_LABEL from '@salesforce/label/c.Workbench_Demo_Note';
import SEND from '@salesforce/label/c.Workbench_Demo_Send';
import SENT from '@salesforce/label/c.Workbench_Demo_Sent';
import CHANNEL from '@salesforce/label/c.Workbench_Demo_Channel';
import DAY from '@salesforce/label/c.Workbench_Demo_Day';
import LOCALE from '@salesforce/i18n/locale';
import USER_ID from '@salesforce/user/Id';

export default class WorkbenchDemo extends LightningElement {
  @api recordId?: string;
  @api objectApiName?: string;
  /** A design attribute: hides the note field. */
  @api compact = false;
  note = '';
  channel = 'Phone';
  label = { title: TITLE, note: NOTE_LABEL, send: SEND, channel: CHANNEL, day: DAY };
  channelOptions = [
    { label: 'Phone', value: 'Phone' },
    { label: 'Email', value: 'Email' }
  ];

  @wire(getRecord, { recordId: '$recordId', optionalFields: '$nameFields' })
  record?: { data?: RecordRepresentation; error?: { body?: unknown; statusText?: string } };

  get nameFields() {
    return this.objectApiName ? [`${this.objectApiName}.Name`] : [NAME_FIELD];
  }

  get recordName() {
    const data = this.record && this.record.data;
    if (!data) return '';
    return String(getFieldValue(data, `${data.apiName}.Name`) ?? data.id);
  }

  get errorMessage() {
    const error = this.record && this.record.error;
    if (!error) return '';
    const body = error.body as Array<{ message: string }> | { message?: string } | undefined;
    if (Array.isArray(body)) return body.map((item) => item.message).join(', ');
    return body?.message || error.statusText || 'Error';
  }

  get showNote() {
    return !this.compact;
  }

  get locale() {
    return LOCALE;
  }

  get userId() {
    return USER_ID;
  }

  handleNote(event: Event) {
    this.note = (event.target as unknown as { value: string }).value;
  }

  handleChannel(event: CustomEvent<{ value: string }>) {
    this.channel = event.detail.value;
  }

  handleSend() {
    this.dispatchEvent(
      new ShowToastEvent({ title: SENT, message: this.note || this.recordName, variant: 'success' })
    );
  }
}
